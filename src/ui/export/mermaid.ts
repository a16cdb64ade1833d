/**
 * A step range of the sequence chart as Mermaid `sequenceDiagram` text, and a small well-formedness
 * checker for such text. Pure string work.
 *
 * Mermaid's sequence grammar (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison)
 * ends a message's or note's text at `#`, `;` or a newline, reads `#…;` as an entity code
 * (`#35;` is `#`), lets `<br>` and other markup through to the renderer, and reads a text starting
 * `wrap:`/`nowrap:` as a directive; before parsing, it drops the last `;` of a line matching
 * `style.*:\S*#.*;` (for `style` statements). So trace text goes through `mermaidText`: one line,
 * those characters as numeric entity codes, and `:` too in a text that mentions `style`. Participant ids are letters, digits and `_`, never a keyword.
 *
 * Arrows as in the app's chart: requests, user actions and hypercalls `->>`, replies `-->>`, watch
 * events `--)` (dotted, asynchronous).
 */
import type { TraceEntry } from '../../sim/world/trace';
import type { ArrowKind } from '../layout/stepArrows';
import { laneTitle, oneLine, stepRange, withoutActor } from './stepRange';

const ARROW: Record<ArrowKind, string> = {
  request: '->>',
  action: '->>',
  hypercall: '->>',
  reply: '-->>',
  watch: '--)',
};

/** Words of the sequence grammar (case-insensitive) that an id must not be. */
const KEYWORDS = new Set(
  (
    'participant actor create destroy box loop rect opt alt else par par_over and critical option break end ' +
    'left right of over note links link properties details activate deactivate title accTitle accDescr ' +
    'sequenceDiagram autonumber off as'
  )
    .toLowerCase()
    .split(' '),
);

/** Characters Mermaid's lexer or renderer would read as syntax, written as its entity codes. */
const CODES: Record<string, string> = {
  '#': '#35;',
  ';': '#59;',
  '&': '#38;',
  '<': '#60;',
  '>': '#62;',
  '%': '#37;',
  '`': '#96;',
};

/**
 * Text safe in a Mermaid message, note or participant label: one line, at most `max` characters
 * (before encoding), `# ; & < > %` and the backquote as entity codes, never empty, never read as a wrap directive.
 */
export function mermaidText(text: string, max = 200): string {
  let t = oneLine(text).replace(/\s+/g, ' ').trim();
  const chars = [...t];
  if (chars.length > max) t = `${chars.slice(0, max - 1).join('')}…`;
  if (t === '') t = '(no text)';
  t = t.replace(/[#;&<>%`]/g, (c) => CODES[c] as string);
  // Mermaid's pre-parse step drops the last `;` of a line matching /style.*:\S*#.*;/ (or classDef)
  if (/style|classDef/.test(t)) t = t.replace(/:/g, '#58;');
  return t.replace(/^((?:no)?wrap):/i, '$1#58;');
}

/**
 * A Mermaid participant id for an actor: `dom1.K1` → `dom1_K1`; never a keyword, never starting with
 * a digit, never containing `style` or `classDef` (see mermaidText).
 */
export function mermaidId(actor: string): string {
  const id = actor
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/style/g, 'Style')
    .replace(/classDef/g, 'ClassDef');
  return id === '' || /^[0-9]/.test(id) || KEYWORDS.has(id.toLowerCase()) ? `p_${id}` : id;
}

/**
 * Steps [from, to) (clamped) as a Mermaid sequence diagram: a participant per lane (chart order,
 * labelled as the chart's header), one message per arrow the chart draws (text `<seq>: …`), a note
 * over the step's lane for a step with no arrow, and one note per state transition over the lane of
 * the kernel that runs the device.
 */
export function chartRangeMermaid(trace: readonly TraceEntry[], from: number, to: number): string {
  const { rows, lanes } = stepRange(trace, from, to);
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const l of lanes) {
    let id = mermaidId(l.actor);
    for (let i = 2; used.has(id.toLowerCase()); i++) id = `${mermaidId(l.actor)}_${i}`;
    used.add(id.toLowerCase());
    ids.set(l.actor, id);
  }
  const idOf = (actor: string) => ids.get(actor) as string;
  const out = ['sequenceDiagram'];
  for (const l of lanes) out.push(`  participant ${idOf(l.actor)} as ${mermaidText(laneTitle(l), 60)}`);
  for (const { entry, lane, arrows, transitions } of rows) {
    for (const a of arrows)
      out.push(`  ${idOf(a.from)}${ARROW[a.kind]}${idOf(a.to)}: ${mermaidText(`${entry.seq}: ${a.label}`)}`);
    if (arrows.length === 0)
      out.push(
        `  Note over ${idOf(lane)}: ${mermaidText(`${entry.seq}: ${withoutActor(entry.summary, lane)}`)}`,
      );
    for (const t of transitions)
      out.push(`  Note over ${idOf(t.actor)}: ${mermaidText(`${entry.seq}: ${t.label}`)}`);
  }
  return `${out.join('\n')}\n`;
}

const ID = '[A-Za-z0-9_]+';
const PARTICIPANT = new RegExp(`^participant\\s+(${ID})(?:\\s+as\\s+(.*))?$`);
const MESSAGE = new RegExp(`^(${ID})\\s*(-->>|->>|-->|->|--x|-x|--\\)|-\\))\\s*[+-]?(${ID})\\s*:(.*)$`);
const NOTE = new RegExp(`^note\\s+(over|left of|right of)\\s+(${ID})(?:\\s*,\\s*(${ID}))?\\s*:(.*)$`, 'i');

/** What is wrong with a text of a message, note or label (it must be one Mermaid TXT token). */
function textProblem(text: string, what: string): string | null {
  if (text.trim() === '') return `${what} is empty`;
  const bare = text.replace(/#(?:\d+|[A-Za-z]+);/g, '');
  if (/[#;]/.test(bare)) return `${what} has a raw # or ; (write #35; or #59;)`;
  if (/<|>/.test(bare)) return `${what} has raw markup characters < or >`;
  if (/^\s*(?:no)?wrap:/i.test(text)) return `${what} starts with a wrap directive`;
  return null;
}

/**
 * Problems of a Mermaid sequence diagram as this module writes it, one line each (`line 3: …`); empty
 * if well-formed. Checks: the first line is `sequenceDiagram`; every other non-blank line is a
 * `%%` comment, a participant, a message or a note; ids are declared once, before use, and are not
 * keywords; texts are single Mermaid TXT tokens (no raw `#`, `;` or markup; not empty).
 */
export function checkMermaidSequence(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  if (lines[0]?.trim() !== 'sequenceDiagram') problems.push('line 1: must be "sequenceDiagram"');
  const declared = new Set<string>();
  const use = (no: number, id: string) => {
    if (!declared.has(id)) problems.push(`line ${no}: participant "${id}" is not declared`);
  };
  lines.slice(1).forEach((raw, i) => {
    const no = i + 2;
    const line = raw.trim();
    if (line === '' || line.startsWith('%%')) return;
    if (raw.includes('\r')) problems.push(`line ${no}: carriage return`);
    let m: RegExpExecArray | null;
    if ((m = PARTICIPANT.exec(line)) !== null) {
      const [, id = '', label] = m;
      if (KEYWORDS.has(id.toLowerCase())) problems.push(`line ${no}: id "${id}" is a keyword`);
      if (declared.has(id)) problems.push(`line ${no}: participant "${id}" declared twice`);
      declared.add(id);
      const p = label === undefined ? null : textProblem(label, 'label');
      if (p !== null) problems.push(`line ${no}: ${p}`);
    } else if ((m = MESSAGE.exec(line)) !== null) {
      const [, a = '', , b = '', body = ''] = m;
      use(no, a);
      use(no, b);
      const p = textProblem(body, 'message text');
      if (p !== null) problems.push(`line ${no}: ${p}`);
    } else if ((m = NOTE.exec(line)) !== null) {
      const [, , a = '', b, body = ''] = m;
      use(no, a);
      if (b !== undefined) use(no, b);
      const p = textProblem(body, 'note text');
      if (p !== null) problems.push(`line ${no}: ${p}`);
    } else
      problems.push(`line ${no}: not a participant, message or note: ${JSON.stringify(line.slice(0, 80))}`);
  });
  return problems;
}
