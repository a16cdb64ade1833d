import { describe, expect, it } from 'vitest';
import type { LintFinding } from '../../sim/lint/lint';
import type { TraceEffect } from '../../sim/world/trace';
import { captionFor, stepMarks } from './captions';
import { logCaption } from './logCaptions';
import { roleOf } from './devices';
import { advanceSketch, createSketch } from './sketch';
import { isSpecSource } from './specSources';
import { entry, traceOf } from './tourTraces.test-support';

const BE = 'dom0.kernel|backend/vbd/1/51712';
const FE = 'dom1.K1|device/vbd/51712';
const transition = (device: string, from: string, to: string): TraceEffect => ({
  k: 'transition',
  device,
  from,
  to,
});
const reply = {
  actor: 'dom0.kernel',
  kind: 'reply' as const,
  summary: 'dom0.kernel: reply to TRANSACTION_END',
};

describe('captions of driver state changes', () => {
  it('say a backend in InitWait waits for the ring-ref and event-channel', () => {
    const c = captionFor(entry(5, [transition(BE, 'Initialising', 'InitWait')], reply), {
      profile: 'linux-modern',
    });
    expect(c?.text).toMatch(/InitWait/);
    expect(c?.text).toMatch(/ring-ref and event-channel/);
    expect(c?.source).toBe('xenbus.md §4.1');
    expect(c?.highlight).toEqual({ device: BE });
  });

  it('read the same change per profile: the 2006 frontend does not wait for InitWait', () => {
    const step = entry(5, [transition(FE, 'Initialising', 'Initialised')], reply);
    expect(captionFor(step, { profile: 'linux-modern' })?.source).toBe('xenbus.md §4.1, §7.4');
    expect(captionFor(step, { profile: 'linux-2006' })?.text).toMatch(/without waiting for InitWait/);
  });

  it("tell a backend's own fatal close from one that follows its frontend", () => {
    const step = entry(9, [transition(BE, 'Connected', 'Closing')], reply);
    const sketch = createSketch();
    sketch.stateNodes.set('/local/domain/1/device/vbd/51712/state', '3');
    expect(captionFor(step, { sketch })?.text).toMatch(/xenbus_dev_fatal/);
    sketch.stateNodes.set('/local/domain/1/device/vbd/51712/state', '5');
    expect(captionFor(step, { sketch })?.text).toMatch(/frontend is closing/);
  });

  it('let the xenbus core close a frontend while its kernel shuts down', () => {
    const step = entry(9, [transition(FE, 'Closing', 'Closed')], { ...reply, actor: 'dom1.K1' });
    const sketch = createSketch();
    expect(captionFor(step, { sketch })?.source).toBe('xenbus.md §6.1, §7.4, §7.5');
    sketch.shuttingDown.add('dom1.K1');
    expect(captionFor(step, { sketch })?.source).toBe('xenbus.md §3.3, §3.7');
  });

  it('tell a kexec that passes several states in one step by where it goes, not by kexec_load', () => {
    const step = entry(3, [
      transition('dom1.K1|kexec', 'running', 'loaded'),
      transition('dom1.K1|kexec', 'loaded', 'shuttingDown'),
    ]);
    const marks = stepMarks(step, { profile: 'linux-modern' }).filter((m) => m.kind === 'transition');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.caption.text).toMatch(/device_shutdown/);
    expect(marks[0]!.caption.text).not.toMatch(/kexec_load/);
  });
});

describe('captions of other moments', () => {
  it('explain an EAGAIN by the node that changed, and highlight it', () => {
    const c = captionFor(
      entry(7, [
        {
          k: 'tx',
          actor: 'dom0.kernel',
          txId: 2,
          outcome: 'eagain',
          conflictPath: '/local/domain/0/backend/vbd/1/51712',
        },
      ]),
    );
    expect(c?.text).toMatch(/EAGAIN/);
    expect(c?.text).toMatch(/read-set rule/);
    expect(c?.source).toBe('xenstore.md §8.2, §8.3');
    expect(c?.highlight).toEqual({ node: '/local/domain/0/backend/vbd/1/51712' });
  });

  it('tell a merged watch event from one dropped for an unknown token', () => {
    const dropped = (reason: 'pending' | 'unknown-token') =>
      stepMarks(
        entry(4, [
          {
            k: 'guest',
            actor: 'dom1.K2',
            e: { kind: 'watch-event-dropped', path: '/a/state', token: 't', reason },
          },
        ]),
      )[0]!;
    expect(dropped('pending').kind).toBe('watch-merged');
    expect(dropped('unknown-token').kind).toBe('watch-dropped');
    expect(dropped('unknown-token').caption.text).toMatch(/never registered/);
  });

  it('say which wait timed out', () => {
    const c = captionFor(
      entry(8, [{ k: 'timeout', actor: 'dom1.K1', wait: `down:${FE}` }], {
        actor: 'dom1.K1',
        kind: 'wakeup',
      }),
    );
    expect(c?.text).toMatch(/5 s shutdown wait/);
    expect(c?.source).toBe('xenbus.md §3.7');
  });

  it('read user actions and their arguments', () => {
    const user = (summary: string) => captionFor(entry(1, [], { actor: 'user', kind: 'user', summary }));
    expect(user('user: kexec domid=1 image=vmlinuz-guest')?.source).toBe('kexec-handover.md §1');
    expect(user('user: kexec domid=1 image=vmlinuz-guest mode=kdump')?.text).toMatch(/crash kernel/);
    expect(user('user: detach-disk domid=1 force=true')?.text).toMatch(/Forced detach/);
    expect(user('user: something-new x=1')?.source).toBe('scenarios.md');
  });

  it('put a lint finding first, with its rule spec', () => {
    const finding: LintFinding = {
      seq: 3,
      rule: 'state-write-unseen',
      message: 'nobody read it',
      spec: 'xenbus.md §3.6',
      device: '/a',
    };
    const c = captionFor(entry(3, [transition(BE, 'InitWait', 'Connected')]), { findings: [finding] });
    expect(c?.text.startsWith('Protocol lint: nobody read it.')).toBe(true);
    expect(c?.source).toBe('xenbus.md §3.6, §4.1, §7.1');
    expect(c?.highlight).toEqual({ node: '/a' });
  });

  it('know the log lines that mark a protocol moment, and only those', () => {
    expect(logCaption('dom1.K1', 'device/vbd/51712: Device in use; refusing to close')?.caption.source).toBe(
      'xenbus.md §6.1',
    );
    expect(logCaption('dom1.K2', 'device/vif/0: state 4, device is not new, ignored')?.caption.text).toMatch(
      /only to a device in Initialising/,
    );
    expect(logCaption('dom0.kernel', 'backend/vbd/1/51712: state 6, device is not new, ignored')?.rank).toBe(
      2,
    );
    expect(logCaption('dom1.K1', 'hello world')).toBeNull();
  });

  it('leave a step that changes nothing of note without a caption', () => {
    expect(captionFor(entry(2, [], { summary: 'dom1.K1: READ device/vbd/51712/state → "1"' }))).toBeNull();
  });
});

describe('captions over real traces', () => {
  it('cover every state change of every driver, citing the spec', () => {
    for (const [id, profile] of [
      ['S1', 'linux-modern'],
      ['S7', 'kexec-patch-2006'],
      ['S9', 'linux-modern'],
      ['S14', 'linux-modern'],
    ] as const) {
      const sketch = createSketch();
      for (const e of traceOf(id, profile)) {
        for (const f of e.effects)
          if (f.k === 'transition') {
            const c = captionFor(e, { profile, sketch });
            expect(c, `${id} #${e.seq}`).not.toBeNull();
            expect(isSpecSource(c!.source), c!.source).toBe(true);
            const role = roleOf(f.device);
            if (role !== 'kexec') expect(c!.text, `${id} #${e.seq}`).toContain(role!);
          }
        advanceSketch(sketch, e);
      }
    }
  });
});
