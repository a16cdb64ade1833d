import type { AnyStateMachine } from 'xstate';
import type { KernelEnv, RoutineFn } from '../../guest/kernel/env';
import type { CodeRef, WatchCallback } from '../../guest/kernel/routine';
import type { XenbusDeviceInfo } from '../../guest/kernel/sys';
import type { XenbusClientState } from '../../guest/xenbus';
import type { XsMsg } from '../../xenstore';
import type { ProfileId } from '../profiles';
import type { SchedulingPolicy } from '../scheduler';

/** Something queued on a scheduler channel. */
export type WorldAction =
  | { t: 'xs-req'; conn: number; msg: XsMsg }
  | { t: 'xs-rsp'; conn: number; msg: XsMsg }
  | { t: 'xenwatch'; actor: string }
  /** `by`: the step that started the routine or woke it (kthread_run, complete, wake_up) */
  | { t: 'resume'; rid: number; value: 'woken' | 'timeout' | 'start'; by?: number }
  | { t: 'user'; action: UserAction };

/** What a person can do to the world (controls, scenario scripts, imported sessions). */
export type UserAction =
  | { type: 'create-domain'; domid: number; kind: 'PV' | 'HVM'; image: string }
  | { type: 'attach-disk'; domid: number }
  | { type: 'detach-disk'; domid: number; force?: boolean }
  | { type: 'attach-nic'; domid: number }
  | { type: 'detach-nic'; domid: number }
  | { type: 'guest-shutdown'; domid: number }
  /** every frontend of the guest closed by hand (driver unbind) */
  | { type: 'close-frontends'; domid: number }
  | { type: 'kexec'; domid: number; image: string; mode?: 'kexec' | 'kdump' }
  | { type: 'kexec-jump'; domid: number; image: string }
  /** the kernel running after a kexec jump returns to the one that jumped */
  | { type: 'kexec-jump-back'; domid: number }
  /** xl save; `checkpoint` (xl save -c): the guest's suspend is cancelled and it runs on */
  | { type: 'save-domain'; domid: number; checkpoint?: boolean }
  /** guest threads using the store: a transaction held open until ended, a read, a new watch */
  | { type: 'guest-tx-start'; domid: number; name: string }
  | { type: 'guest-tx-end'; domid: number; name: string }
  | { type: 'guest-read'; domid: number; path: string }
  | { type: 'guest-watch'; domid: number; path: string }
  /** the guest writes a node under its home (a daemon, a user with xenstore-write) */
  | { type: 'guest-write'; domid: number; path: string; value: string }
  /** packets arrive for the guest; `polled: false` = not yet consumed when the next action comes */
  | { type: 'net-traffic'; domid: number; packets: number; polled?: boolean }
  | { type: 'pause-backend'; domid: number; paused: boolean }
  | { type: 'hold-xenwatch'; domid: number; held: boolean }
  | { type: 'open-disk'; domid: number }
  | { type: 'close-disk'; domid: number }
  | { type: 'inflight-io'; domid: number; count: number }
  /** xenstored replaced while everything runs: a live update [modern], a kill and start [2006] */
  | { type: 'restart-xenstored' }
  | { type: 'fault'; name: string; value: string | number | boolean };

export type ActorKind = 'kernel' | 'toolstack' | 'hotplug';

/** A xenstore client process: a guest kernel, or dom0 userspace (toolstack, hotplug scripts). */
export interface ActorRec {
  id: string;
  domid: number;
  kind: ActorKind;
  image: string;
  conn: number;
  client: XenbusClientState<number, WatchCallback>;
  alive: boolean;
  /** stopped by a kexec jump: runs nothing until the successor jumps back */
  frozen: boolean;
  system: 'running' | 'shutting-down';
  vars: Record<string, unknown>;
  /** a xenwatch step is queued */
  xenwatchQueued: boolean;
  /** fault: the xenwatch thread runs no callback (a hung driver / a held queue) */
  xenwatchHeld: boolean;
  /** replies and events that arrived while the client was suspended */
  held: XsMsg[];
  /** device keys in registration order */
  devices: string[];
}

export interface DeviceRec extends XenbusDeviceInfo {
  machine: string;
}

export type Waiting =
  | { kind: 'xs' }
  | { kind: 'wait'; key: string; timer: number | null; pending: number | null }
  | { kind: 'start'; pending: number };

/** One routine (kernel thread or callback) as data: enough to rebuild its generator. */
export interface RoutineRec {
  id: number;
  actor: string;
  name: string;
  args: unknown[];
  /** every value fed to the generator after its first next() */
  log: unknown[];
  waiting: Waiting | null;
  where: CodeRef | null;
  /** runs on the actor's xenwatch thread: when it returns the thread takes the next event */
  xenwatch: boolean;
}

export interface WorldConfig {
  profile: ProfileId;
  seed: number;
  policy: SchedulingPolicy;
  options: Readonly<Record<string, string | number | boolean>>;
  /** steps between checkpoints (default 4000; the README's "Time travel" gives the trade-off) */
  checkpointEvery?: number;
}

/** What the world is built from: the routine registry, the driver machines and the dispatcher. */
export interface WorldDeps {
  routines: Readonly<Record<string, RoutineFn>>;
  /** by `<type>-<side>`: vbd-frontend, vbd-backend, vif-frontend, vif-backend */
  machines: Readonly<Record<string, AnyStateMachine>>;
  dispatch: KernelEnv['dispatch'];
  /** one per kernel: kernel_kexec() and the crash and jump paths */
  kexec: AnyStateMachine;
}
