import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { Scheduler, type SchedulingPolicy } from './scheduler';
import { modelTime } from './time';

function drain(s: Scheduler<string>, policy: SchedulingPolicy, rng = new Rng(1)): string[] {
  const out: string[] = [];
  for (let p = s.next(policy, rng); p; p = s.next(policy, rng)) out.push(`${p.at}:${p.action}`);
  return out;
}

describe('Scheduler', () => {
  it('runs actions in time order, and in queueing order at equal times (fifo)', () => {
    const s = new Scheduler<string>();
    s.schedule('timer', 'shutdown-timeout', 5000);
    s.schedule('conn.1', 'write-state');
    s.schedule('conn.2', 'read-state');
    s.schedule('xenwatch.0', 'otherend-changed', 3);
    expect(drain(s, 'fifo')).toEqual([
      '0:write-state',
      '0:read-state',
      '3:otherend-changed',
      '5000:shutdown-timeout',
    ]);
    expect(s.now).toBe(5000);
  });

  it('never lets a later action on a channel overtake an earlier one', () => {
    const s = new Scheduler<string>();
    s.schedule('ring', 'first', 10);
    const second = s.schedule('ring', 'second', 0);
    expect(second.at).toBe(10);
    expect(drain(s, 'fifo')).toEqual(['10:first', '10:second']);
  });

  it('lists as enabled only channel heads due at the earliest time', () => {
    const s = new Scheduler<string>();
    s.schedule('a', 'a1');
    s.schedule('a', 'a2');
    s.schedule('b', 'b1');
    s.schedule('c', 'c1', 1);
    expect(s.enabled().map((p) => p.action)).toEqual(['a1', 'b1']);
  });

  it('runs the action the caller picks under manual policy, and refuses one that is not enabled', () => {
    const s = new Scheduler<string>();
    s.schedule('a', 'a1');
    const b1 = s.schedule('b', 'b1');
    const c1 = s.schedule('c', 'c1', 1);
    expect(() => s.next('manual', new Rng(1), c1.id)).toThrow(/enabled/);
    expect(s.next('manual', new Rng(1), b1.id)?.action).toBe('b1');
    expect(s.enabled().map((p) => p.action)).toEqual(['a1']);
  });

  it('picks among enabled actions reproducibly under seeded policy', () => {
    const build = () => {
      const s = new Scheduler<string>();
      for (let i = 0; i < 8; i++) s.schedule(`ch${i}`, `x${i}`);
      return s;
    };
    const runs = Array.from({ length: 10 }, () => drain(build(), 'seeded', new Rng(5)));
    for (const r of runs) expect(r).toEqual(runs[0]);
    const orders = new Set(
      Array.from({ length: 10 }, (_, seed) => drain(build(), 'seeded', new Rng(seed)).join()),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('cancels a queued action, head or not, and keeps the rest in order', () => {
    const s = new Scheduler<string>();
    const a1 = s.schedule('a', 'a1');
    s.schedule('a', 'a2');
    const a3 = s.schedule('a', 'a3');
    s.schedule('b', 'b1', 2);
    expect(s.cancel(a3.id)).toBe(true);
    expect(s.cancel(a1.id)).toBe(true);
    expect(s.cancel(a1.id)).toBe(false);
    expect(drain(s, 'fifo')).toEqual(['0:a2', '2:b1']);
  });

  it('continues identically after snapshot and restore', () => {
    const s = new Scheduler<string>();
    for (let i = 0; i < 6; i++) s.schedule(`ch${i % 3}`, `x${i}`, i % 2);
    s.next('fifo', new Rng(1));
    const copy = Scheduler.restore(s.snapshot());
    expect(drain(copy, 'seeded', new Rng(3))).toEqual(drain(s, 'seeded', new Rng(3)));
  });

  it('refuses to move time backwards or to schedule with a bad delay', () => {
    const s = new Scheduler<string>();
    s.advanceTo(modelTime(10));
    expect(() => s.advanceTo(modelTime(5))).toThrow(RangeError);
    expect(() => s.schedule('a', 'x', -1)).toThrow(RangeError);
    expect(() => s.schedule('a', 'x', 0.5)).toThrow(RangeError);
  });

  it('agrees with a naive reference under random schedules, cancels and fifo steps', () => {
    type Cmd = { op: 'schedule'; ch: number; delay: number } | { op: 'cancel'; k: number } | { op: 'next' };
    const cmd = fc.oneof(
      fc.record({ op: fc.constant('schedule' as const), ch: fc.nat(4), delay: fc.nat(5) }),
      fc.record({ op: fc.constant('cancel' as const), k: fc.nat(50) }),
      fc.record({ op: fc.constant('next' as const) }),
    );
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 60 }), (cmds: Cmd[]) => {
        const s = new Scheduler<number>();
        // reference: a flat list; the head of a channel is its lowest id; pick min (at, id) among heads
        let ref: Array<{ id: number; at: number; ch: string }> = [];
        let now = 0;
        const ids: number[] = [];
        for (const c of cmds) {
          if (c.op === 'schedule') {
            const ch = `c${c.ch}`;
            const lastAt = Math.max(0, ...ref.filter((r) => r.ch === ch).map((r) => r.at));
            const p = s.schedule(ch, c.ch, c.delay);
            ids.push(p.id);
            ref.push({ id: p.id, at: Math.max(now + c.delay, lastAt), ch });
            if (p.at !== ref[ref.length - 1]!.at) return false;
          } else if (c.op === 'cancel') {
            const id = ids[c.k % Math.max(1, ids.length)];
            if (id === undefined) continue;
            const had = ref.some((r) => r.id === id);
            ref = ref.filter((r) => r.id !== id);
            if (s.cancel(id) !== had) return false;
          } else {
            const heads = [...new Set(ref.map((r) => r.ch))].map(
              (ch) => ref.filter((r) => r.ch === ch).sort((a, b) => a.id - b.id)[0]!,
            );
            heads.sort((a, b) => a.at - b.at || a.id - b.id);
            const want = heads[0];
            const got = s.next('fifo', new Rng(0));
            if (want?.id !== got?.id) return false;
            if (want) {
              ref = ref.filter((r) => r.id !== want.id);
              now = want.at;
            }
          }
        }
        return s.size === ref.length;
      }),
      { numRuns: 500 },
    );
  });

  it('keeps order over many one-off channels (empty queues pruned) and snapshots them canonically', () => {
    const s = new Scheduler<string>();
    const order: string[] = [];
    for (let i = 0; i < 1000; i++) {
      s.schedule(`timer:${i}`, `t${i}`, i % 3);
      s.schedule('xs:1:req', `r${i}`);
      if (i % 2 === 0) order.push(s.next('fifo', new Rng(0))!.action);
    }
    const snap = s.snapshot();
    expect(snap.queues.every(([, q]) => q.length > 0)).toBe(true);
    const heads = snap.queues.map(([, q]) => q[0]!.id);
    expect(heads).toEqual([...heads].sort((a, b) => a - b));
    expect(Scheduler.restore(snap).snapshot()).toEqual(snap);
    const rest = drain(Scheduler.restore(snap), 'fifo');
    expect(drain(s, 'fifo')).toEqual(rest);
    // every action ran once, each channel in its own order
    const all = [...order, ...rest];
    expect(new Set(all).size).toBe(2000);
    const rs = all.filter((a) => a.startsWith('r')).map((a) => Number(a.slice(1)));
    expect(rs).toEqual([...rs].sort((a, b) => a - b));
  });
});
