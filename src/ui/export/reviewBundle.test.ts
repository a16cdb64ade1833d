import { describe, expect, it } from 'vitest';
import { lintTrace } from '../../sim/lint/lint';
import type { LintFinding } from '../../sim/lint/types';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { chartRangeMermaid, checkMermaidSequence } from './mermaid';
import { markdownCell, markdownText, reviewBundle, type ReviewBundleInput } from './reviewBundle';
import { traceEntry } from '../model/traceSteps.test-support';

const entry = traceEntry;

const s7 = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' }).trace;
const s11 = runScenario(findScenario('S11')!, { profile: 'linux-modern' }).trace;
const s7Findings = lintTrace(s7);
const s11Findings = lintTrace(s11);

const s11Input = (from: number, to: number): ReviewBundleInput => ({
  title: 'S11 Frontend misses the backend Connected',
  profile: 'linux-modern',
  seed: 1,
  trace: s11,
  from,
  to,
  findings: s11Findings,
  link: 'http://localhost:5173/?scenario=S11&profile=linux-modern&seed=1',
});

/** The rows of the Steps table, as [seq, time, actor, summary] cells (unescaped pipes split cells). */
const tableRows = (md: string) =>
  md
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

/** The text of a `## heading` section, up to the next heading. */
const section = (md: string, heading: string) => {
  const start = md.indexOf(`## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
};

describe('the review bundle of a step range', () => {
  const f = s11Findings.find((x) => x.rule === 'state-write-unseen')!;
  const from = f.seq - 15;
  const to = f.seq + 15;
  const md = reviewBundle(s11Input(from, to));

  it('says where the range comes from, with the session link', () => {
    expect(
      md.startsWith(
        `# S11 Frontend misses the backend Connected: steps ${from}–${to - 1} (30 of ${s11.length})\n`,
      ),
    ).toBe(true);
    expect(md).toContain(
      'Scenario **S11 Frontend misses the backend Connected** · profile `linux-modern` · seed 1 · ' +
        `steps ${from}–${to - 1} (30 of ${s11.length}) · ` +
        '[session link](<http://localhost:5173/?scenario=S11&profile=linux-modern&seed=1>)',
    );
  });

  it('has a table row for every step of the range and no other', () => {
    const rows = tableRows(section(md, 'Steps'));
    expect(rows.map((r) => Number(r[0]))).toEqual(s11.slice(from, to).map((e) => e.seq));
    for (const [i, e] of s11.slice(from, to).entries()) {
      expect(rows[i]).toHaveLength(4);
      expect(rows[i]).toEqual([
        String(e.seq),
        String(e.time),
        markdownCell(e.actor),
        markdownCell(e.summary),
      ]);
    }
    expect(section(md, 'Steps')).toContain(
      '| Step | Time (ms) | Actor | Summary |\n| ---: | ---: | --- | --- |\n',
    );
  });

  it('lists the state transitions of the range', () => {
    const transitions = s11
      .slice(from, to)
      .flatMap((e) => e.effects.flatMap((x) => (x.k === 'transition' ? [{ seq: e.seq, ...x }] : [])));
    expect(transitions.length).toBeGreaterThan(0);
    const list = section(md, 'State transitions')
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(list).toHaveLength(transitions.length);
    for (const t of transitions) {
      // S11 has one disk: blkback in dom0, blkfront in the guest
      const driver = t.device.includes('|backend/vbd/') ? 'blkback' : 'blkfront';
      expect(list).toContain(`- step ${t.seq}: ${driver}: ${t.from} → ${t.to} (${markdownText(t.device)})`);
    }
  });

  it('lists the lint findings of the range with rule, step and message', () => {
    const lint = section(md, 'Lint findings');
    expect(lint).toContain(`- \`state-write-unseen\` at step ${f.seq} (${markdownText(f.device!)}): `);
    expect(lint).toContain(markdownText(f.message));
    expect(lint).toContain(markdownText(f.spec));
    expect(lint).not.toContain('None in this range');
  });

  it('says so when the range has no findings, and leaves out those outside it', () => {
    const before = reviewBundle(s11Input(0, f.seq));
    expect(section(before, 'Lint findings')).toBe('## Lint findings\n\nNone in this range.\n');
    const at = reviewBundle(s11Input(f.seq, f.seq + 1));
    expect(section(at, 'Lint findings')).toContain('state-write-unseen');
  });

  it('embeds the range Mermaid diagram in a mermaid block, or leaves it out', () => {
    const block = /```mermaid\n([\s\S]*?)\n```\n/.exec(md);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(chartRangeMermaid(s11, from, to).trimEnd());
    expect(checkMermaidSequence(block![1]!)).toEqual([]);
    expect(reviewBundle({ ...s11Input(from, to), mermaid: false })).not.toContain('```mermaid');
  });

  it('works for S7 under the 2006 RFC, with its leaked pages finding', () => {
    const p = s7Findings.find((x) => x.rule === 'pages-not-returned')!;
    const out = reviewBundle({
      title: 'S7 kexec reconnect',
      profile: 'kexec-patch-2006',
      seed: 4,
      trace: s7,
      from: p.seq - 3,
      to: p.seq + 3,
      findings: s7Findings,
      link: 'http://x/?scenario=S7',
    });
    expect(out).toContain('profile `kexec-patch-2006` · seed 4');
    expect(tableRows(out)).toHaveLength(6);
    expect(out).toContain(`- \`pages-not-returned\` at step ${p.seq} (dom1.K2\\|device/vif/0): `);
    expect(out).toContain(`- step ${p.seq}: netfront: Initialising → Connected (dom1.K2\\|device/vif/0)`);
  });

  it('keeps hostile text as text: pipes, newlines and markup cannot break the table', () => {
    const hostile = 'a | b\nc <script>alert(1)</script> & [x](javascript:y) *z* `q`';
    const finding: LintFinding = {
      seq: 0,
      rule: 'state-write-unseen',
      device: '/x|y',
      message: hostile,
      spec: 'xenbus.md §3.3',
    };
    const out = reviewBundle({
      title: 'S1 <b>title</b> | x',
      profile: 'linux-modern',
      seed: 1,
      trace: [entry({ actor: 'dom1.K1|<i>', summary: `dom1.K1: WRITE /x = "${hostile}" → OK` })],
      from: 0,
      to: 1,
      findings: [finding],
      link: 'http://x/?a=<b> c',
    });
    // the only raw < are the cell's line break and the link's brackets; all others escaped
    expect([...out.matchAll(/(?<!\\)<[^>]*>/g)].map((m) => m[0])).toEqual([
      '<http://x/?a=%3Cb%3E%20c>',
      '<br>',
    ]);
    const rows = tableRows(out);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(4);
    expect(rows[0]![3]).toBe(
      'dom1.K1: WRITE /x = "a \\| b<br>c \\<script\\>alert(1)\\</script\\> \\& \\[x\\](javascript:y) \\*z\\* \\`q\\`" → OK',
    );
    expect(out).toContain('# S1 \\<b\\>title\\</b\\> \\| x: steps 0–0');
    expect(out).toContain('[session link](<http://x/?a=%3Cb%3E%20c>)');
    expect(out).toContain('at step 0 (/x\\|y): a \\| b c \\<script\\>');
    expect(checkMermaidSequence(/```mermaid\n([\s\S]*?)\n```/.exec(out)![1]!)).toEqual([]);
  });

  it('clamps the range to the trace', () => {
    const out = reviewBundle(s11Input(s11.length - 2, s11.length + 50));
    expect(tableRows(out).map((r) => Number(r[0]))).toEqual([s11.length - 2, s11.length - 1]);
    const none = reviewBundle(s11Input(40, 20));
    expect(none).toContain(': no steps\n');
    expect(none).toContain('No steps in this range.');
    expect(tableRows(none)).toEqual([]);
    expect(none).not.toContain('```mermaid');
  });
});
