import { useState } from 'react';
import { lintTrace } from '../../sim/lint/lint';
import { findPlayable } from '../../sim/scenarios/demos';
import { useTimeline } from '../app/useTimeline';
import { useXenScope } from '../app/useXenScope';
import type { XenScope } from '../app/xenscope';
import { chartRangeSvg } from '../export/chartSvg';
import { chartRangeMermaid } from '../export/mermaid';
import { reviewBundle } from '../export/reviewBundle';
import { download, fileName } from './download';
import { shareLink } from './shareActions';
import { svgToPng } from './svgToPng';

export type RangeExport = 'svg' | 'png' | 'mermaid' | 'markdown';

/** The range's file, built from the open trace: [from, to) in step numbers. */
export async function exportRange(app: XenScope, kind: RangeExport, from: number, to: number): Promise<void> {
  const t = app.timeline.getState();
  const world = t.world();
  if (world === null || t.request === null) return;
  const r = t.request;
  const base = [r.scenario, r.profile, `seed${r.seed}`, `steps${from}-${to - 1}`];
  const title = `${r.scenario}: ${findPlayable(r.scenario)?.title ?? ''}`;
  const findings = lintTrace(world.trace);
  const svg = () =>
    chartRangeSvg(world.trace, from, to, { title: `XenScope ${title}, steps ${from}–${to - 1}`, findings });
  switch (kind) {
    case 'svg':
      download(fileName(base, 'svg'), svg(), 'image/svg+xml');
      return;
    case 'png':
      download(fileName(base, 'png'), await svgToPng(svg()));
      return;
    case 'mermaid':
      download(fileName(base, 'mmd'), chartRangeMermaid(world.trace, from, to), 'text/plain');
      return;
    case 'markdown':
      download(
        fileName(base, 'md'),
        reviewBundle({
          title,
          profile: r.profile,
          seed: r.seed,
          trace: world.trace,
          from,
          to,
          findings,
          link: shareLink(app) ?? '',
        }),
        'text/markdown',
      );
  }
}

const FORMATS: ReadonlyArray<[RangeExport, string]> = [
  ['svg', 'SVG'],
  ['png', 'PNG'],
  ['mermaid', 'Mermaid'],
  ['markdown', 'Review bundle (Markdown)'],
];

/** A step number as typed, before it is checked. */
function StepField(p: { label: string; testId: string; value: string; onChange: (text: string) => void }) {
  return (
    <label className="control">
      <span className="control__label">{p.label}</span>
      <input
        className="session-menu__step"
        data-testid={p.testId}
        inputMode="numeric"
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </label>
  );
}

/** Steps as typed: a whole number within the trace, or null. */
const stepOf = (text: string, max: number) =>
  /^\d{1,9}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;

/**
 * Session ▸ Export steps: a range of the sequence chart (first and last step, the steps up to the
 * cursor by default) as SVG, PNG, Mermaid text, or a Markdown review bundle with the link.
 */
export function ExportRange() {
  const app = useXenScope();
  const cursor = useTimeline((s) => s.cursor);
  const length = useTimeline((s) => s.length);
  const [first, setFirst] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shownFirst = first ?? String(Math.max(0, cursor - 30));
  const shownLast = last ?? String(Math.max(0, cursor - 1));

  const run = (kind: RangeExport) => {
    const a = stepOf(shownFirst, length - 1);
    const b = stepOf(shownLast, length - 1);
    if (a === null || b === null || b < a) {
      setError(`Steps must be whole numbers from 0 to ${length - 1}, the first not after the last.`);
      return;
    }
    setError(null);
    exportRange(app, kind, a, b + 1).catch((e: unknown) => setError((e as Error).message));
  };

  return (
    <section aria-label="Export steps">
      <h3 className="menu__heading">Export steps (sequence chart)</h3>
      <div className="session-menu__row">
        <StepField label="from step" testId="export.from" value={shownFirst} onChange={setFirst} />
        <StepField label="to step" testId="export.to" value={shownLast} onChange={setLast} />
      </div>
      <div className="session-menu__row">
        {FORMATS.map(([kind, label]) => (
          <button key={kind} type="button" data-testid={`export.${kind}`} onClick={() => run(kind)}>
            {label}
          </button>
        ))}
      </div>
      {error !== null && (
        <p className="picker__error" role="alert" data-testid="export.error">
          {error}
        </p>
      )}
    </section>
  );
}
