/**
 * Trace snapshots: for every scenario under every profile it names, the steps that changed the
 * store, a device or machine, or printed something, one line each, kept in traces/<id>.<profile>.txt.
 * A change to the simulation shows up as a reviewable diff of these files.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../world/trace';
import { SCENARIOS } from './catalogue';
import { runScenario } from './run';

const MARKS: Partial<Record<TraceEntry['effects'][number]['k'], true>> = {
  'node-write': true,
  'node-remove': true,
  transition: true,
  device: true,
  log: true,
  actor: true,
};

function line(e: TraceEntry): string | null {
  if (e.kind !== 'user' && !e.effects.some((f) => MARKS[f.k])) return null;
  const notes = e.effects.flatMap((f) => {
    if (f.k === 'transition') return [`${f.device} ${f.from}→${f.to}`];
    // a commit's writes (a plain WRITE or RM already names its node)
    if (f.k === 'node-write' && !e.summary.includes(f.path)) return [`${f.path} = "${f.value}"`];
    if (f.k === 'node-remove' && !e.summary.includes(f.path)) return [`rm ${f.path}`];
    if (f.k === 'log') return [`log ${f.actor}: ${f.text}`];
    if (f.k === 'actor' || f.k === 'device')
      return [`${f.k} ${'actor' in f ? f.actor : f.device} ${f.change}`];
    return [];
  });
  return [`${e.seq} ${e.time}ms ${e.summary}`, ...notes.map((n) => `    ${n}`)].join('\n');
}

describe('trace snapshots', () => {
  for (const s of SCENARIOS) {
    for (const profile of s.profiles) {
      it(`${s.id} under ${profile}`, async () => {
        const w = runScenario(s, { profile });
        const text = `${w.trace.flatMap((e) => line(e) ?? []).join('\n')}\n`;
        await expect(text).toMatchFileSnapshot(`traces/${s.id}.${profile}.txt`);
      });
    }
  }
});
