/**
 * Kernel code as routines: generator functions that read like the C they model and never touch the
 * world directly. Every interaction is a yielded command the simulator carries out: a xenstore request
 * (the routine sleeps until the reply step), a watch (un)registration, a synchronous call into the
 * world (hypercalls, device objects, completions), a wait on a completion or wait queue with an
 * optional model-time timeout, or a code reference for the trace.
 *
 * A routine is plain data for checkpoints: its name, its JSON arguments and the list of results fed
 * to it so far. Rebuilding the generator and feeding it that list puts it back where it was, so the
 * generator itself must be pure: all it knows comes from its arguments and its command results.
 */
import type { XenbusResult } from '../xenbus';

/** What to run when a watch fires (the xenbus_watch callback), as data. */
export interface WatchCallback {
  /** the routine to spawn on the xenwatch thread */
  routine: string;
  /** extra arguments, JSON */
  arg: string;
}

/** Where a step is in the sources: a function and its file. */
export interface CodeRef {
  fn: string;
  file: string;
}

export type Command =
  | { op: 'xs'; type: number; args: string[]; tx: number }
  | { op: 'watch'; path: string; token: string; callback: WatchCallback; dropWhilePending: boolean }
  | { op: 'unwatch'; token: string }
  /** xs_suspend(): sleeps until every request and open transaction of the client has finished */
  | { op: 'xs-suspend' }
  | { op: 'sys'; name: string; args: readonly unknown[] }
  /** sleep until `key` is signalled (complete()/wake_up()) or `ms` of model time pass (null: forever) */
  | { op: 'wait'; key: string; ms: number | null }
  | { op: 'at'; fn: string; file: string };

/** A kernel routine; `T` is what it returns to a routine that delegated to it with `yield*`. */
export type Routine<T = void> = Generator<Command, T, unknown>;

/**
 * One command as a routine: `yield*` yields it once and evaluates to the value sent back (through
 * `finish` when given). What a one-line generator function does, without a generator object per call
 * (routines issue commands on every step).
 */
class OneCommand<T> implements Routine<T> {
  private done = false;
  constructor(
    private readonly command: Command,
    private readonly finish: ((value: never) => T) | null,
  ) {}

  next(value?: unknown): IteratorResult<Command, T> {
    if (this.done) {
      const finish = this.finish;
      return { done: true, value: finish === null ? (value as T) : finish(value as never) };
    }
    this.done = true;
    return { done: false, value: this.command };
  }

  return(value: T): IteratorResult<Command, T> {
    this.done = true;
    return { done: true, value };
  }

  throw(e: unknown): IteratorResult<Command, T> {
    this.done = true;
    throw e;
  }

  [Symbol.iterator](): OneCommand<T> {
    return this;
  }
}

/** The routine that issues `command` and returns the value fed back for it. */
export function command<T>(cmd: Command): Routine<T> {
  return new OneCommand<T>(cmd, null);
}

/** xenbus_transaction_t XBT_NIL */
export const XBT_NIL = 0;

/** A xenstore request on the caller's connection; resumes with the decoded reply. */
export function xs(type: number, args: string[], tx = XBT_NIL): Routine<XenbusResult> {
  return command({ op: 'xs', type, args, tx });
}

/** xs(), returning what `finish` makes of the decoded reply (the xenbus_* wrappers around xs_talkv). */
export function xsThen<T>(
  type: number,
  args: string[],
  tx: number,
  finish: (reply: XenbusResult) => T,
): Routine<T> {
  return new OneCommand<T>({ op: 'xs', type, args, tx }, finish);
}

/** register_xenbus_watch(); resumes with xenstored's answer (a failure also drops the watch, [modern]). */
export function watch(
  path: string,
  token: string,
  callback: WatchCallback,
  dropWhilePending = false,
): Routine<XenbusResult> {
  return command({ op: 'watch', path, token, callback, dropWhilePending });
}

/** unregister_xenbus_watch(). */
export function unwatch(token: string): Routine<XenbusResult> {
  return command({ op: 'unwatch', token });
}

/** Sleep on `key` until woken, or until `ms` pass. */
export function wait(key: string, ms: number | null): Routine<'woken' | 'timeout'> {
  return command({ op: 'wait', key, ms });
}

/** msleep(): a wait nobody wakes. */
export function sleep(ms: number): Routine {
  return command<undefined>({ op: 'wait', key: '', ms }) as Routine;
}

/** Names the kernel or daemon function the routine is in now, for the trace. */
export function at(fn: string, file: string): Routine {
  return command<undefined>({ op: 'at', fn, file }) as Routine;
}

/** xs_suspend(): returns once xs_state_users reached 0 and the region is closed. */
export function xsSuspend(): Routine {
  return command<undefined>({ op: 'xs-suspend' }) as Routine;
}
