import { describe, expect, it } from 'vitest';
import { exportSession, importSession } from '../session/session';
import { findScenario } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import { worldFingerprint } from './fingerprint';

/** S1 with the fault given just before the disk is attached: the toolstack's device transaction fails once. */
function s1WithForcedEagain() {
  const s = findScenario('S1')!;
  const script = [...s.script];
  const attach = script.findIndex((a) => 'type' in a && a.type === 'attach-disk');
  script.splice(attach, 0, { type: 'fault', name: 'forceEagain', value: true });
  return runScenario({ ...s, script }, { profile: 'linux-modern' });
}

describe('fault: a commit forced to EAGAIN', () => {
  it('the next commit is answered EAGAIN, lands nothing, is redone, and the handshake still connects', () => {
    const w = s1WithForcedEagain();
    const forced = w.trace.filter((e) => e.effects.some((f) => f.k === 'tx' && f.forced === true));
    expect(forced).toHaveLength(1);
    const step = forced[0]!;
    expect(step.summary).toMatch(/TRANSACTION_END \[tx \d+\] T → EAGAIN$/);
    // nothing of the failed transaction is in the store from that step
    expect(
      step.effects.some((f) => f.k === 'node-write' || f.k === 'node-remove' || f.k === 'watch-fire'),
    ).toBe(false);
    expect(step.effects.some((f) => f.k === 'log' && f.text.includes('forced to EAGAIN'))).toBe(true);
    // the toolstack redoes it and commits
    const later = w.trace
      .slice(step.seq + 1)
      .find((e) => / TRANSACTION_END \[tx \d+\] T → OK$/.test(e.summary));
    expect(later?.summary.startsWith(step.summary.slice(0, step.summary.indexOf(':')))).toBe(true);
    expect([...w.devices.keys()].map((k) => w.deviceState(k))).toEqual(['Connected', 'Connected']);
    // once only: the fault cleared itself
    expect(w.options['forceEagain']).toBe(false);
  });

  it('is a recorded user action: a session replays it exactly', () => {
    const w = s1WithForcedEagain();
    const file = JSON.stringify(exportSession(w, null));
    const back = importSession(file);
    if (!back.ok) throw new Error(back.error);
    expect(back.value.trace.map((e) => e.summary)).toEqual(w.trace.map((e) => e.summary));
    expect(worldFingerprint(back.value)).toBe(worldFingerprint(w));
  });
});
