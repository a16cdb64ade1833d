import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAYABLE } from '../../sim/scenarios/demos';
import { INTROS, introFor } from './intros';
import { citationProblems, isSpecSource } from './specSources';

const SPEC_DIR = new URL('../../../../shared/spec/', import.meta.url);
const readSpec = (file: string) => {
  const url = new URL(file, SPEC_DIR);
  return existsSync(url) ? readFileSync(url, 'utf8') : null;
};

describe('scenario introductions', () => {
  it('exist for every playable scenario', () => {
    const missing = PLAYABLE.filter((s) => introFor(s.id) === null).map((s) => s.id);
    expect(missing).toEqual([]);
  });

  it('are two to four sentences', () => {
    for (const [id, intro] of Object.entries(INTROS)) {
      // a sentence ends with . ! or ? followed by a space (the intros use no abbreviations)
      const sentences = intro.text.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
      expect(sentences.length, id).toBeGreaterThanOrEqual(2);
      expect(sentences.length, id).toBeLessThanOrEqual(4);
    }
  });

  it('only introduce scenarios that exist', () => {
    const ids = new Set(PLAYABLE.map((s) => s.id));
    expect(Object.keys(INTROS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('cite spec sections that exist', () => {
    for (const [id, intro] of Object.entries(INTROS)) expect(isSpecSource(intro.source), id).toBe(true);
  });

  it.skipIf(!existsSync(SPEC_DIR))('cite headings found in the spec documents', () => {
    const problems = Object.values(INTROS).flatMap((i) => citationProblems(i.source, readSpec));
    expect(problems).toEqual([]);
  });
});
