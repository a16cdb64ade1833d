/**
 * The little the captions need to know about the world before a step, read from the trace alone:
 * each device's machine state, which kernels run, and which are going down (after a kexec or a
 * guest shutdown was asked for). Built by walking the trace; pure.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { domidOf, splitDeviceKey } from './devices';

export interface TraceSketch {
  /** device key → state, for devices that exist (and `<actor>|kexec` once a kexec machine moved) */
  states: Map<string, string>;
  /** kernel actors that run (started and not stopped), in start order */
  kernels: string[];
  /** kernel actors whose system is shutting down: device_shutdown() runs, the xenbus core answers for drivers */
  shuttingDown: Set<string>;
  /** the value of every `…/state` node in the store (a state may be written by someone other than its driver) */
  stateNodes: Map<string, string>;
}

/** The driver machines start in Initialising; a kernel's kexec machine in `running`. */
export const INITIAL_DEVICE_STATE = 'Initialising';
export const INITIAL_KEXEC_STATE = 'running';

export function createSketch(): TraceSketch {
  return { states: new Map(), kernels: [], shuttingDown: new Set(), stateNodes: new Map() };
}

/** The running kernel of a domain (the last started), or null. */
export function liveKernelOf(sketch: TraceSketch, domid: number): string | null {
  for (let i = sketch.kernels.length - 1; i >= 0; i--) {
    const k = sketch.kernels[i]!;
    if (domidOf(k) === domid) return k;
  }
  return null;
}

/** Apply one step to the sketch (in place). */
export function advanceSketch(sketch: TraceSketch, entry: TraceEntry): void {
  if (entry.kind === 'user') {
    // "user: kexec domid=1 …" / "user: guest-shutdown domid=1": that domain's kernel goes down
    const m = /^user: (kexec|guest-shutdown) domid=(\d+)(.*)$/.exec(entry.summary);
    if (m && !/mode=kdump/.test(m[3] ?? '')) {
      const k = liveKernelOf(sketch, Number(m[2]));
      if (k !== null) sketch.shuttingDown.add(k);
    }
  }
  for (const f of entry.effects) {
    if (f.k === 'device') {
      if (f.change === 'created') sketch.states.set(f.device, INITIAL_DEVICE_STATE);
      else sketch.states.delete(f.device);
    } else if (f.k === 'transition') sketch.states.set(f.device, f.to);
    else if (f.k === 'node-write' && f.path.endsWith('/state')) sketch.stateNodes.set(f.path, f.value);
    else if (f.k === 'node-remove' && f.path.endsWith('/state')) sketch.stateNodes.delete(f.path);
    else if (f.k === 'actor' && f.actor !== 'xenstored') {
      if (f.change === 'started' && !sketch.kernels.includes(f.actor)) sketch.kernels.push(f.actor);
      if (f.change === 'stopped') {
        sketch.kernels = sketch.kernels.filter((k) => k !== f.actor);
        sketch.shuttingDown.delete(f.actor);
        for (const key of [...sketch.states.keys()])
          if (splitDeviceKey(key).actor === f.actor) sketch.states.delete(key);
      }
    }
  }
}

/** The sketch of the world after the first `cursor` steps (O(cursor)). */
export function sketchBefore(trace: readonly TraceEntry[], cursor: number): TraceSketch {
  const sketch = createSketch();
  const end = Math.min(Math.max(0, cursor), trace.length);
  for (let i = 0; i < end; i++) advanceSketch(sketch, trace[i]!);
  return sketch;
}

/** A device's state in the sketch; a kexec machine not moved yet is `running` while its kernel runs. */
export function stateIn(sketch: TraceSketch, key: string): string | null {
  const s = sketch.states.get(key);
  if (s !== undefined) return s;
  const { actor, rel } = splitDeviceKey(key);
  return rel === 'kexec' && sketch.kernels.includes(actor) ? INITIAL_KEXEC_STATE : null;
}
