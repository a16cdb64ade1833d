/**
 * Checkpoints: a world's whole state at one position of its timeline, as data that can be restored
 * any number of times. The store, hypervisor and xenstore clients are copied (the store and the
 * hypervisor copy-on-write); driver machines are kept as XState persisted snapshots; routines as
 * (name, arguments, log of values fed in), from which their generators are rebuilt by replay.
 */
import type { Snapshot } from 'xstate';
import { cloneXenbusClient } from '../../guest/xenbus';
import { cloneHypervisor, type HypervisorState } from '../../hypervisor';
import type { XenStore } from '../../xenstore';
import type { RngSnapshot } from '../rng';
import type { SchedulerSnapshot } from '../scheduler';
import type { ActorRec, DeviceRec, RoutineRec, WorldAction } from './types';

export interface WorldSnapshot {
  /** the timeline position: the number of steps run before it */
  seq: number;
  store: XenStore;
  hv: HypervisorState;
  sched: SchedulerSnapshot<WorldAction>;
  rng: RngSnapshot;
  actors: ActorRec[];
  connActor: Array<[number, string]>;
  devices: DeviceRec[];
  machines: Array<[string, Snapshot<unknown>]>;
  /** kexec machines by kernel actor */
  kexecs: Array<[string, Snapshot<unknown>]>;
  routines: RoutineSnapshot[];
  nextRoutineId: number;
  /** the options as faults had left them */
  options: Record<string, string | number | boolean>;
}

/**
 * A routine as a snapshot holds it. A log only ever grows (values are appended as they are fed in),
 * so the snapshot shares the live routine's log array and owns its first `logLength` values.
 */
export interface RoutineSnapshot extends RoutineRec {
  logLength: number;
}

/**
 * Values in `vars` are replaced, never changed in place: the copy is shallow. Device records are
 * never changed in place at all (a change puts a new record in the world's map), so snapshots share them.
 */
export function cloneActor(a: ActorRec): ActorRec {
  return {
    ...a,
    client: cloneXenbusClient(a.client),
    vars: { ...a.vars },
    held: a.held.slice(),
    devices: a.devices.slice(),
  };
}

/** The routine now, for a snapshot: its log array is shared (see RoutineSnapshot), not copied. */
export function snapshotRoutine(r: RoutineRec): RoutineSnapshot {
  return { ...r, waiting: r.waiting === null ? null : { ...r.waiting }, logLength: r.log.length };
}

/** A live routine from a snapshot: its own copy of the snapshot's part of the log. */
export function restoreRoutine(s: RoutineSnapshot): RoutineRec {
  const { logLength, ...r } = s;
  return { ...r, log: s.log.slice(0, logLength), waiting: s.waiting === null ? null : { ...s.waiting } };
}

export function cloneStoreAndHv(
  store: XenStore,
  hv: HypervisorState,
): { store: XenStore; hv: HypervisorState } {
  return { store: store.clone(), hv: cloneHypervisor(hv) };
}

/**
 * The copies checkpoints keep of records that change in place (actors, routines): a record touched
 * since the last checkpoint is copied again, the others share the copy made then. Copies are never
 * changed, so any number of checkpoints may share one.
 */
export class CheckpointCopies<K, T, C> {
  private copies = new Map<K, C>();
  private readonly touched = new Set<K>();

  constructor(
    private readonly keyOf: (record: T) => K,
    private readonly copy: (record: T) => C,
  ) {}

  /** The record may change in this step. */
  touch(key: K): void {
    this.touched.add(key);
  }

  /** Copies of `records` for a checkpoint, in their order. */
  take(records: Iterable<T>): C[] {
    const copies = new Map<K, C>();
    for (const r of records) {
      const key = this.keyOf(r);
      let c = this.copies.get(key);
      if (c === undefined || this.touched.has(key)) c = this.copy(r);
      copies.set(key, c);
    }
    this.copies = copies;
    this.touched.clear();
    return [...copies.values()];
  }

  /** After a restore from `copies`: the live records are equal to them again. */
  reset(copies: Iterable<C>, keyOfCopy: (copy: C) => K): void {
    this.copies = new Map();
    this.touched.clear();
    for (const c of copies) this.copies.set(keyOfCopy(c), c);
  }
}
