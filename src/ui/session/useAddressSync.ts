import { useEffect } from 'react';
import type { XenScope } from '../app/xenscope';
import { parseFixtureUrl } from './fixtureUrl';

/** What opens when the address names nothing. */
export const DEFAULT_REQUEST = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;

/**
 * The address and the open scenario agree: on load the address's scenario opens (S1 when it names
 * none; a bad address leaves nothing open and the error shown), and each scenario opened afterwards
 * is written back into the address, so a reload or a shared link shows the same world.
 */
export function useAddressSync(app: XenScope, onError: (message: string) => void): void {
  useEffect(() => {
    const parsed = parseFixtureUrl(window.location.search);
    if (parsed.kind === 'error') onError(`This address cannot be opened: ${parsed.error}`);
    else app.open(parsed.kind === 'ok' ? parsed.value : { ...DEFAULT_REQUEST });
    return app.timeline.subscribe((s, prev) => {
      if (s.request === prev.request || s.request === null) return;
      const url = new URL(window.location.href);
      url.searchParams.set('scenario', s.request.scenario);
      url.searchParams.set('profile', s.request.profile);
      url.searchParams.set('seed', String(s.request.seed));
      if (s.request.policy === 'manual') url.searchParams.set('policy', 'manual');
      else url.searchParams.delete('policy');
      window.history.replaceState(null, '', url);
    });
  }, [app, onError]);
}
