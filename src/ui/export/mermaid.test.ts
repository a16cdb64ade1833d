import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { sequenceLanes } from '../layout/lanes';
import { stepMarks, traceActors } from '../layout/stepArrows';
import { chartRangeMermaid, checkMermaidSequence, mermaidId, mermaidText } from './mermaid';
import { traceEntry } from '../model/traceSteps.test-support';

const entry = traceEntry;

const s1 = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
const s7 = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' }).trace;
const s11 = runScenario(findScenario('S11')!, { profile: 'linux-modern' }).trace;

const MESSAGE = /^ {2}(\w+)(->>|-->>|--\))(\w+): (\d+): /;
const lines = (text: string) => text.trimEnd().split('\n');

describe('a step range as a Mermaid sequence diagram', () => {
  it('is well-formed for whole scenarios and ranges of them', () => {
    for (const [trace, from, to] of [
      [s1, 0, s1.length],
      [s7, 0, s7.length],
      [s11, 0, s11.length],
      [s7, 700, 760],
      [s11, 340, 400],
    ] as const) {
      const text = chartRangeMermaid(trace, from, to);
      expect(checkMermaidSequence(text)).toEqual([]);
      expect(lines(text)[0]).toBe('sequenceDiagram');
    }
  });

  it('declares one participant per lane of the range, in the chart order', () => {
    const text = chartRangeMermaid(s7, 700, 760);
    const declared = lines(text)
      .filter((l) => l.startsWith('  participant '))
      .map((l) => l.split(' ')[3]);
    const lanes = sequenceLanes(traceActors(s7.slice(700, 760))).map((l) => mermaidId(l.actor));
    expect(declared).toEqual(lanes);
    expect(text).toContain('  participant dom1_K1 as d1 K1\n  participant dom1_K2 as d1 K2\n');
    expect(text).not.toContain('participant dom0_xl');
  });

  it('writes one message per arrow the chart draws, of the step, in order', () => {
    for (const [trace, from, to] of [
      [s1, 0, s1.length],
      [s7, 600, 800],
    ] as const) {
      const messages = lines(chartRangeMermaid(trace, from, to))
        .map((l) => MESSAGE.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ from: m[1], arrow: m[2], to: m[3], seq: Number(m[4]) }));
      const expected = trace.slice(from, to).flatMap((e) =>
        stepMarks(e)
          .arrows.filter((a) => a.from !== a.to)
          .map((a) => ({
            from: mermaidId(a.from),
            arrow: a.kind === 'reply' ? '-->>' : a.kind === 'watch' ? '--)' : '->>',
            to: mermaidId(a.to),
            seq: e.seq,
          })),
      );
      expect(messages).toEqual(expected);
      expect(messages.length).toBeGreaterThan(100);
    }
  });

  it('notes state transitions over the device kernel, and steps without arrows over their lane', () => {
    const text = chartRangeMermaid(s1, 190, 200);
    expect(text).toContain('  Note over dom0_kernel: 194: blkback: Initialising→InitWait\n');
    const noArrow = s1.slice(190, 200).filter((e) => stepMarks(e).arrows.every((a) => a.from === a.to));
    expect(noArrow.length).toBeGreaterThan(0);
    for (const e of noArrow) expect(text).toMatch(new RegExp(`\\n {2}Note over \\w+: ${e.seq}: `));
    expect(lines(text).filter((l) => l.startsWith('  Note over'))).toHaveLength(noArrow.length + 1);
  });

  it('keeps hostile text from breaking the syntax', () => {
    const text = chartRangeMermaid(
      [
        entry({
          summary: 'dom1.K1: WRITE /x = "<script>&#1;\n%%{init}%%\nsequenceDiagram" → OK',
          effects: [{ k: 'watch-fire', to: 'end', path: '/x;y', token: 'style a:b#c;' }],
        }),
        entry({ seq: 1, kind: 'wakeup', actor: 'dom1.K1', summary: 'wrap: x' }),
      ],
      0,
      2,
    );
    expect(checkMermaidSequence(text)).toEqual([]);
    expect(lines(text)).toHaveLength(1 + 3 + 3);
    expect(text).toContain('#60;script#62;#38;#35;1#59; ↵ #37;#37;{init}#37;#37; ↵ sequenceDiagram');
    expect(text).toContain('  participant p_end as end\n');
    expect(text).toContain('xenstored--)p_end: 0#58; queue watch event /x#59;y (style a#58;b#35;c#59;)');
    expect(text).toContain('Note over dom1_K1: 1: wrap: x');
  });

  it('escapes text into one line of entity codes', () => {
    expect(mermaidText('a#b;c')).toBe('a#35;b#59;c');
    expect(mermaidText('<b>&</b>')).toBe('#60;b#62;#38;#60;/b#62;');
    expect(mermaidText('one\ntwo')).toBe('one ↵ two');
    expect(mermaidText('wrap:x')).toBe('wrap#58;x');
    expect(mermaidText('   ')).toBe('(no text)');
    expect(mermaidText('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(mermaidId('dom1.K1')).toBe('dom1_K1');
    expect(mermaidId('End')).toBe('p_End');
    expect(mermaidId('0')).toBe('p_0');
  });

  it('is just the header for an empty range', () => {
    expect(chartRangeMermaid(s1, 10, 10)).toBe('sequenceDiagram\n');
    expect(chartRangeMermaid(s1, 10_000, 20_000)).toBe('sequenceDiagram\n');
  });
});

describe('the Mermaid sequence checker', () => {
  const good =
    'sequenceDiagram\n  participant a as A\n  participant b\n  a->>b: hi #35;1\n  Note over a,b: x\n';

  it('accepts a well-formed diagram, blank lines and comments', () => {
    expect(checkMermaidSequence(good)).toEqual([]);
    expect(checkMermaidSequence(`${good}\n%% a comment\n  b-->>a: back\n`)).toEqual([]);
  });

  it('rejects broken input, saying which line and why', () => {
    const cases: Array<[string, RegExp]> = [
      ['graph TD\n', /^line 1: must be "sequenceDiagram"/],
      [`${good}  a->>c: who\n`, /^line 6: participant "c" is not declared/],
      [`${good}  Note over z: x\n`, /^line 6: participant "z" is not declared/],
      [`${good}  a->>b: one; two\n`, /^line 6: message text has a raw # or ;/],
      [`${good}  a->>b: #1 first\n`, /^line 6: message text has a raw # or ;/],
      [`${good}  a->>b: <b>bold</b>\n`, /^line 6: message text has raw markup/],
      [`${good}  a->>b:   \n`, /^line 6: message text is empty/],
      [`${good}  a->>b: wrap:x\n`, /^line 6: message text starts with a wrap directive/],
      [`${good}  loop forever\n`, /^line 6: not a participant, message or note/],
      [`${good}  participant a\n`, /^line 6: participant "a" declared twice/],
      [`${good}  participant end\n`, /^line 6: id "end" is a keyword/],
      [`${good}  a->>b hi\n`, /^line 6: not a participant, message or note/],
      [`${good}  participant c as C;D\n`, /^line 6: label has a raw # or ;/],
    ];
    for (const [text, problem] of cases) {
      const problems = checkMermaidSequence(text);
      expect(problems, text).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
    }
  });
});
