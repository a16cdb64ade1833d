import { useTimeline } from '../../app/useTimeline';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useXenScope } from '../../app/useXenScope';
import { LINT_RULES, lintTrace } from '../../../sim/lint/lint';

const TITLES = new Map(LINT_RULES.map((r) => [r.id, r.title]));

/** The protocol lint's findings over the whole trace, each with its spec section and a jump link. */
export function LintPanel() {
  const app = useXenScope();
  const cursor = useTimeline((s) => s.cursor);
  const findings = useTraceDerived(lintTrace);
  return (
    <section className="debug__section" aria-labelledby="lint-heading" data-testid="lint">
      <h3 id="lint-heading">Protocol lint</h3>
      {findings.length === 0 ? (
        <p className="inspector__hint" data-testid="lint.none">
          No xenbus rule is broken in this run ({LINT_RULES.length} rules checked on every step).
        </p>
      ) : (
        <ol className="debug__list lint__list">
          {findings.map((f, i) => (
            <li
              key={i}
              className={f.seq < cursor ? 'lint__finding lint__finding--past' : 'lint__finding'}
              data-testid={`lint.finding.${f.rule}`}
            >
              <button type="button" className="linklike" onClick={() => app.seek(f.seq + 1)}>
                step {f.seq}
              </button>{' '}
              <strong>{TITLES.get(f.rule) ?? f.rule}</strong>: {f.message} <small>({f.spec})</small>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
