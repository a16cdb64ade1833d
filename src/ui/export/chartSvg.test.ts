import { describe, expect, it } from 'vitest';
import { lintTrace } from '../../sim/lint/lint';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { sequenceLanes } from '../layout/lanes';
import { stepMarks, traceActors } from '../layout/stepArrows';
import { chartRangeSvg, escapeXml } from './chartSvg';
import { laneTitle, oneLine } from './stepRange';
import { traceEntry } from '../model/traceSteps.test-support';

const entry = traceEntry;

/**
 * Problems of an XML document (empty if well-formed, for what this exporter writes): one root,
 * tags balanced and nested, attributes quoted and not repeated, no raw `<` or stray `&` in text or
 * attribute values.
 */
function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  const s = doc.replace(/^<\?xml [^?]*\?>\n?/, '');
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const text = (t: string, where: number, attribute = false) => {
    if (t.includes('<')) problems.push(`raw < or malformed tag near ${where}: ${t.slice(0, 40)}`);
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(t)) problems.push(`stray & near ${where}`);
    if (!attribute && stack.length === 0 && t.trim() !== '')
      problems.push(`text outside the root near ${where}`);
  };
  for (let m = tag.exec(s); m !== null; m = tag.exec(s)) {
    text(s.slice(last, m.index), m.index);
    last = tag.lastIndex;
    const [, close, name = '', attrs = '', selfClose] = m;
    const names = [...attrs.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)].map((a) => {
      text(a[2] ?? '', m.index, true);
      return a[1];
    });
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in <${name}>`);
    if (close === '/') {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      if (stack.length === 0) roots++;
      if (selfClose !== '/') stack.push(name);
    }
  }
  text(s.slice(last), last);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

const s1 = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
const s7 = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' }).trace;
const s11 = runScenario(findScenario('S11')!, { profile: 'linux-modern' }).trace;

/** The lane header texts of an SVG, left to right. */
const headerLanes = (svg: string) =>
  [
    ...svg.matchAll(
      /<text class="lane lane--\w+" x="([\d.]+)" y="18"><title>([^<]*)<\/title>([^<]*)<\/text>/g,
    ),
  ]
    .map((m) => ({ x: Number(m[1]), actor: m[2], title: m[3] }))
    .sort((a, b) => a.x - b.x);

describe('the well-formedness check used here', () => {
  it('rejects unbalanced tags, stray ampersands, raw markup in text and two roots', () => {
    expect(xmlProblems('<svg><g><text>a &amp; b</text></g></svg>')).toEqual([]);
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a <b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text x="a<b">c</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg/><svg/>')).not.toEqual([]);
    expect(xmlProblems('<svg><rect a="1" a="2"/></svg>')).not.toEqual([]);
  });
});

describe('the sequence chart of a step range as SVG', () => {
  it('is a standalone, well-formed SVG document with a title and light styles', () => {
    for (const [trace, from, to] of [
      [s1, 0, s1.length],
      [s7, 600, 760],
      [s11, 340, 400],
    ] as const) {
      const svg = chartRangeSvg(trace, from, to);
      expect(xmlProblems(svg)).toEqual([]);
      expect(
        svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
      ).toBe(true);
      const size = /<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg);
      expect(size).not.toBeNull();
      expect(size![1]).toBe(size![3]);
      expect(size![2]).toBe(size![4]);
      // header, then one 22 px row per step, then half a row
      expect(Number(size![2])).toBe(30 + (to - from) * 22 + 11);
      expect(svg).toContain(`<title>XenScope: steps ${from}–${to - 1} of ${trace.length}</title>`);
      expect(svg).toMatch(
        /<style>[\s\S]*\.arrow--request, \.head--request \{ stroke: #1f5fae;[\s\S]*<\/style>/,
      );
      expect(svg).toContain('svg { background: #ffffff; }');
    }
  });

  it('has a header with only the lanes of the range, in the chart order', () => {
    for (const [from, to] of [
      [0, 7],
      [150, 200],
      [0, s1.length],
    ] as const) {
      const svg = chartRangeSvg(s1, from, to);
      const lanes = sequenceLanes(traceActors(s1.slice(from, to)));
      expect(headerLanes(svg)).toEqual(
        lanes.map((l) => ({ x: expect.any(Number), actor: l.actor, title: laneTitle(l) })),
      );
    }
    const boot = chartRangeSvg(s1, 0, 7);
    expect(boot).not.toContain('>d1 K1<');
    expect(boot).not.toContain('>xl<');
  });

  it('draws one row per step of the range with its number and summary, and nothing outside it', () => {
    const from = 150;
    const to = 200;
    const svg = chartRangeSvg(s1, from, to, { maxSummaryChars: 1000 });
    const seqs = [...svg.matchAll(/<g class="row row--[\w-]+" data-seq="(\d+)">/g)].map((m) => Number(m[1]));
    expect(seqs).toEqual(s1.slice(from, to).map((e) => e.seq));
    for (const e of s1.slice(from, to)) {
      expect(svg).toContain(
        `<text class="seq" x="44" y="${30 + (e.seq - from) * 22 + 11 + 4}">${e.seq}</text>`,
      );
      expect(svg).toContain(`>${escapeXml(oneLine(e.summary))}`);
    }
    expect(svg).not.toContain(`data-seq="${from - 1}"`);
    expect(svg).not.toContain(`data-seq="${to}"`);
  });

  it('draws an arrow for every arrow the chart draws, of the same kind', () => {
    // from before attach-disk (a user action) to after the backend's hypercalls
    const from = 50;
    const to = 300;
    const svg = chartRangeSvg(s1, from, to);
    const drawn = [...svg.matchAll(/<line class="arrow arrow--(\w+)"/g)].map((m) => m[1]);
    const chart = s1.slice(from, to).flatMap((e) =>
      stepMarks(e)
        .arrows.filter((a) => a.from !== a.to)
        .map((a) => a.kind),
    );
    expect(drawn).toEqual(chart);
    expect(new Set(drawn)).toEqual(new Set(['request', 'reply', 'watch', 'hypercall', 'action']));
    for (const k of new Set(drawn)) expect(svg).toContain(`<marker id="xs-head-${k}"`);
  });

  it('marks state transitions on the device kernel lane, coloured by the new state', () => {
    const svg = chartRangeSvg(s1, 190, 200);
    expect(svg).toContain('[blkback: Initialising→InitWait]');
    expect(svg).toMatch(
      /<path class="state state--initwait" [^>]*><title>dom0\.kernel\|backend\/vbd\/1\/51712: /,
    );
    expect(chartRangeSvg(s1, 0, 150)).not.toContain('class="state');
  });

  it('splits a domain lane at kexec: K1 lifeline ends, K2 starts, a boundary across them', () => {
    const svg = chartRangeSvg(s7, 700, 760);
    const lanes = headerLanes(svg).map((l) => l.title);
    expect(lanes).toContain('d1 K1');
    expect(lanes).toContain('d1 K2');
    expect(lanes.indexOf('d1 K2')).toBe(lanes.indexOf('d1 K1') + 1);
    expect(svg).toMatch(
      /<line class="boundary boundary--kexec" [^>]*><title>kexec: dom1\.K1 → dom1\.K2<\/title>/,
    );
    expect(svg.match(/class="lifeline lifeline--kernel"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('flags the steps of lint findings with their message', () => {
    const findings = lintTrace(s11);
    const f = findings.find((x) => x.rule === 'state-write-unseen')!;
    const svg = chartRangeSvg(s11, f.seq - 5, f.seq + 5, { findings });
    expect(svg).toContain(`<text class="lint" x="4" y="${30 + 5 * 22 + 11 + 4}"><title>state-write-unseen: `);
    expect(svg.match(/class="lint"/g)).toHaveLength(1);
    expect(chartRangeSvg(s11, 0, f.seq, { findings })).not.toContain('class="lint"');
  });

  it('escapes trace text: store values and names are text, never markup', () => {
    const hostile = '<script>alert(1)</script>&"\'';
    const trace = [
      entry({
        seq: 0,
        summary: `dom1.K1: WRITE /x = "${hostile}" → OK`,
        effects: [
          { k: 'node-write', path: '/x', old: null, value: hostile, perms: 'n0' },
          { k: 'watch-fire', to: 'dom1.<img src=x>', path: '/x', token: hostile },
        ],
      }),
      entry({
        seq: 1,
        kind: 'wakeup',
        actor: 'dom1.K1',
        summary: `dom1.K1: ${hostile}\nsecond line\u0001`,
        effects: [
          { k: 'transition', device: `dom1.K1|device/vbd/${hostile}`, from: 'A&B', to: '<Connected>' },
        ],
      }),
    ];
    const svg = chartRangeSvg(trace, 0, 2, { title: `S1 ${hostile}` });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<Connected>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;');
    expect(svg).toContain('<title>S1 &lt;script&gt;');
    expect(svg).toContain('dom1.&lt;img src=x&gt;');
    expect(svg).toContain('A&amp;B→&lt;Connected&gt;');
    expect(svg).toContain('↵ second line');
  });

  it('escapes characters XML cannot hold at all', () => {
    expect(escapeXml('a\u0000b\u001bc\ud800d\u00e9\ud83d\ude00')).toBe(
      'a\ufffdb\ufffdc\ufffdd\u00e9\ud83d\ude00',
    );
    expect(escapeXml('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('cuts long summaries but keeps the whole text in the row title', () => {
    const long = `dom0.xl: WRITE /x = "${'v'.repeat(300)}" → OK`;
    const svg = chartRangeSvg([entry({ summary: long })], 0, 1, { maxSummaryChars: 40 });
    expect(svg).toContain(`>${escapeXml(long.slice(0, 39))}…<`);
    expect(svg).toContain(`<title>0 · 0 ms · ${escapeXml(long)}</title>`);
  });

  it('is a valid document for an empty or out-of-range range', () => {
    for (const [from, to] of [
      [5, 5],
      [9999, 10000],
      [10, 2],
    ] as const) {
      const svg = chartRangeSvg(s1, from, to);
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).toContain('no steps in this range');
      expect(headerLanes(svg)).toEqual([]);
    }
  });
});
