/**
 * A step range as a Markdown report to paste into a design document or a bug report: where it comes
 * from (scenario, profile, seed, range, session link), the steps as a table, the state transitions,
 * the lint findings of the range and the Mermaid sequence diagram. Pure: returns a string.
 *
 * Trace text is text, never markup: Markdown's punctuation is backslash-escaped (so `<script>`
 * shows as written and `|` cannot split a table cell), newlines in a cell become `<br>`.
 */
import type { LintFinding } from '../../sim/lint/types';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';
import { chartRangeMermaid } from './mermaid';
import { stepRange } from './stepRange';

export interface ReviewBundleInput {
  /** scenario id and title, `S1 Normal vbd connect` */
  title: string;
  profile: ProfileId;
  seed: number;
  /** the whole trace; the range is cut from it */
  trace: readonly TraceEntry[];
  /** steps [from, to), clamped to the trace */
  from: number;
  to: number;
  /** lint findings of the whole trace (`lintTrace(trace)`); only those in the range are listed */
  findings: readonly LintFinding[];
  /** the session link (the app's address for this scenario, profile and seed) */
  link: string;
  /** add the Mermaid diagram (default true) */
  mermaid?: boolean;
}

/** Mermaid's default `maxTextSize`: a longer diagram is not drawn unless the page raises it. */
export const MERMAID_MAX_TEXT = 50_000;

/** Markdown text that reads as written: ASCII punctuation Markdown uses escaped, one line. */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&|~#!]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/\p{Cc}/gu, ' ');
}

/** A table cell: as `markdownText`, but newlines kept as `<br>`. */
export function markdownCell(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(markdownText)
    .join('<br>');
}

/** A link target: inside <…>, so spaces and parentheses are fine; markup characters percent-encoded. */
function linkTarget(url: string): string {
  return `<${url.replace(/[<>\s\\]/g, (c) => encodeURIComponent(c))}>`;
}

/**
 * The Markdown report of steps [from, to) (clamped to the trace): heading, provenance line with the
 * session link, a Steps table (step, time in model ms, actor, summary), the state transitions, the
 * range's lint findings (or "none in this range") and, unless `mermaid: false`, a ```mermaid block.
 */
export function reviewBundle(input: ReviewBundleInput): string {
  const { trace, findings } = input;
  const range = stepRange(trace, input.from, input.to);
  const { rows } = range;
  const last = range.to - 1;
  const span =
    rows.length === 0 ? 'no steps' : `steps ${range.from}–${last} (${rows.length} of ${trace.length})`;
  const out: string[] = [];

  out.push(`# ${markdownText(input.title)}: ${span}`, '');
  out.push(
    `Scenario **${markdownText(input.title)}** · profile \`${input.profile}\` · seed ${input.seed} · ` +
      `${span} · [session link](${linkTarget(input.link)})`,
    '',
  );

  out.push('## Steps', '');
  if (rows.length === 0) out.push('No steps in this range.', '');
  else {
    out.push('| Step | Time (ms) | Actor | Summary |', '| ---: | ---: | --- | --- |');
    for (const { entry } of rows)
      out.push(
        `| ${entry.seq} | ${entry.time} | ${markdownCell(entry.actor)} | ${markdownCell(entry.summary)} |`,
      );
    out.push('');
  }

  out.push('## State transitions', '');
  const transitions = rows.flatMap((r) => r.transitions.map((t) => ({ seq: r.entry.seq, t })));
  if (transitions.length === 0) out.push('None in this range.');
  for (const { seq, t } of transitions)
    out.push(
      `- step ${seq}: ${markdownText(t.driver)}: ${markdownText(t.from)} → ${markdownText(t.to)} ` +
        `(${markdownText(t.device)})`,
    );
  out.push('');

  out.push('## Lint findings', '');
  const inRange = findings.filter((f) => f.seq >= range.from && f.seq < range.to);
  if (inRange.length === 0) out.push('None in this range.');
  for (const f of inRange)
    out.push(
      `- \`${f.rule}\` at step ${f.seq}` +
        (f.device === undefined ? '' : ` (${markdownText(f.device)})`) +
        `: ${markdownText(f.message)} — ${markdownText(f.spec)}`,
    );
  out.push('');

  if (input.mermaid !== false && rows.length > 0) {
    const diagram = chartRangeMermaid(trace, range.from, range.to);
    out.push('## Sequence diagram', '');
    if (diagram.length > MERMAID_MAX_TEXT)
      out.push(
        `The diagram is ${diagram.length} characters long, more than Mermaid's default maxTextSize ` +
          `(${MERMAID_MAX_TEXT}): some renderers will not draw it; choose a shorter range.`,
        '',
      );
    out.push('```mermaid', diagram.trimEnd(), '```', '');
  }
  return out.join('\n');
}
