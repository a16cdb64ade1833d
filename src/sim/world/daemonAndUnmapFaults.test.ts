import { describe, expect, it } from 'vitest';
import { exportSession, importSession } from '../session/session';
import { findScenario } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import type { ProfileId } from '../profiles';
import { lintTrace } from '../lint/lint';
import { worldFingerprint } from './fingerprint';
import type { UserAction } from './types';
import type { World } from './world';

const BE_STATE = '/local/domain/0/backend/vbd/1/51712/state';

/** S1 connected, then `extra` given one after another once the world settled. */
function s1Then(profile: ProfileId, extra: UserAction[]): World {
  const s = findScenario('S1')!;
  return runScenario({ ...s, script: [...s.script, ...extra] }, { profile });
}

const logs = (w: World, from = 0) =>
  w.trace.slice(from).flatMap((e) => e.effects.flatMap((f) => (f.k === 'log' ? [f.text] : [])));
const stepOf = (w: World, text: string) => w.trace.findIndex((e) => e.summary.includes(text));

describe('fault: restart xenstored', () => {
  it('[modern] a live update waits for the open transaction, forced after 5 s it drops it; watches survive', () => {
    const w = s1Then('linux-modern', [
      { type: 'guest-tx-start', domid: 1, name: 't' },
      { type: 'restart-xenstored' },
      { type: 'guest-tx-end', domid: 1, name: 't' },
      { type: 'detach-disk', domid: 1 },
    ]);
    const asked = stepOf(w, 'user: restart-xenstored');
    const done = w.trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'log' && f.text.startsWith('live update: state dumped')),
    );
    expect(done).toBeGreaterThan(asked);
    expect(w.trace[done]!.time - w.trace[asked]!.time).toBe(5000);
    expect(logs(w, asked)).toContain('live update forced with 1 transaction(s) open');
    expect(w.trace[done]!.effects).toContainEqual(expect.objectContaining({ k: 'tx', outcome: 'reset' }));
    // the guest's transaction is unknown to the new daemon
    expect(w.trace.some((e) => /dom1\.K1: TRANSACTION_END \[tx \d+\] T → ENOENT/.test(e.summary))).toBe(true);
    // no watch was lost: the detach runs its normal course, both sides close and go
    expect(w.trace[done]!.effects.some((f) => f.k === 'watch-remove')).toBe(false);
    expect(w.devices.size).toBe(0);
    expect(lintTrace(w.trace)).toEqual([]);
  });

  it('[modern] with no transaction open the live update happens at once', () => {
    const w = s1Then('linux-modern', [{ type: 'restart-xenstored' }]);
    const asked = stepOf(w, 'user: restart-xenstored');
    const done = w.trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'log' && /live update: .* 0 open transaction\(s\) dropped/.test(f.text)),
    );
    expect(done).toBe(asked + 1);
    expect(w.trace[done]!.time).toBe(w.trace[asked]!.time);
  });

  it('[2006] the restarted daemon keeps the nodes but no watch: a detach is never seen, the lint says so', () => {
    const w = s1Then('linux-2006', [{ type: 'restart-xenstored' }, { type: 'detach-disk', domid: 1 }]);
    const asked = stepOf(w, 'user: restart-xenstored');
    const restart = w.trace[asked + 1]!;
    expect(restart.effects.filter((f) => f.k === 'watch-remove').length).toBeGreaterThanOrEqual(4);
    expect(logs(w, asked)).toContainEqual(expect.stringMatching(/^restarted: nodes kept, \d+ watches/));
    // the toolstack's Closing reaches nobody: both drivers stay Connected, xl gives up and removes the nodes
    expect([...w.devices.keys()].map((k) => w.deviceState(k))).toEqual(['Connected', 'Connected']);
    expect(logs(w, asked)).toContain(
      '/local/domain/0/backend/vbd/1/51712: timeout reached, initiating forced remove',
    );
    const findings = lintTrace(w.trace);
    expect(findings.map((f) => f.rule)).toEqual(['state-write-unseen']);
    expect(findings[0]!.device).toBe(BE_STATE.slice(0, -'/state'.length));
    expect(findings[0]!.message).toContain('dom1.K1');
    expect(findings[0]!.message).toContain('daemon restart');
  });

  it('is a recorded user action: a session replays it exactly', () => {
    const w = s1Then('linux-2006', [{ type: 'restart-xenstored' }, { type: 'detach-disk', domid: 1 }]);
    const back = importSession(JSON.stringify(exportSession(w, null)));
    if (!back.ok) throw new Error(back.error);
    expect(back.value.trace.map((e) => e.summary)).toEqual(w.trace.map((e) => e.summary));
    expect(worldFingerprint(back.value)).toBe(worldFingerprint(w));
  });
});

describe('fault: a grant unmap fails', () => {
  const unmapThenDetach: UserAction[] = [
    { type: 'fault', name: 'unmapFault', value: true },
    { type: 'detach-disk', domid: 1 },
  ];

  it('blkback reports the error, forgets the handle and reaches Closed with the ring still mapped', () => {
    const w = s1Then('linux-modern', unmapThenDetach);
    const at = w.trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'log' && f.text.startsWith('fault: GNTTABOP_unmap_grant_ref')),
    );
    expect(at).toBeGreaterThan(0);
    // nothing was unmapped in that step, and the driver wrote its error node
    expect(w.trace[at]!.effects.some((f) => f.k === 'hv' && f.e.kind === 'grant-unmap')).toBe(false);
    expect(
      w.trace.slice(at).some((e) => e.summary.includes('/local/domain/0/error/backend/vbd/1/51712/error')),
    ).toBe(true);
    const findings = lintTrace(w.trace);
    expect(findings.map((f) => f.rule)).toEqual(['resources-at-closed']);
    expect(findings[0]!.message).toMatch(/still holds grant ref \d+ of dom1 mapped/);
    // the frontend cannot take its page back: the grant is still in use by dom0
    expect(
      w.trace.some((e) =>
        e.effects.some((f) => f.k === 'hv' && f.e.kind === 'grant-end-access' && f.e.outcome === 'in-use'),
      ),
    ).toBe(true);
    expect(w.options['unmapFault']).toBe(false);
  });

  it('is a recorded user action: a session replays it exactly', () => {
    const w = s1Then('linux-modern', unmapThenDetach);
    const back = importSession(JSON.stringify(exportSession(w, null)));
    if (!back.ok) throw new Error(back.error);
    expect(back.value.trace.map((e) => e.summary)).toEqual(w.trace.map((e) => e.summary));
    expect(worldFingerprint(back.value)).toBe(worldFingerprint(w));
  });
});

describe('every fault is a recorded user action', () => {
  const FAULTS: Array<[string, UserAction[]]> = [
    ['pause the backends', [{ type: 'pause-backend', domid: 0, paused: true }]],
    ['hold the guest xenwatch', [{ type: 'hold-xenwatch', domid: 1, held: true }]],
    [
      'delay a state watch event',
      [
        { type: 'fault', name: 'watchFaultPath', value: '/state' },
        { type: 'fault', name: 'watchFaultDelayMs', value: 1000 },
        { type: 'fault', name: 'watchFault', value: 'delay' },
      ],
    ],
    [
      'drop a state watch event',
      [
        { type: 'fault', name: 'watchFaultPath', value: '/state' },
        { type: 'fault', name: 'watchFault', value: 'drop' },
      ],
    ],
    ['force a commit to EAGAIN', [{ type: 'fault', name: 'forceEagain', value: true }]],
    ['restart xenstored', [{ type: 'restart-xenstored' }]],
    ['fail a ring unmap', [{ type: 'fault', name: 'unmapFault', value: true }]],
    ['keep I/O in flight', [{ type: 'inflight-io', domid: 1, count: 1 }]],
  ];
  for (const [what, actions] of FAULTS)
    it(`${what}, then a detach: the session replays it exactly`, () => {
      const w = s1Then('linux-modern', [...actions, { type: 'detach-disk', domid: 1 }]);
      const back = importSession(JSON.stringify(exportSession(w, null)));
      if (!back.ok) throw new Error(back.error);
      expect(back.value.trace.map((e) => e.summary)).toEqual(w.trace.map((e) => e.summary));
      expect(worldFingerprint(back.value)).toBe(worldFingerprint(w));
    });
});
