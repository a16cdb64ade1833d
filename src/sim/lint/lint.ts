/**
 * Protocol lint over a trace: every rule of rules.ts in one pass, O(total effects). Pure: reads
 * TraceEntry records only (the effects, and the summary of xenstored READ steps for the value a
 * client got back), never the world.
 *
 * Per step: the shared topology sees each effect first, then every checker; then the step's store
 * read (if any); then each checker's end of step. Findings come out as soon as they are settled,
 * and a few (a state write whose event was lost and is still unread) only hold if the trace ends
 * there: `findings()` adds those without storing them.
 */
import type { TraceEntry } from '../world/trace';
import { createTopology, parseStoreRead } from './paths';
import { LINT_RULES, createRuleCheckers } from './rules';
import type { LintFinding } from './types';

export type { LintFinding, LintRule, RuleId } from './types';
export { LINT_RULES } from './rules';

export interface Linter {
  /**
   * Read the entries appended since the last call and return the findings they settled, by seq.
   * The trace must only grow: after time travel rewrote it, make a new linter.
   */
  extend(trace: readonly TraceEntry[]): LintFinding[];
  /** Every finding so far plus those that hold if the trace ends here, by seq then rule. */
  findings(): LintFinding[];
}

const RULE_ORDER = new Map(LINT_RULES.map((r, i) => [r.id, i]));

function bySeq(list: LintFinding[]): LintFinding[] {
  return list.sort((a, b) => a.seq - b.seq || (RULE_ORDER.get(a.rule) ?? 0) - (RULE_ORDER.get(b.rule) ?? 0));
}

/** An incremental linter: `extend` reads only the entries it has not read yet. */
export function createLinter(): Linter {
  const settled: LintFinding[] = [];
  let fresh: LintFinding[] = [];
  const topo = createTopology();
  const checkers = createRuleCheckers({
    emit: (f) => {
      settled.push(f);
      fresh.push(f);
    },
    topo,
  });
  let next = 0;
  let last: TraceEntry | undefined;

  const readEntry = (e: TraceEntry) => {
    for (const f of e.effects) {
      topo.effect(f);
      for (const c of checkers) c.effect(f, e);
    }
    const r = parseStoreRead(e);
    if (r) for (const c of checkers) c.read?.(r, e);
    for (const c of checkers) c.endStep?.(e);
  };

  return {
    extend(trace) {
      if (trace.length < next || (next > 0 && trace[next - 1] !== last))
        throw new Error('lint: the trace was rewritten since the last extend(); create a new linter');
      fresh = [];
      for (; next < trace.length; next++) readEntry(trace[next] as TraceEntry);
      last = trace[next - 1];
      return bySeq(fresh);
    },
    findings: () => bySeq([...settled, ...checkers.flatMap((c) => c.atEnd?.() ?? [])]),
  };
}

/** All findings of a complete trace, by seq then rule. */
export function lintTrace(trace: readonly TraceEntry[]): LintFinding[] {
  const linter = createLinter();
  linter.extend(trace);
  return linter.findings();
}
