/**
 * The trace: one entry per step. Effects are flattened to plain, JSON-able records the UI draws and
 * the tests check: store diffs (values as text), watch traffic, transactions, driver transitions,
 * hypervisor changes, client internals and printk lines.
 */
import type { CodeRef } from '../../guest/kernel/routine';
import type { GuestEffect } from '../../guest/xenbus';
import type { HvEffect } from '../../hypervisor';

export type StepKind =
  | 'xenstored' // xenstored handled one request
  | 'reply' // a reply reached its waiting routine, which ran on
  | 'watch-event' // a WATCH_EVENT reached a client and was queued (or dropped)
  | 'xenwatch' // the xenwatch thread ran one callback
  | 'wakeup' // a routine woke: completion, wait queue, timeout, new thread
  | 'user'; // a user action

export type TraceEffect =
  | { k: 'node-write'; path: string; old: string | null; value: string; perms: string }
  | { k: 'node-remove'; path: string; old: string }
  | { k: 'watch-fire'; to: string; path: string; token: string }
  | { k: 'watch-add' | 'watch-remove'; actor: string; path: string; token: string }
  | {
      k: 'tx';
      actor: string;
      txId: number;
      outcome: 'start' | 'commit' | 'abort' | 'eagain' | 'reset';
      /** at the end: the read set (nodes first accessed by a read) and the write set, in access order */
      reads?: string[];
      writes?: string[];
      /** on 'eagain' under the read-set rule: the first node read whose generation changed */
      conflictPath?: string;
      /** on 'eagain': a fault forced it, nothing conflicted */
      forced?: boolean;
    }
  | { k: 'transition'; device: string; from: string; to: string }
  | { k: 'device'; device: string; change: 'created' | 'freed' }
  | { k: 'hv'; e: HvEffect }
  | { k: 'guest'; actor: string; e: GuestEffect }
  | { k: 'log'; actor: string; text: string }
  /** this step's routine was started (kthread_run) or woken (complete, wake_up) by step `by` */
  | { k: 'woken-by'; by: number; how: 'start' | 'wake' }
  /** a timed wait expired (the 5 s shutdown wait, a toolstack's device-remove timeout …) */
  | { k: 'timeout'; actor: string; wait: string }
  | { k: 'actor'; actor: string; change: 'started' | 'stopped' | 'frozen' | 'thawed' };

export interface TraceEntry {
  seq: number;
  /** model time, ms */
  time: number;
  actor: string;
  kind: StepKind;
  summary: string;
  effects: TraceEffect[];
  code: CodeRef | null;
}
