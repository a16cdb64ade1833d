import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CORE_DIRS } from '../eslint.config.js';

/** Kept outside the core folders; it is linted as if it were a module inside each of them. */
const FIXTURE = 'src/__fixtures__/impureCore.ts';
const source = readFileSync(FIXTURE, 'utf8');
const lineOf = (needle: string) => source.split('\n').findIndex((l) => l.includes(needle)) + 1;

/** Every (line, rule) the core rules must report for the fixture. */
const EXPECTED: Array<[string, string]> = [
  ["from 'react'", 'no-restricted-imports'],
  ["from 'react-dom/client'", 'no-restricted-imports'],
  ["from 'zustand'", 'no-restricted-imports'],
  ["from 'd3-hierarchy'", 'no-restricted-imports'],
  ["from 'd3'", 'no-restricted-imports'],
  ["from 'fs'", 'no-restricted-imports'],
  ["from 'node:net'", 'no-restricted-imports'],
  ['Math.random()', 'no-restricted-properties'],
  ['Date.now()', 'no-restricted-properties'],
  ['new Date()', 'no-restricted-syntax'],
  ['performance.now()', 'no-restricted-globals'],
  ['setTimeout(', 'no-restricted-globals'],
  ['setInterval(', 'no-restricted-globals'],
  ['window.location', 'no-restricted-globals'],
  ['document.title', 'no-restricted-globals'],
];
const CORE_RULES = new Set(EXPECTED.map(([, rule]) => rule));

async function coreFindings(filePath: string): Promise<string[]> {
  const eslint = new ESLint({ ignore: false });
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId && CORE_RULES.has(m.ruleId))
    .map((m) => `${m.line}:${m.ruleId}`);
}

describe('core purity lint rules', () => {
  const expected = EXPECTED.map(([needle, rule]) => `${lineOf(needle)}:${rule}`);

  it('the fixture contains every construct the rules forbid', () => {
    for (const [needle] of EXPECTED) expect(lineOf(needle), needle).toBeGreaterThan(0);
  });

  it('reports every UI import, Node built-in, clock, randomness, timer and DOM use in the fixture', async () => {
    const eslint = new ESLint({ ignore: false });
    const [result] = await eslint.lintText(source, { filePath: 'src/xenstore/impureCore.ts' });
    const found = (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId}`);
    for (const e of expected) expect(found).toContain(e);
  });

  it.each(CORE_DIRS)('applies to every file under src/%s', async (dir) => {
    const found = await coreFindings(`src/${dir}/someModule.ts`);
    for (const e of expected) expect(found).toContain(e);
  });

  it('leaves the UI layer and the core’s own tests free to use the browser and Node', async () => {
    expect(await coreFindings('src/ui/someView.ts')).toEqual([]);
    expect(await coreFindings('src/sim/world.test.ts')).toEqual([]);
  });
});
