/**
 * The effects of one call, in order, as the engine collects them. The array is made on the first
 * effect, one slot long: most requests have exactly one (a transaction's first access to a node, a
 * node write), and an array grown from empty would reserve 17 slots.
 */
import type { XsEffect } from './types';

export class Effects {
  private items: XsEffect[] | null = null;

  get length(): number {
    return this.items === null ? 0 : this.items.length;
  }

  push(e: XsEffect): void {
    const items = this.items;
    if (items === null) this.items = [e];
    else items.push(e);
  }

  /** The effect at `i` (0 ≤ i < length). */
  at(i: number): XsEffect {
    return (this.items as XsEffect[])[i] as XsEffect;
  }

  /** Appends the effects of `other`, in order. */
  append(other: Effects): void {
    for (let i = 0; i < other.length; i++) this.push(other.at(i));
  }

  /** Forgets every effect. */
  clear(): void {
    this.items = null;
  }

  /** The effects so far, as an array for the caller; the list starts over empty. */
  take(): XsEffect[] {
    const items = this.items;
    this.items = null;
    return items ?? [];
  }
}
