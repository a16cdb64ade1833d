/**
 * The sequence chart of a step range as a standalone SVG document, for a design document or a bug
 * report: the chart's lanes and arrows (stepRange.ts, from layout/lanes.ts and layout/stepArrows.ts),
 * kernel lifelines split at kexec (model/epochs.ts), a diamond per state transition, and per row the
 * step number at the left and the summary at the right. Light colours (the app's light theme) on
 * white. Pure: returns a string. Every piece of trace text is XML-escaped.
 *
 * Shape: header (lane names) of HEADER_H px, then one row of `rowHeight` px per step; x: a gutter for
 * step numbers, the lanes `laneWidth` px apart, then the summary column, sized for its longest line
 * at ~CHAR_W px per character of 11px monospace.
 */
import type { LintFinding } from '../../sim/lint/types';
import type { TraceEntry } from '../../sim/world/trace';
import type { ArrowKind } from '../layout/stepArrows';
import { kernelEpochs } from '../model/epochs';
import { laneTitle, oneLine, stepRange, type RangeRow } from './stepRange';

export interface ChartSvgOptions {
  /** the document's <title>; default `XenScope: steps <from>–<to - 1>` */
  title?: string;
  /** px between lane centres (default 80) */
  laneWidth?: number;
  /** px per step (default 22, as in the app) */
  rowHeight?: number;
  /** summaries longer than this are cut with … (the whole text stays in the row's <title>); default 160 */
  maxSummaryChars?: number;
  /** lint findings of the trace: their steps get a red ! with the message (only those in the range are used) */
  findings?: readonly LintFinding[];
  /** prefix of the marker ids, to embed several charts in one page (default `xs`) */
  idPrefix?: string;
  /** start with `<?xml …?>` (default true; pass false to inline the SVG in an HTML page) */
  xmlDeclaration?: boolean;
}

const HEADER_H = 30;
const GUTTER = 52;
const CHAR_W = 6.7;
const ARROW_KINDS: readonly ArrowKind[] = ['request', 'reply', 'watch', 'hypercall', 'action'];
const STATES = new Set([
  'initialising',
  'initwait',
  'initialised',
  'connected',
  'closing',
  'closed',
  'reconfiguring',
  'reconfigured',
]);

/** Light theme colours of src/ui/styles/theme.css and chart.css, fixed for a white page. */
const STYLE = `
svg { background: #ffffff; }
text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 11px; fill: #1b1f24; }
.bg { fill: #ffffff; }
.stripe { fill: #f6f7f9; }
.header-bg { fill: #eef1f5; }
.lane { font-weight: 600; text-anchor: middle; }
.lane--kernel { fill: #1f4e79; }
.lane--xenstored { fill: #b35c00; }
.lane--hypervisor { fill: #6a3fa0; }
.lane--user { fill: #1d7a45; }
.col { fill: #4f5966; font-style: italic; }
.seq { text-anchor: end; fill: #4f5966; }
.lint { fill: #c0392b; font-weight: 700; }
.transition-label { fill: #2f6fb0; }
.lifeline { stroke: #d5d9e0; stroke-width: 1; }
.lifeline--kernel { stroke: #4f5966; stroke-width: 1.5; }
.lifeline--frozen { stroke: #ffffff; stroke-width: 2; stroke-dasharray: 3 3; }
.boundary { stroke: #6a3fa0; stroke-width: 2; stroke-dasharray: 6 3; }
.arrow { stroke-width: 1.5; fill: none; }
.arrow--request, .head--request { stroke: #1f5fae; fill: #1f5fae; }
.arrow--reply, .head--reply { stroke: #5a6b7d; fill: #5a6b7d; }
.arrow--watch, .head--watch { stroke: #b35c00; fill: #b35c00; }
.arrow--watch { stroke-dasharray: 4 2; }
.arrow--hypercall, .head--hypercall { stroke: #6a3fa0; fill: #6a3fa0; }
.arrow--action, .head--action { stroke: #1d7a45; fill: #1d7a45; }
.head { stroke: none; }
.dot { fill: #4f5966; }
.dot--user { fill: #1d7a45; }
.dot--xenwatch { fill: #b35c00; }
.state { stroke: #1b1f24; stroke-width: 0.75; fill: #8d99a6; }
.state--initwait { fill: #6aa6d8; }
.state--initialised { fill: #2f6fb0; }
.state--connected { fill: #2e9a55; }
.state--closing { fill: #e08a1e; }
.state--closed { fill: #c0392b; }
`;

/** Text and attribute values as XML: markup characters escaped, characters XML 1.0 forbids replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/(?![\t\n\r])\p{Cc}|\p{Cs}|[\ufffe\uffff]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A number for an attribute: at most 2 decimals. */
const n = (v: number) => String(Math.round(v * 100) / 100);

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Steps [from, to) of the sequence chart (clamped to the trace) as an SVG document. Lanes: only the
 * actors of the range and the ends of its arrows, in the chart's order.
 */
export function chartRangeSvg(
  trace: readonly TraceEntry[],
  from: number,
  to: number,
  opts: ChartSvgOptions = {},
): string {
  const laneW = opts.laneWidth ?? 80;
  const rowH = opts.rowHeight ?? 22;
  const maxChars = opts.maxSummaryChars ?? 160;
  const id = (opts.idPrefix ?? 'xs').replace(/[^A-Za-z0-9_-]/g, '-');
  const range = stepRange(trace, from, to, laneW);
  const { rows, lanes } = range;
  const laneX = new Map(lanes.map((l) => [l.actor, GUTTER + l.x]));
  const lint = new Map<number, string[]>();
  for (const f of opts.findings ?? [])
    if (f.seq >= range.from && f.seq < range.to)
      lint.set(f.seq, [...(lint.get(f.seq) ?? []), `${f.rule}: ${f.message} (${f.spec})`]);

  // geometry: the summary column starts after the lanes
  const textX = GUTTER + Math.max(lanes.length, 1) * laneW + 8;
  const rowText = rows.map((r) => ({
    summary: cut(oneLine(r.entry.summary), maxChars),
    marks: r.transitions.map((t) => `[${oneLine(t.label)}]`).join(' '),
  }));
  const longest = Math.max(24, ...rowText.map((t) => [...t.summary].length + [...t.marks].length + 2));
  const width = Math.ceil(textX + longest * CHAR_W + 12);
  const height = HEADER_H + Math.max(rows.length, 1) * rowH + Math.round(rowH / 2);
  const rowY = (i: number) => HEADER_H + i * rowH + rowH / 2;
  // a seq's y, clipped to the range (for lifelines that start before or end after it)
  const seqY = (seq: number) => rowY(Math.min(Math.max(seq, range.from), range.to) - range.from);
  const title =
    opts.title ??
    (rows.length === 0
      ? 'XenScope: no steps'
      : `XenScope: steps ${range.from}–${range.to - 1} of ${trace.length}`);

  const out: string[] = [];
  if (opts.xmlDeclaration !== false) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '<defs>',
    ...ARROW_KINDS.map(
      (k) =>
        `<marker id="${id}-head-${k}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path class="head head--${k}" d="M0,0 L8,4 L0,8 z"/></marker>`,
    ),
    '</defs>',
    `<rect class="bg" x="0" y="0" width="${width}" height="${height}"/>`,
  );

  // stripes every other row, then the header
  out.push('<g class="stripes">');
  rows.forEach((_, i) => {
    if (i % 2 === 1)
      out.push(
        `<rect class="stripe" x="0" y="${n(HEADER_H + i * rowH)}" width="${width}" height="${rowH}"/>`,
      );
  });
  out.push('</g>', '<g class="header">');
  out.push(`<rect class="header-bg" x="0" y="0" width="${width}" height="${HEADER_H - 4}"/>`);
  out.push(`<text class="col seq" x="${GUTTER - 8}" y="18">step</text>`);
  for (const l of lanes)
    out.push(
      `<text class="lane lane--${l.group}" x="${n(GUTTER + l.x)}" y="18"><title>${escapeXml(l.actor)}</title>${escapeXml(laneTitle(l))}</text>`,
    );
  out.push(`<text class="col" x="${textX}" y="18">summary</text>`, '</g>');

  // lifelines: a kernel's only while it lives (dashed while frozen), the others across the range
  const bottom = rowY(Math.max(rows.length, 1) - 1) + rowH / 2;
  const epochs = kernelEpochs(trace).filter((d) => d.epochs.some((k) => laneX.has(k.actor)));
  const withEpochs = new Set(epochs.flatMap((d) => d.epochs.map((k) => k.actor)));
  out.push('<g class="lifelines">');
  for (const l of lanes) {
    const x = n(GUTTER + l.x);
    if (!withEpochs.has(l.actor))
      out.push(`<line class="lifeline" x1="${x}" x2="${x}" y1="${HEADER_H - 4}" y2="${n(bottom)}"/>`);
  }
  if (rows.length > 0)
    for (const d of epochs) {
      for (const k of d.epochs) {
        const x = laneX.get(k.actor);
        if (x === undefined) continue;
        const y1 = seqY(k.startSeq);
        const y2 = k.endSeq === null ? bottom : seqY(k.endSeq);
        if (y2 > y1)
          out.push(
            `<line class="lifeline lifeline--kernel" x1="${n(x)}" x2="${n(x)}" y1="${n(y1)}" y2="${n(y2)}"/>`,
          );
        for (const [a, b] of k.frozenRanges) {
          const f1 = seqY(a);
          const f2 = b === null ? bottom : seqY(b);
          if (f2 > f1)
            out.push(
              `<line class="lifeline lifeline--frozen" x1="${n(x)}" x2="${n(x)}" y1="${n(f1)}" y2="${n(f2)}"/>`,
            );
        }
      }
      const xs = d.epochs.flatMap((k) => laneX.get(k.actor) ?? []);
      for (const b of d.boundaries)
        if (b.seq >= range.from && b.seq < range.to)
          out.push(
            `<line class="boundary boundary--${b.kind}" x1="${n(Math.min(...xs) - 20)}" x2="${n(Math.max(...xs) + 20)}" y1="${n(seqY(b.seq))}" y2="${n(seqY(b.seq))}"><title>${escapeXml(`${b.kind}: ${b.from} → ${b.to}`)}</title></line>`,
          );
    }
  out.push('</g>');

  out.push('<g class="rows">');
  rows.forEach((row, i) =>
    out.push(rowSvg(row, rowY(i), rowText[i]!, lint.get(row.entry.seq), laneX, textX, id)),
  );
  if (rows.length === 0)
    out.push(`<text class="col" x="${GUTTER}" y="${n(rowY(0) + 4)}">no steps in this range</text>`);
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

/** One step's row: its number, arrows, dot, transition diamonds and text; the whole summary in a <title>. */
function rowSvg(
  row: RangeRow,
  y: number,
  text: { summary: string; marks: string },
  lint: string[] | undefined,
  laneX: ReadonlyMap<string, number>,
  textX: number,
  id: string,
): string {
  const { entry } = row;
  const parts: string[] = [`<g class="row row--${entry.kind}" data-seq="${entry.seq}">`];
  parts.push(`<title>${escapeXml(`${entry.seq} · ${entry.time} ms · ${oneLine(entry.summary)}`)}</title>`);
  parts.push(`<text class="seq" x="${GUTTER - 8}" y="${n(y + 4)}">${entry.seq}</text>`);
  if (lint !== undefined)
    parts.push(
      `<text class="lint" x="4" y="${n(y + 4)}"><title>${escapeXml(lint.map(oneLine).join('\n'))}</title>!</text>`,
    );
  for (const a of row.arrows) {
    const x1 = laneX.get(a.from);
    const x2 = laneX.get(a.to);
    if (x1 === undefined || x2 === undefined || x1 === x2) continue;
    const dir = x2 > x1 ? 1 : -1;
    parts.push(
      `<line class="arrow arrow--${a.kind}" x1="${n(x1)}" x2="${n(x2 - dir * 4)}" y1="${n(y)}" y2="${n(y)}" marker-end="url(#${id}-head-${a.kind})"><title>${escapeXml(oneLine(a.label))}</title></line>`,
    );
  }
  const dotX = laneX.get(row.lane);
  if (dotX !== undefined)
    parts.push(`<circle class="dot dot--${entry.kind}" cx="${n(dotX)}" cy="${n(y)}" r="3.5"/>`);
  for (const t of row.transitions) {
    const x = laneX.get(t.actor);
    if (x === undefined) continue;
    const to = t.to.toLowerCase();
    const cls = STATES.has(to) ? ` state--${to}` : '';
    parts.push(
      `<path class="state${cls}" d="M${n(x + 7)},${n(y - 5)} l5,5 l-5,5 l-5,-5 z"><title>${escapeXml(`${t.device}: ${t.from}→${t.to}`)}</title></path>`,
    );
  }
  const marks = text.marks === '' ? '' : `  <tspan class="transition-label">${escapeXml(text.marks)}</tspan>`;
  parts.push(`<text class="summary" x="${textX}" y="${n(y + 4)}">${escapeXml(text.summary)}${marks}</text>`);
  parts.push('</g>');
  return parts.join('');
}
