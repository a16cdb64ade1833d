import { findPlayable } from '../../sim/scenarios/demos';
import { useTimeline } from '../app/useTimeline';
import { useXenScope } from '../app/useXenScope';
import { CommandButton } from '../commands/CommandButton';
import { shareLink } from '../share/shareActions';

/**
 * The one strip an embedded view (`?embed=1`, in an iframe of slides or docs) keeps: what is shown,
 * stepping, and a link that opens the same session in XenScope proper.
 */
export function EmbedBar() {
  const request = useTimeline((s) => s.request);
  const cursor = useTimeline((s) => s.cursor);
  const length = useTimeline((s) => s.length);
  const app = useXenScope();
  // the link is the session's own (what is shown at this step), without the embed flag
  const full = cursor >= 0 ? (shareLink(app) ?? window.location.href) : '';
  return (
    <header className="embed-bar" data-testid="embed.bar">
      <span className="embed-bar__title">
        XenScope ·{' '}
        {request === null ? '' : `${request.scenario}: ${findPlayable(request.scenario)?.title ?? ''}`}
      </span>
      <CommandButton name="playback.back">◀</CommandButton>
      <CommandButton name="playback.toggle">▶ / ❚❚</CommandButton>
      <CommandButton name="playback.step">▶</CommandButton>
      <span className="embed-bar__position" data-testid="embed.position">
        step {cursor} / {length}
      </span>
      <a href={full} target="_blank" rel="noopener noreferrer" className="embed-bar__open">
        Open in XenScope ↗
      </a>
    </header>
  );
}
