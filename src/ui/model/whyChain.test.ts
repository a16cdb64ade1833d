import { describe, expect, it } from 'vitest';
import type { ProfileId } from '../../sim/profiles';
import { findScenario } from '../../sim/scenarios/catalogue';
import { findPlayable } from '../../sim/scenarios/demos';
import { runScenario } from '../../sim/scenarios/run';
import type { StepKind, TraceEffect, TraceEntry } from '../../sim/world/trace';
import { chainForEffect, createWhyIndex, describeLink, type CauseLink, type WhyIndex } from './whyChain';

const traceOf = (id: string, profile: ProfileId = 'linux-modern'): TraceEntry[] =>
  runScenario(findScenario(id)!, { profile }).trace;

const FRONTEND = 'dom1.K1|device/vbd/51712';
const s1 = traceOf('S1');
const s1Index = createWhyIndex(s1);

/** Every link of the index, step by step. */
const allLinks = (index: WhyIndex): CauseLink[] =>
  Array.from({ length: index.length }, (_, seq) => index.causes(seq)).flat();

/** The step where the device made this transition. */
const transitionStep = (trace: readonly TraceEntry[], device: string, to: string): TraceEntry =>
  trace.find((e) => e.effects.some((x) => x.k === 'transition' && x.device === device && x.to === to))!;

/** The client's event number in a step's queue or run effect. */
function eventSeq(e: TraceEntry, kind: 'watch-event-queued' | 'xenwatch-run'): number | undefined {
  for (const x of e.effects)
    if (
      x.k === 'guest' &&
      (x.e.kind === 'watch-event-queued' || x.e.kind === 'xenwatch-run') &&
      x.e.kind === kind
    )
      return x.e.seq;
  return undefined;
}

/** A hand-built step. */
const entry = (seq: number, kind: StepKind, actor: string, summary: string, effects: TraceEffect[] = []) => ({
  seq,
  time: seq,
  actor,
  kind,
  summary,
  effects,
  code: null,
});

describe('why-chain: the S1 handshake (linux-modern)', () => {
  it("the frontend reaching Connected goes back through the toolstack's transaction to user: attach-disk", () => {
    const connected = transitionStep(s1, FRONTEND, 'Connected');
    const chain = s1Index.chain(connected.seq, 1000);
    // a chain is contiguous: each link's cause is the next link's effect
    chain.forEach((link, i) => expect(link.to).toBe(i === 0 ? connected.seq : chain[i - 1]!.from));
    const summaries = chain.map((l) => s1[l.from]!.summary);
    expect(summaries).toContain('dom0.xl: TRANSACTION_START  → "2"');
    expect(summaries).toContain('dom0.xl: MKDIR [tx 2] /local/domain/1/device/vbd/51712 → OK');
    // on the way: the backend's watch on the frontend, and the frontend's callback on the backend
    expect(summaries).toContain(
      'dom0.kernel xenwatch: xenbus.otherendChanged(/local/domain/1/device/vbd/51712/state)',
    );
    expect(summaries).toContain(
      'dom1.K1 xenwatch: xenbus.otherendChanged(/local/domain/0/backend/vbd/1/51712/state)',
    );
    const root = chain[chain.length - 1]!;
    expect(s1[root.from]!.summary).toBe('user: attach-disk domid=1');
    expect(root.kind).toBe('user');
    expect(s1Index.causes(root.from)).toEqual([]);
    // the default depth stops early on so long a chain
    expect(s1Index.chain(connected.seq)).toEqual(chain.slice(0, 50));
  });

  it("a reply's first cause is the xenstored step that answered it, on the same client", () => {
    const replies = s1.filter((e) => e.kind === 'reply');
    expect(replies.length).toBeGreaterThan(100);
    for (const reply of replies) {
      const [first] = s1Index.causes(reply.seq);
      expect(first?.kind).toBe('reply');
      const answered = s1[first!.from]!;
      expect(answered.kind).toBe('xenstored');
      expect(answered.summary.startsWith(`${reply.actor}: `)).toBe(true);
      const type = /reply to (\S+)/.exec(reply.summary)![1]!;
      expect(type === 'ERROR' || answered.summary.startsWith(`${reply.actor}: ${type}`)).toBe(true);
    }
  });

  it("a reply step's routine goes on from the step that sent the request", () => {
    for (const reply of s1.filter((e) => e.kind === 'reply' && e.summary.includes(' → '))) {
      const [answer, routine] = s1Index.causes(reply.seq);
      expect(routine?.kind).toBe('routine');
      expect(s1Index.causes(answer!.from)[0]).toMatchObject({ kind: 'request', from: routine!.from });
    }
  });

  it("a callback's first cause is the watch-event step that queued its event", () => {
    const runs = s1.filter((e) => e.kind === 'xenwatch');
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      const [first] = s1Index.causes(run.seq);
      expect(first?.kind).toBe('callback');
      const queued = s1[first!.from]!;
      expect(queued.kind).toBe('watch-event');
      expect(queued.actor).toBe(run.actor);
      expect(eventSeq(queued, 'watch-event-queued')).toBe(eventSeq(run, 'xenwatch-run'));
    }
  });

  it('a watch event is caused by a xenstored step that fired it at that client', () => {
    for (const ev of s1.filter((e) => e.kind === 'watch-event')) {
      const [first] = s1Index.causes(ev.seq);
      expect(first?.kind).toBe('watch');
      const [, path, token] = /: watch event (.*) \((.*)\)$/.exec(ev.summary)!;
      expect(s1[first!.from]!.effects).toContainEqual({ k: 'watch-fire', to: ev.actor, path, token });
    }
  });

  it('a guest kernel boot starts from the step that created the kernel', () => {
    const boot = s1.find((e) => e.summary === 'dom1.K1: kernel.boot starts')!;
    const [spawn] = s1Index.causes(boot.seq);
    expect(spawn?.kind).toBe('spawn');
    expect(s1[spawn!.from]!.effects).toContainEqual({ k: 'actor', actor: 'dom1.K1', change: 'started' });
    const chain = s1Index.chain(boot.seq, 1000);
    expect(s1[chain[chain.length - 1]!.from]!.summary).toMatch(/^user: create-domain/);
  });

  it('a routine started by a routine, or woken by one, links to the step that did it', () => {
    // the block hotplug script, started by the toolstack once the backend showed InitWait
    const hotplug = s1.find((e) => e.summary === 'dom0.hotplug: hotplug.blockAdd starts')!;
    const spawn = s1Index.causes(hotplug.seq).find((l) => l.kind === 'spawn');
    expect(s1[spawn!.from]!.actor).toBe('dom0.xl');
    // xl's wait for the backend state ends because its own watch callback woke it
    const woken = s1.find((e) => /^dom0\.xl: xl\.diskAdd woken \(ts-wait:/.test(e.summary))!;
    const [wake] = s1Index.causes(woken.seq);
    expect(wake?.kind).toBe('wake');
    expect(s1[wake!.from]!.summary).toMatch(/^dom0\.xl xenwatch: xl\.stateWatch\(/);
    // and so its chain reaches the backend's state write that fired the watch
    const chain = s1Index.chain(woken.seq, 1000).map((l) => s1[l.from]!.summary);
    expect(
      chain.some((t) => /dom0\.kernel: .*\/local\/domain\/0\/backend\/vbd\/1\/51712\/state/.test(t)),
    ).toBe(true);
    expect(describeLink(wake!, s1)).toMatch(/← woken by /);
  });

  it('effects() is exactly the reverse of causes()', () => {
    const links = allLinks(s1Index);
    expect(links.length).toBeGreaterThan(s1.length / 2);
    const reverse = Array.from({ length: s1Index.length }, (_, seq) => s1Index.effects(seq)).flat();
    expect(reverse).toHaveLength(links.length);
    for (const l of links) expect(s1Index.effects(l.from)).toContain(l);
    for (const l of reverse) expect(s1Index.causes(l.to)).toContain(l);
  });

  it('consequences() of the user action reach the frontend connecting, each step once', () => {
    const user = s1.find((e) => e.summary === 'user: attach-disk domid=1')!;
    const reached = s1Index.consequences(user.seq, 1000);
    expect(reached.map((l) => l.to)).toContain(transitionStep(s1, FRONTEND, 'Connected').seq);
    expect(new Set(reached.map((l) => l.to)).size).toBe(reached.length);
    expect(s1Index.consequences(user.seq, 1)).toEqual(s1Index.effects(user.seq));
  });

  it('describes a link in one plain line, the effect first', () => {
    const run = s1.find(
      (e) =>
        e.summary === 'dom1.K1 xenwatch: xenbus.otherendChanged(/local/domain/0/backend/vbd/1/51712/state)',
    )!;
    const [callback] = s1Index.causes(run.seq);
    expect(describeLink(callback!, s1)).toBe(
      `callback xenbus.otherendChanged on dom1.K1's xenwatch queue ← watch event on /local/domain/0/backend/vbd/1/51712/state (step ${callback!.from})`,
    );
    const diskAdd = s1.find((e) => e.summary === 'dom0.xl: xl.diskAdd starts')!;
    expect(describeLink(s1Index.causes(diskAdd.seq)[0]!, s1)).toBe(
      `dom0.xl: xl.diskAdd starts ← user: attach-disk domid=1 (step ${diskAdd.seq - 1})`,
    );
  });

  it('chainForEffect finds the step that wrote a node, or made a transition', () => {
    const state = '/local/domain/1/device/vbd/51712/state';
    const wrote = chainForEffect(s1, s1Index, s1.length, state)!;
    expect(s1[wrote.seq]!.effects).toContainEqual(
      expect.objectContaining({ k: 'node-write', path: state, value: '4' }),
    );
    expect(wrote.links[0]?.kind).toBe('request');
    const badge = chainForEffect(s1, s1Index, s1.length, { device: FRONTEND, to: 'Initialised' })!;
    expect(badge.seq).toBe(transitionStep(s1, FRONTEND, 'Initialised').seq);
    expect(badge.links).toEqual(s1Index.chain(badge.seq));
    expect(chainForEffect(s1, s1Index, 10, state)).toBeNull();
  });
});

describe('why-chain: every trace', () => {
  it.each([
    ['S1', 'linux-2006'],
    ['S11', 'linux-modern'],
    ['S15', 'linux-modern'],
    ['S15', 'linux-2006'],
    ['S9c', 'linux-modern'],
  ] as const)('every link of %s (%s) points back in time and names real steps', (id, profile) => {
    const trace = traceOf(id, profile);
    const links = allLinks(createWhyIndex(trace));
    expect(links.length).toBeGreaterThan(trace.length / 2);
    for (const l of links) {
      expect(l.from).toBeLessThan(l.to);
      expect(l.from).toBeGreaterThanOrEqual(0);
    }
  });

  it('the same run gives the same links', () => {
    const again = createWhyIndex(traceOf('S1'));
    expect(allLinks(again)).toEqual(allLinks(s1Index));
    expect(allLinks(createWhyIndex(s1))).toEqual(allLinks(s1Index));
  });

  it('indexes a 40k-step trace in well under a second', () => {
    const trace = runScenario(findPlayable('many-devices')!, { profile: 'linux-modern' }).trace;
    expect(trace.length).toBeGreaterThan(40_000);
    const t0 = performance.now();
    const index = createWhyIndex(trace);
    const ms = performance.now() - t0;
    // ~0.1 s here (0.3 s cold in a bare node); the bound leaves room for a loaded machine
    expect(ms).toBeLessThan(500);
    expect(allLinks(index).length).toBeGreaterThan(trace.length);
  }, 60_000);
});

describe('why-chain: matching rules on hand-built traces', () => {
  it('watch events match fires first in, first out per (client, path, token), skipping lost fires', () => {
    const fire = (to: string, path: string): TraceEffect => ({ k: 'watch-fire', to, path, token: 't' });
    const lost: TraceEffect = {
      k: 'log',
      actor: 'xenstored',
      text: 'fault: watch event a (t) for dom0.kernel lost',
    };
    const trace = [
      entry(0, 'xenstored', 'xenstored', 'dom0.xl: WRITE /a = "1" → OK', [fire('dom0.kernel', 'a')]),
      entry(1, 'xenstored', 'xenstored', 'dom0.xl: WRITE /a = "2" → OK', [fire('dom0.kernel', 'a'), lost]),
      entry(2, 'xenstored', 'xenstored', 'dom0.xl: WRITE /b = "3" → OK', [fire('dom0.kernel', 'b')]),
      entry(3, 'xenstored', 'xenstored', 'dom0.xl: WRITE /a = "4" → OK', [fire('dom0.kernel', 'a')]),
      entry(4, 'watch-event', 'dom0.kernel', 'dom0.kernel: watch event b (t)'),
      entry(5, 'watch-event', 'dom0.kernel', 'dom0.kernel: watch event a (t)'),
      entry(6, 'watch-event', 'dom0.kernel', 'dom0.kernel: watch event a (t)'),
    ];
    const index = createWhyIndex(trace);
    expect([4, 5, 6].map((seq) => index.causes(seq)[0]?.from)).toEqual([2, 0, 3]);
  });

  it('two routines on one client are told apart by the routine their reply names', () => {
    const trace = [
      entry(0, 'xenwatch', 'dom0.kernel', 'dom0.kernel xenwatch: xenbus.devChanged(backend)'),
      entry(1, 'wakeup', 'dom0.kernel', 'dom0.kernel: blkback.work starts'),
      entry(2, 'xenstored', 'xenstored', 'dom0.kernel: READ /a → "1"'),
      entry(3, 'xenstored', 'xenstored', 'dom0.kernel: READ /b → "2"'),
      entry(4, 'reply', 'dom0.kernel', 'dom0.kernel: reply to READ → xenbus.devChanged'),
      entry(5, 'reply', 'dom0.kernel', 'dom0.kernel: reply to READ → blkback.work'),
      entry(6, 'xenstored', 'xenstored', 'dom0.kernel: READ /c → "3"'),
      entry(7, 'reply', 'dom0.kernel', 'dom0.kernel: reply to READ → blkback.work'),
    ];
    const index = createWhyIndex(trace);
    expect(index.causes(2)).toEqual([{ from: 0, to: 2, kind: 'request', label: 'READ /a' }]);
    expect(index.causes(3)[0]?.from).toBe(1);
    expect(index.causes(6)[0]?.from).toBe(5);
    expect(index.causes(7).map((l) => [l.kind, l.from])).toEqual([
      ['reply', 6],
      ['routine', 5],
    ]);
  });

  it('a woken routine goes on from the step where it waited; a fault action starts nothing', () => {
    const trace = [
      entry(0, 'user', 'user', 'user: fault name=x value=1'),
      entry(1, 'user', 'user', 'user: attach-disk domid=1'),
      entry(2, 'wakeup', 'dom0.xl', 'dom0.xl: xl.diskAdd starts'),
      entry(3, 'wakeup', 'dom0.xl', 'dom0.xl: xl.diskAdd woken (ts-wait:/x)'),
    ];
    const index = createWhyIndex(trace);
    expect(index.causes(2)).toEqual([{ from: 1, to: 2, kind: 'user', label: 'attach-disk domid=1' }]);
    expect(index.causes(3)).toEqual([{ from: 2, to: 3, kind: 'routine', label: 'xl.diskAdd' }]);
    expect(index.chain(3)).toEqual([...index.causes(3), ...index.causes(2)]);
  });
});
