import { useTimeline } from '../../app/useTimeline';
import { describeEffect, type EffectCategory } from '../../model/describeEffect';
import { WhyChain } from './WhyChain';

/** At most this many effect lines (an rx refill changes hundreds of slots in one step). */
const MAX_LINES = 200;

const CATEGORY_TITLES: Record<EffectCategory, string> = {
  store: 'Store',
  watch: 'Watches',
  transaction: 'Transactions',
  state: 'State changes',
  device: 'Devices',
  hypervisor: 'Hypervisor (grants, event channels, rings, memory)',
  client: 'xenbus client',
  log: 'Kernel log',
  actor: 'Kernels',
};

/** The step just run: what it was, the function behind it, and its effects by kind. */
export function StepDetails() {
  const cursor = useTimeline((s) => s.cursor);
  const entry = useTimeline((s) => (s.cursor > 0 ? (s.world()?.trace[s.cursor - 1] ?? null) : null));
  if (entry === null)
    return (
      <p className="inspector__hint" data-testid="inspector.step">
        Step 0: nothing has run yet. Press → or Play to run the first step.
      </p>
    );
  const groups = new Map<EffectCategory, string[]>();
  let shown = 0;
  for (const e of entry.effects) {
    if (shown >= MAX_LINES) break;
    const line = describeEffect(e);
    groups.set(line.category, [...(groups.get(line.category) ?? []), line.text]);
    shown++;
  }
  return (
    <div className="step" data-testid="inspector.step">
      <p className="step__head">
        <span className="step__seq">
          step {entry.seq} · {entry.time} ms · {entry.kind}
        </span>
        <strong className="step__summary">{entry.summary}</strong>
      </p>
      {entry.code !== null && (
        <p className="step__code" data-testid="inspector.code">
          <code>{entry.code.fn}()</code> in <code>{entry.code.file}</code>
        </p>
      )}
      {entry.effects.length === 0 && (
        <p className="inspector__hint">No effects: the step only moved a thread on.</p>
      )}
      {[...groups].map(([category, lines]) => (
        <section key={category} className={`effects effects--${category}`}>
          <h3>{CATEGORY_TITLES[category]}</h3>
          <ul>
            {lines.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ul>
        </section>
      ))}
      {entry.effects.length > MAX_LINES && (
        <p className="inspector__hint">… and {entry.effects.length - MAX_LINES} more effects in this step.</p>
      )}
      <WhyChain />
      <p className="visually-hidden" aria-live="polite">
        {cursor > 0 ? `Step ${entry.seq}: ${entry.summary}` : ''}
      </p>
    </div>
  );
}
