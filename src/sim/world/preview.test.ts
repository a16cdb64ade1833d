import { describe, expect, it } from 'vitest';
import { findScenario } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import { worldFingerprint } from './fingerprint';
import { describeOutcome, describePending, forkWorld, previewChoice } from './preview';

describe('outcome preview', () => {
  it('runs a copy: the world previewed from does not move', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    const attach = w.trace.findIndex((e) => e.summary.startsWith('user: attach-disk'));
    w.seek(attach + 5);
    const before = worldFingerprint(w);
    const outcome = previewChoice(w, undefined);
    expect(worldFingerprint(w)).toBe(before);
    expect(w.seq).toBe(attach + 5);
    expect(outcome.settled).toBe(true);
    expect(outcome.label).toBe('dom1 vbd/51712: both Connected');
    // the copy runs the same steps the world ran
    const fork = forkWorld(w);
    const next = fork.step();
    expect(next?.summary).toBe(w.trace[attach + 5]!.summary);
  });

  it('at the end of a run there is nothing to run', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    expect(previewChoice(w, undefined).label).toBe('nothing to run');
  });

  it("S11: with the guest's xenwatch held, the frontend misses the backend's Connected", () => {
    const w = runScenario(findScenario('S11')!, { profile: 'linux-modern' });
    const held = w.trace.findIndex((e) => e.summary.includes('hold-xenwatch domid=1 held=true'));
    w.seek(held + 1);
    // the copy carries no scripted release: the held queue stays held while the backend runs on
    const outcome = previewChoice(w, undefined);
    expect(outcome.label).toMatch(/dom1 vbd\/51712: frontend missed Connected \(now Initialised\)/);
    const pair = outcome.pairs.find((p) => p.device.endsWith('vbd/51712'))!;
    expect(pair.backendPath).toContain('Connected');
    expect(pair.frontendPath).not.toContain('Connected');
  });

  it('a ring its frontend let go of while the backend still maps it is a leaked grant', () => {
    const w = runScenario(findScenario('S10')!, { profile: 'kexec-patch-2006' });
    const release = w.trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'hv' && f.e.kind === 'rx-release'),
    );
    w.seek(release + 1);
    const outcome = describeOutcome(w, [], false);
    expect(outcome.leakedRings.length).toBeGreaterThan(0);
    expect(outcome.label).toBe('nothing to run');
  });

  it('pending deliveries in words: a request, a reply or watch event, a callback, a wakeup', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern', policy: 'manual' });
    const seen = new Set<string>();
    for (let n = 0; n < w.trace.length && seen.size < 3; n += 7) {
      w.seek(n);
      for (const p of w.enabled()) {
        const text = describePending(w, p);
        expect(text.length).toBeGreaterThan(10);
        if (text.startsWith('xenstored handles ')) seen.add('request');
        else if (text.includes(' receives the ')) seen.add('delivery');
        else if (text.includes('xenwatch thread runs')) seen.add('callback');
      }
    }
    expect([...seen].sort()).toEqual(['callback', 'delivery', 'request']);
  });
});
