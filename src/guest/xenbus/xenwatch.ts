/**
 * The xenwatch kthread: takes one event off the FIFO, runs its watch's callback to completion, then
 * the next. The simulator runs the callback between xenwatchNext() and xenwatchDone().
 */
import type { GuestEffect, QueuedWatchEvent, XenbusClientState, XenwatchState } from './types';
import { findWatch } from './watches';

/** The event to run with the watch it belongs to. */
export interface XenwatchJob<W> {
  event: QueuedWatchEvent;
  /** the watched node (watch->node), as registered */
  watchPath: string;
  callback: W;
}

/**
 * xenbus_xs.c xenwatch_thread(), one turn: if idle and the FIFO is not empty, dequeue the oldest
 * event, decrement its watch's nr_pending and mark the thread busy. Null while a callback runs or
 * nothing is queued. Mutates `state`.
 */
export function xenwatchNext<W>(
  state: XenbusClientState<unknown, W>,
): { job: XenwatchJob<W>; effects: GuestEffect[] } | null {
  const xw = state.xenwatch;
  if (xw.running !== null) return null;
  const event = xw.queue.shift();
  if (event === undefined) return null;
  const watch = findWatch(state, event.token);
  // unregister purges an unlisted watch's events, so the lookup always succeeds
  if (!watch) throw new Error(`queued event for unknown token ${event.token}`);
  watch.nrPending -= 1;
  xw.running = event;
  xw.counts.ran += 1;
  return {
    job: { event, watchPath: watch.path, callback: watch.callback },
    effects: [{ kind: 'xenwatch-run', seq: event.seq, path: event.path, token: event.token }],
  };
}

/** xenwatch_thread(): the callback returned; xenwatch_mutex is released and the thread is idle. */
export function xenwatchDone(state: XenbusClientState<unknown, unknown>): { effects: GuestEffect[] } {
  const running = state.xenwatch.running;
  if (running === null) throw new Error('xenwatch is idle');
  state.xenwatch.running = null;
  return { effects: [{ kind: 'xenwatch-done', seq: running.seq }] };
}

/** Whether a callback is running (xenwatch_mutex held). */
export function isXenwatchBusy(state: XenbusClientState<unknown, unknown>): boolean {
  return state.xenwatch.running !== null;
}

/** What a UI lens shows of the FIFO: the running event, the pending ones in order, and the counters. */
export interface XenwatchView {
  running: QueuedWatchEvent | null;
  pending: Array<QueuedWatchEvent & { watchPath: string }>;
  counts: XenwatchState['counts'];
}

/** A read-only copy of the xenwatch queue for display. */
export function getXenwatchView(state: XenbusClientState<unknown, unknown>): XenwatchView {
  const xw = state.xenwatch;
  return {
    running: xw.running ? { ...xw.running } : null,
    pending: xw.queue.map((e) => ({
      ...e,
      watchPath: state.watches.find((w) => w.token === e.token)?.path ?? '',
    })),
    counts: { ...xw.counts },
  };
}
