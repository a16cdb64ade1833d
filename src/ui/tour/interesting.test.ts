import { describe, expect, it } from 'vitest';
import { lintTrace } from '../../sim/lint/lint';
import { interestingSteps, nextInteresting, prevInteresting } from './interesting';
import { entry, traceOf } from './tourTraces.test-support';

const seqsWhere = (id: string, test: (e: ReturnType<typeof traceOf>[number]) => boolean) =>
  traceOf(id, 'linux-modern')
    .filter(test)
    .map((e) => e.seq);

describe('interesting steps', () => {
  it('are the transitions, user actions and merged watch events of S1, ascending, and not every step', () => {
    const trace = traceOf('S1', 'linux-modern');
    const steps = interestingSteps(trace);
    const transitions = seqsWhere('S1', (e) => e.effects.some((f) => f.k === 'transition'));
    const users = seqsWhere('S1', (e) => e.kind === 'user');
    const merged = seqsWhere('S1', (e) =>
      e.effects.some((f) => f.k === 'guest' && f.e.kind === 'watch-event-dropped'),
    );
    expect(transitions).toHaveLength(4);
    for (const s of [...transitions, ...users, ...merged]) expect(steps).toContain(s);
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    expect(steps.length).toBeLessThan(trace.length / 10);
    // a plain READ is not one
    const read = trace.find((e) => / READ /.test(e.summary) && e.kind === 'xenstored')!;
    expect(steps).not.toContain(read.seq);
  });

  it('include lint findings, EAGAIN and timeouts', () => {
    const s11 = traceOf('S11', 'linux-modern');
    const findings = lintTrace(s11);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(interestingSteps(s11, findings)).toContain(f.seq);
    const eagain = seqsWhere('S12', (e) => e.effects.some((f) => f.k === 'tx' && f.outcome === 'eagain'));
    expect(eagain.length).toBeGreaterThan(0);
    expect(interestingSteps(traceOf('S12', 'linux-modern'))).toEqual(expect.arrayContaining(eagain));
    const timeouts = seqsWhere('S13', (e) => e.effects.some((f) => f.k === 'timeout'));
    expect(timeouts.length).toBeGreaterThan(0);
    expect(interestingSteps(traceOf('S13', 'linux-modern'))).toEqual(expect.arrayContaining(timeouts));
  });
});

describe('moving between interesting steps', () => {
  // steps 2 and 5 matter (a user action, a timeout); the cursor shows step s having run at s + 1
  const trace = [0, 1, 2, 3, 4, 5, 6].map((seq) =>
    seq === 2
      ? entry(seq, [], { actor: 'user', kind: 'user', summary: 'user: attach-disk domid=1' })
      : seq === 5
        ? entry(seq, [{ k: 'timeout', actor: 'dom0.xl', wait: 'ts-wait:/x' }], {
            actor: 'dom0.xl',
            kind: 'wakeup',
          })
        : entry(seq, []),
  );

  it('find them', () => {
    expect(interestingSteps(trace)).toEqual([2, 5]);
  });

  it('go forward to the cursor that shows the next one having run', () => {
    expect(nextInteresting(trace, 0)).toBe(3);
    expect(nextInteresting(trace, 2)).toBe(3);
    expect(nextInteresting(trace, 3)).toBe(6);
    expect(nextInteresting(trace, 5)).toBe(6);
    expect(nextInteresting(trace, 6)).toBeNull();
    expect(nextInteresting(trace, 7)).toBeNull();
  });

  it('go back to the cursor of the previous one', () => {
    expect(prevInteresting(trace, 7)).toBe(6);
    expect(prevInteresting(trace, 6)).toBe(3);
    expect(prevInteresting(trace, 4)).toBe(3);
    expect(prevInteresting(trace, 3)).toBeNull();
    expect(prevInteresting(trace, 0)).toBeNull();
  });

  it('use the steps the caller already has', () => {
    expect(nextInteresting(trace, 0, [4])).toBe(5);
    expect(prevInteresting(trace, 7, [4])).toBe(5);
  });

  it('visit every interesting step of a real trace, forward and back', () => {
    const s1 = traceOf('S1', 'linux-modern');
    const steps = interestingSteps(s1);
    const forward: number[] = [];
    for (let c: number | null = 0; (c = nextInteresting(s1, c, steps)) !== null;) forward.push(c);
    expect(forward).toEqual(steps.map((s) => s + 1));
    const back: number[] = [];
    for (let c: number | null = s1.length; (c = prevInteresting(s1, c, steps)) !== null;) back.push(c);
    expect(back).toEqual(forward.slice().reverse());
  });
});
