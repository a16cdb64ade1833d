/**
 * What the panels derive from the whole trace (indexes, lanes, lint findings), built the first time
 * one asks and shared by all of them until the trace changes (see src/ui/model).
 */
import type { TraceEntry } from '../../sim/world/trace';
import { createNodeHistory, type NodeHistory } from '../model/nodeHistory';
import { createTxIndex, type TxIndex } from '../model/txSpans';
import { createWatchIndex, type WatchIndex } from '../model/watchQueue';
import { createWhyIndex, type WhyIndex } from '../model/whyChain';

export type TraceDerivation<T> = (trace: readonly TraceEntry[]) => T;

export class TraceIndexes {
  private readonly built = new Map<TraceDerivation<unknown>, unknown>();
  constructor(readonly trace: readonly TraceEntry[]) {}

  /** `derive(trace)`, computed once per trace: `derive` is the key, so pass a module-level function. */
  derived<T>(derive: TraceDerivation<T>): T {
    if (!this.built.has(derive)) this.built.set(derive, derive(this.trace));
    return this.built.get(derive) as T;
  }
  get watches(): WatchIndex {
    return this.derived(createWatchIndex);
  }
  get transactions(): TxIndex {
    return this.derived(createTxIndex);
  }
  /** causes of every step (built when a why-chain is first asked for) */
  get why(): WhyIndex {
    return this.derived(createWhyIndex);
  }
  get history(): NodeHistory {
    return this.derived(createNodeHistory);
  }
}
