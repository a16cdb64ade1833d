/** The trace's indexes, each built the first time a panel asks for it (see src/ui/model). */
import type { TraceEntry } from '../../sim/world/trace';
import { createNodeHistory, type NodeHistory } from '../model/nodeHistory';
import { createTxIndex, type TxIndex } from '../model/txSpans';
import { createWatchIndex, type WatchIndex } from '../model/watchQueue';
import { createWhyIndex, type WhyIndex } from '../model/whyChain';

export class TraceIndexes {
  private watch: WatchIndex | null = null;
  private tx: TxIndex | null = null;
  private nodes: NodeHistory | null = null;
  private whyIndex: WhyIndex | null = null;
  constructor(readonly trace: readonly TraceEntry[]) {}
  get watches(): WatchIndex {
    return (this.watch ??= createWatchIndex(this.trace));
  }
  get transactions(): TxIndex {
    return (this.tx ??= createTxIndex(this.trace));
  }
  /** causes of every step (built when a why-chain is first asked for) */
  get why(): WhyIndex {
    return (this.whyIndex ??= createWhyIndex(this.trace));
  }
  get history(): NodeHistory {
    return (this.nodes ??= createNodeHistory(this.trace));
  }
}
