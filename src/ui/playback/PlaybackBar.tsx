import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { CommandButton } from '../commands/CommandButton';
import { SPEEDS } from './playbackClock';

/** Play/pause, step, jump, speed, and the scrubber over the whole trace. */
export function PlaybackBar() {
  const app = useXenScope();
  const length = useTimeline((s) => s.length);
  const cursor = useTimeline((s) => s.cursor);
  const time = useTimeline((s) => (s.cursor > 0 ? (s.world()?.trace[s.cursor - 1]?.time ?? 0) : 0));
  const playing = useView((s) => s.clock.playing);
  const speed = useView((s) => s.clock.speed);
  const hit = useView((s) => s.breakHit);
  return (
    <div className="playback" role="group" aria-label="Playback">
      <CommandButton name="playback.start">|◀</CommandButton>
      <CommandButton name="playback.back">◀</CommandButton>
      <CommandButton name="playback.toggle" className="playback__play">
        {playing ? '❚❚ Pause' : '▶ Play'}
      </CommandButton>
      <CommandButton name="playback.step">▶</CommandButton>
      <CommandButton name="playback.end">▶|</CommandButton>
      <label className="control">
        <span className="control__label">Speed</span>
        <select
          data-testid="playback.speed"
          value={speed}
          onChange={(e) => app.setSpeed(Number(e.target.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}x
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        className="playback__scrub"
        data-testid="playback.scrub"
        aria-label="Timeline position"
        min={0}
        max={length}
        step={1}
        value={cursor}
        disabled={length === 0}
        onChange={(e) => app.seek(Number(e.target.value))}
      />
      <output className="playback__position" data-testid="playback.position" aria-live="off">
        step {cursor} / {length} · {time} ms
      </output>
      {hit !== null && (
        <span className="playback__hit" role="status" data-testid="playback.hit">
          stopped on {hit.text}
        </span>
      )}
    </div>
  );
}
