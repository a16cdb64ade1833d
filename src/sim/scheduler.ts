import type { Rng } from './rng';
import { type ModelTime, TIME_ZERO, modelTime } from './time';

/**
 * The scheduler: the owner of model time and of the order in which pending actions run.
 *
 * A pending action sits on a channel (a xenstore connection, a xenwatch queue, a ring, a timer):
 * actions on one channel run in the order they were queued, and never earlier than their time.
 * The *enabled* actions are the channel heads due at the earliest pending time; the policy picks
 * one of them: `fifo` the one queued first, `seeded` one drawn from the RNG stream
 * 'scheduler.pick', `manual` the one the caller names. Picking advances model time to the
 * action's time.
 *
 * Shape: channels Map<name, queue>; a binary min-heap holds each non-empty channel's head keyed
 * by (at, id), so a fifo step costs O(log channels). A queue that runs empty stays in the map for
 * its channel's next action (most channels are used over and over); empty queues are pruned only
 * once there are many of them (one-off channels such as a routine's timer).
 */

/** Empty queues kept before they are pruned. */
const MAX_EMPTY_QUEUES = 256;

export type SchedulingPolicy = 'fifo' | 'seeded' | 'manual';
export const SCHEDULING_POLICIES: readonly SchedulingPolicy[] = ['fifo', 'seeded', 'manual'];

export interface Pending<A> {
  /** unique and increasing in queueing order */
  id: number;
  /** model time at which it becomes runnable */
  at: ModelTime;
  channel: string;
  action: A;
}

export interface SchedulerSnapshot<A> {
  now: ModelTime;
  nextId: number;
  queues: Array<[string, Pending<A>[]]>;
}

const before = (a: Pending<unknown>, b: Pending<unknown>) => a.at < b.at || (a.at === b.at && a.id < b.id);

export class Scheduler<A> {
  private nowMs: ModelTime = TIME_ZERO;
  private nextId = 1;
  /** per channel: queued actions in order (head first) */
  private readonly queues = new Map<string, Pending<A>[]>();
  /** heads of non-empty channels, as a min-heap by (at, id) */
  private readonly heads: Pending<A>[] = [];
  /** queues in `queues` that are empty */
  private emptyQueues = 0;

  get now(): ModelTime {
    return this.nowMs;
  }

  /** Number of queued actions on all channels. */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /**
   * Queues an action `delay` ms from now on `channel`. On a channel an action never runs before
   * the one queued ahead of it, so its time is at least that one's.
   */
  schedule(channel: string, action: A, delay = 0): Pending<A> {
    if (!Number.isInteger(delay) || delay < 0)
      throw new RangeError(`delay must be a non-negative integer: ${delay}`);
    const queue = this.queues.get(channel);
    const last = queue?.[queue.length - 1];
    const at = modelTime(Math.max(this.nowMs + delay, last?.at ?? 0));
    const pending: Pending<A> = { id: this.nextId++, at, channel, action };
    if (queue === undefined) {
      this.queues.set(channel, [pending]);
      this.heapPush(pending);
    } else {
      queue.push(pending);
      if (queue.length === 1) {
        this.emptyQueues--;
        this.heapPush(pending);
      }
    }
    return pending;
  }

  /** Removes a queued action (a cancelled timer, a dropped event). Returns whether it was queued. */
  cancel(id: number): boolean {
    for (const [channel, queue] of this.queues) {
      if (queue.length === 0) continue;
      const i = queue.findIndex((p) => p.id === id);
      if (i < 0) continue;
      const [removed] = queue.splice(i, 1);
      if (i === 0 && removed) this.replaceHead(channel, removed);
      return true;
    }
    return false;
  }

  /** Queued actions of one channel, head first (read-only view). */
  channel(name: string): readonly Pending<A>[] {
    return this.queues.get(name) ?? [];
  }

  /** The actions the policy may pick now: channel heads due at the earliest pending time, by id. */
  enabled(): Pending<A>[] {
    const first = this.heads[0];
    if (!first) return [];
    return this.heads.filter((h) => h.at === first.at).sort((a, b) => a.id - b.id);
  }

  /**
   * Dequeues the next action under `policy` and advances model time to it. `manual` needs
   * `choice`, the id of one enabled action. Returns undefined when nothing is queued.
   */
  next(policy: SchedulingPolicy, rng: Rng, choice?: number): Pending<A> | undefined {
    const first = this.heads[0];
    if (!first) return undefined;
    let picked: Pending<A> = first;
    if (policy === 'seeded') {
      const enabled = this.enabled();
      if (enabled.length > 1) picked = rng.pick('scheduler.pick', enabled);
    } else if (policy === 'manual') {
      const enabled = this.enabled();
      const chosen = enabled.find((p) => p.id === choice);
      if (!chosen) {
        throw new RangeError(
          `manual scheduling needs the id of an enabled action (${enabled.map((p) => p.id).join(', ')}), got ${choice}`,
        );
      }
      picked = chosen;
    }
    this.queues.get(picked.channel)?.shift();
    this.replaceHead(picked.channel, picked);
    this.nowMs = picked.at;
    return picked;
  }

  /** Advances model time with nothing run (idle time, e.g. a user waiting). */
  advanceTo(t: ModelTime): void {
    if (t < this.nowMs) throw new RangeError(`time cannot go back: ${t} < ${this.nowMs}`);
    this.nowMs = t;
  }

  snapshot(): SchedulerSnapshot<A> {
    return {
      now: this.nowMs,
      nextId: this.nextId,
      // in the order of their heads, whatever the map's order (which empty queues kept there change)
      queues: [...this.queues]
        .filter(([, q]) => q.length > 0)
        .sort(([, a], [, b]) => a[0]!.id - b[0]!.id)
        .map(([k, q]) => [k, q.slice()]),
    };
  }

  static restore<A>(snap: SchedulerSnapshot<A>): Scheduler<A> {
    const s = new Scheduler<A>();
    s.nowMs = snap.now;
    s.nextId = snap.nextId;
    for (const [k, q] of snap.queues) {
      const copy = q.slice();
      s.queues.set(k, copy);
      if (copy[0]) s.heapPush(copy[0]);
    }
    return s;
  }

  /** After `old` left the head of `channel`, put the channel's new head (if any) in the heap. */
  private replaceHead(channel: string, old: Pending<A>): void {
    const i = this.heads.indexOf(old);
    if (i < 0) return;
    const head = this.queues.get(channel)?.[0];
    if (!head) this.queueEmptied();
    const last = this.heads.pop()!;
    if (i < this.heads.length) {
      this.heads[i] = last;
      this.siftDown(i);
      this.siftUp(i);
    }
    if (head) this.heapPush(head);
  }

  /** A queue ran empty; past MAX_EMPTY_QUEUES, the empty ones are dropped from the map. */
  private queueEmptied(): void {
    if (++this.emptyQueues <= MAX_EMPTY_QUEUES) return;
    for (const [channel, queue] of this.queues) if (queue.length === 0) this.queues.delete(channel);
    this.emptyQueues = 0;
  }

  private heapPush(p: Pending<A>): void {
    this.heads.push(p);
    this.siftUp(this.heads.length - 1);
  }

  private siftUp(i: number): void {
    const h = this.heads;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const child = h[i]!;
      const up = h[parent]!;
      if (!before(child, up)) break;
      h[i] = up;
      h[parent] = child;
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heads;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      const down = h[i]!;
      h[i] = h[m]!;
      h[m] = down;
      i = m;
    }
  }
}
