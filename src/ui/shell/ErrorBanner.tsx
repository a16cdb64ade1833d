import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';

/**
 * Why a link, a save, an import, an open or an action failed (nothing else changes when one does),
 * and passing notices ("Link copied"); each can be dismissed.
 */
export function ErrorBanner() {
  const app = useXenScope();
  const error = useTimeline((s) => s.error);
  const notice = useView((s) => s.notice);
  return (
    <>
      {error !== null && (
        <Banner kind="error" text={error} onDismiss={() => app.timeline.getState().setError(null)} />
      )}
      {notice !== null && (
        <Banner kind="notice" text={notice} onDismiss={() => app.view.getState().setNotice(null)} />
      )}
    </>
  );
}

function Banner({
  kind,
  text,
  onDismiss,
}: {
  kind: 'error' | 'notice';
  text: string;
  onDismiss: () => void;
}) {
  return (
    <p
      className={`${kind}-banner`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={kind === 'error' ? 'error' : 'notice'}
    >
      <span>{text}</span>
      <button type="button" className="banner-dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </p>
  );
}
