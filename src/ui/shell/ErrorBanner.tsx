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
        <p className="error-banner" role="alert" data-testid="error">
          <span>{error}</span>
          <button
            type="button"
            className="banner-dismiss"
            aria-label="Dismiss"
            onClick={() => app.timeline.getState().setError(null)}
          >
            ×
          </button>
        </p>
      )}
      {notice !== null && (
        <p className="notice-banner" role="status" data-testid="notice">
          <span>{notice}</span>
          <button
            type="button"
            className="banner-dismiss"
            aria-label="Dismiss"
            onClick={() => app.view.getState().setNotice(null)}
          >
            ×
          </button>
        </p>
      )}
    </>
  );
}
