/** The trace's indexes, each built the first time a panel asks for it (see src/ui/model). */
import type { TraceEntry } from '../../sim/world/trace';
import { createNodeHistory, type NodeHistory } from '../model/nodeHistory';
import { createTxIndex, type TxIndex } from '../model/txSpans';
import { createWatchIndex, type WatchIndex } from '../model/watchQueue';

export class TraceIndexes {
  private watch: WatchIndex | null = null;
  private tx: TxIndex | null = null;
  private nodes: NodeHistory | null = null;
  constructor(readonly trace: readonly TraceEntry[]) {}
  get watches(): WatchIndex {
    return (this.watch ??= createWatchIndex(this.trace));
  }
  get transactions(): TxIndex {
    return (this.tx ??= createTxIndex(this.trace));
  }
  get history(): NodeHistory {
    return (this.nodes ??= createNodeHistory(this.trace));
  }
}
