/**
 * The synchronous calls a routine makes into the world (its "system calls"): hypercalls, the Linux
 * device model, completions and wait queues, kernel threads, printk. Each returns plain data; the
 * simulator records the result so a routine can be rebuilt from its log.
 */
import { command, type Routine } from './routine';

export type XenbusSide = 'frontend' | 'backend';
export type DeviceType = 'vbd' | 'vif';

/** struct xenbus_device as the simulator keeps it: identity plus the driver's private data. */
export interface XenbusDeviceInfo {
  /** unique per kernel: `<actor>|<nodename>` */
  key: string;
  actor: string;
  domid: number;
  type: DeviceType;
  side: XenbusSide;
  /** own directory, absolute */
  nodename: string;
  /** own directory relative to the domain's home (error nodes go under error/<this>) */
  relname: string;
  otherend: string;
  otherendId: number;
  devid: number;
  /** the driver's private fields (ring ids, refs, ports, handles …), JSON */
  priv: Readonly<Record<string, unknown>>;
}

export interface SysCalls {
  /** printk at the current routine's call site */
  log(message: string): void;
  /** kthread_run(): a new routine on this actor, started in a later step */
  spawn(routine: string, args: unknown[]): number;
  /** wake_up(): wakes every routine sleeping on `key`; returns how many (a wakeup nobody waits for is lost) */
  wake(key: string): number;
  /** complete(): wakes one routine waiting on `key`, or is remembered for the next wait (struct completion) */
  complete(key: string): void;
  /** device_register(): a device object with a driver machine of `type`/`side`; returns its key */
  devCreate(dev: Omit<XenbusDeviceInfo, 'key' | 'actor' | 'domid' | 'priv'>): string;
  devGet(key: string): XenbusDeviceInfo | null;
  /** the device objects of this actor, in registration order */
  devList(): XenbusDeviceInfo[];
  /** the device whose own directory is `nodename` (xenbus_device_find) */
  devFind(nodename: string): string | null;
  devSetPriv(key: string, patch: Record<string, unknown>): void;
  /** the driver machine's current (cached) state name */
  devState(key: string): string;
  /** one event into the driver machine; returns the effects its transition named */
  devSend(key: string, event: { type: string } & Record<string, unknown>): readonly object[];
  /** device_unregister() finished: the object is freed */
  devFree(key: string): void;
  /** a hypercall or hypervisor-side operation by this domain (names in the world's table); its effects also go to the trace */
  hv(op: string, args: Record<string, unknown>): Record<string, unknown>;
  /** system_state: running, or past kernel_restart_prepare / kernel_power_off */
  systemState(): 'running' | 'shutting-down';
  setSystemState(state: 'running' | 'shutting-down'): void;
  /** a kernel global variable of this actor (e.g. xenbus_reset_state's backend_state) */
  getVar(name: string): unknown;
  setVar(name: string, value: unknown): void;
  /** model time in ms (jiffies) */
  now(): number;
  /** dom0 userspace and the hypervisor only: a new kernel starts running in `domid` (boot, kexec) */
  startKernel(domid: number, name: string, image: string): string;
  /** the kernel stops existing (machine_kexec replaced it, or its domain died) */
  stopKernel(actor: string): void;
  /** a routine on another actor (the toolstack starting a guest action, a kernel starting its successor) */
  spawnOn(actor: string, routine: string, args: unknown[]): number;
  /** one event into this kernel's kexec machine (created on first use); returns the effects it named */
  kexecSend(event: { type: string } & Record<string, unknown>): readonly object[];
  /** a kernel stops running without going away (kexec jump), or runs again; a thawed kernel owns the domain's xenstore ring */
  setFrozen(actor: string, frozen: boolean): void;
  /** complete() on another actor's completion (the toolstack finishing what a paused guest asked for) */
  completeOn(actor: string, key: string): void;
  /** xs_resume(): watches re-sent, blocked requesters go, replies held while suspended are processed */
  xsResume(): void;
  /** xs_suspend_cancel(): the region opens again, nothing re-sent */
  xsSuspendCancel(): void;
  /** a kernel variable of another actor (the toolstack telling a suspended guest how its suspend ended) */
  setVarOn(actor: string, name: string, value: unknown): void;
  /** toolstack: the domain's xenstored connection starts afresh (restore onto a new ring); nodes stay */
  resetDomainConnection(domid: number): void;
  /** how many transactions xenstored has open, on all connections */
  xsOpenTransactions(): number;
  /** xenstored replaced by a new daemon: a live update, or a plain restart (see xenstoreControl.ts) */
  xenstoredRestart(how: 'live-update' | 'restart'): void;
  /** user fault injection: sets a world option while the world runs; returns an error text or null */
  setFault(name: string, value: string | number | boolean): string | null;
  /** xs_reboot_notify(): waiters of a xenstore that cannot answer any more give up with -EIO */
  rebootNotify(): void;
  /** kobject_uevent(): dom0's udev sees a device come or go (the 2006 hotplug rules act on `remove`) */
  uevent(action: 'add' | 'remove', device: { side: string; nodename: string; otherend: string }): void;
  /** fault injection: hold or release an actor's xenwatch thread */
  holdXenwatch(actor: string, held: boolean): void;
  /** a fact about the world a kernel can know (its domain kind, Xen version, its image name …) */
  fact(name: string): string | number | boolean | null;
}

/** A synchronous world call with its typed result. */
export function sys<N extends keyof SysCalls>(
  name: N,
  ...args: Parameters<SysCalls[N]>
): Routine<ReturnType<SysCalls[N]>> {
  return command({ op: 'sys', name, args });
}
