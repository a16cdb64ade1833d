/**
 * Shapes shared by the protocol lint: a finding, the rule ids and their spec sections, and the
 * incremental checker every rule implements. No simulation logic.
 */
import type { TraceEffect, TraceEntry } from '../world/trace';
import type { StoreRead, Topology } from './paths';

export type RuleId =
  | 'backend-initialised-early'
  | 'connected-to-initialising'
  | 'resources-at-closed'
  | 'state-write-unseen'
  | 'pages-not-returned';

/** The spec sections each rule comes from (shared by LINT_RULES and the findings). */
export const RULE_SPEC: Readonly<Record<RuleId, string>> = {
  'backend-initialised-early': 'xenbus.md §1, §4.1, §7.4, §7.5',
  'connected-to-initialising': 'xenbus.md §1, §6.2, §7.1; kexec-handover.md §7.3',
  'resources-at-closed': 'xenbus.md §6.1, §7.1; rings-and-evtchn.md §5',
  'state-write-unseen': 'xenbus.md §3.3, §3.6; xenstore.md §7.4',
  'pages-not-returned': 'kexec-handover.md §4.2, §4.3',
};

/** One broken protocol rule, pinned to the trace step where it broke. */
export interface LintFinding {
  /** the step where the rule is broken (TraceEntry.seq) */
  seq: number;
  rule: RuleId;
  /** a device key (`dom0.kernel|backend/vbd/1/51712`) or a device directory in the store */
  device?: string;
  /** one plain line: what happened and why it is wrong */
  message: string;
  /** where the rule comes from, e.g. `xenbus.md §4.1` */
  spec: string;
}

export interface LintRule {
  id: RuleId;
  title: string;
  spec: string;
  explanation: string;
}

/** A node-write effect, narrowed. */
export type NodeWrite = Extract<TraceEffect, { k: 'node-write' }>;

/**
 * One rule, fed the trace one step at a time: every effect of the step in order, the store read the
 * step answered (xenstored READ steps), then `endStep`. Findings go to the sink it was created with,
 * as soon as they are settled. `atEnd` returns, without changing anything, the findings that hold
 * if the trace ends here (a later step may still settle them otherwise).
 */
export interface RuleChecker {
  effect(f: TraceEffect, e: TraceEntry): void;
  read?(r: StoreRead, e: TraceEntry): void;
  endStep?(e: TraceEntry): void;
  atEnd?(): LintFinding[];
}

/** What every checker is built with: the finding sink and the shared device topology. */
export interface CheckerContext {
  emit(f: LintFinding): void;
  topo: Topology;
}
