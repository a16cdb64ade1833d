import { useTimeline } from '../app/useTimeline';

/** Why the address, an open or an action failed; nothing else changes when one does. */
export function ErrorBanner({ addressError }: { addressError: string | null }) {
  const timelineError = useTimeline((s) => s.error);
  const message = timelineError ?? addressError;
  if (message === null) return null;
  return (
    <p className="error-banner" role="alert" data-testid="error">
      {message}
    </p>
  );
}
