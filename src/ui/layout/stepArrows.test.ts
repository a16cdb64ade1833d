import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { clientOfSummary, stepMarks, traceActors } from './stepArrows';
import { traceEntry } from '../model/traceSteps.test-support';

const entry = traceEntry;

describe('step arrows', () => {
  it('reads the client from a summary, with or without a thread name', () => {
    expect(clientOfSummary('dom0.xl: WRITE /a = "b" → OK')).toBe('dom0.xl');
    expect(clientOfSummary('dom1.K1 xenwatch: xenbus.devChanged(device)')).toBe('dom1.K1');
    expect(clientOfSummary('no client here')).toBeNull();
  });

  it('a xenstored step is a request from its client plus one watch arrow per event queued', () => {
    const m = stepMarks(
      entry({
        summary: 'dom0.kernel: WRITE backend/vbd/1/51712/state = "2" → OK',
        effects: [
          { k: 'node-write', path: '/x', old: null, value: '2', perms: 'n0' },
          { k: 'watch-fire', to: 'dom1.K1', path: '/x', token: 't' },
          { k: 'watch-fire', to: 'dom0.kernel', path: '/x', token: 'u' },
        ],
      }),
    );
    expect(m).toEqual({
      lane: 'xenstored',
      arrows: [
        { kind: 'request', from: 'dom0.kernel', to: 'xenstored' },
        { kind: 'watch', from: 'xenstored', to: 'dom1.K1' },
        { kind: 'watch', from: 'xenstored', to: 'dom0.kernel' },
      ],
    });
  });

  it('replies and watch events come from xenstored; hypervisor effects add a hypercall', () => {
    expect(stepMarks(entry({ kind: 'reply', actor: 'dom1.K1' })).arrows).toEqual([
      { kind: 'reply', from: 'xenstored', to: 'dom1.K1' },
    ]);
    const hv = stepMarks(
      entry({
        kind: 'wakeup',
        actor: 'dom0.xl',
        effects: [{ k: 'hv', e: { kind: 'domain-destroy', domid: 1 } }],
      }),
    );
    expect(hv).toEqual({
      lane: 'dom0.xl',
      arrows: [{ kind: 'hypercall', from: 'dom0.xl', to: 'hypervisor' }],
    });
  });

  it('S1 needs lanes for the user, the toolstack, xenstored, the hypervisor and both kernels', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    expect([...traceActors(w.trace)].sort()).toEqual(
      ['dom0.hotplug', 'dom0.kernel', 'dom0.xl', 'dom1.K1', 'hypervisor', 'user', 'xenstored'].sort(),
    );
  });
});
