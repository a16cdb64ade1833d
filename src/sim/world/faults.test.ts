import { describe, expect, it } from 'vitest';
import { applyWatchFault } from './faults';

describe('watch-event faults', () => {
  it('drop: the first matching event is lost, then the fault is gone', () => {
    const o: Record<string, string | number | boolean> = {
      watchFault: 'drop',
      watchFaultPath: 'backend/vbd',
    };
    expect(applyWatchFault(o, '/local/domain/0/backend/vif/1/0/state')).toEqual({ kind: 'deliver' });
    expect(applyWatchFault(o, '/local/domain/0/backend/vbd/1/51712/state')).toEqual({ kind: 'drop' });
    expect(applyWatchFault(o, '/local/domain/0/backend/vbd/1/51712/state')).toEqual({ kind: 'deliver' });
    expect(o['watchFault']).toBe('none');
  });

  it('delay: held back for the given time; no fault or no path delivers', () => {
    expect(
      applyWatchFault({ watchFault: 'delay', watchFaultPath: 'state', watchFaultDelayMs: 250 }, 'a/state'),
    ).toEqual({
      kind: 'delay',
      ms: 250,
    });
    expect(applyWatchFault({ watchFault: 'delay' }, 'a/state')).toEqual({ kind: 'deliver' });
    expect(applyWatchFault({}, 'a/state')).toEqual({ kind: 'deliver' });
  });
});
