/**
 * The world: xenstored, the hypervisor, the guest kernels and dom0 userspace, their routines and
 * driver machines, driven one step at a time by the scheduler. Deterministic: everything it does
 * follows from (profile, seed, policy, options, the user actions and where they were given).
 *
 * A step takes one enabled pending action from the scheduler and runs it to completion:
 *  - `xs-req`: xenstored handles one request; its reply and the watch events it fires are queued on
 *    the receiving connections' response channels (own events first, WATCH's OK first);
 *  - `xs-rsp`: one message reaches a client: a reply resumes the routine waiting for it (which runs
 *    until its next request or wait), a watch event is queued for the xenwatch thread;
 *  - `xenwatch`: the thread runs one queued callback as a routine;
 *  - `resume`: a routine wakes (completion, wait queue, timeout) or a new thread starts;
 *  - `user`: a user action starts the routines that carry it out.
 */
import { createActor, type AnyActor, type Snapshot } from 'xstate';
import type { KernelEnv } from '../../guest/kernel/env';
import type { CodeRef, Command, Routine, WatchCallback } from '../../guest/kernel/routine';
import type { SysCalls, XenbusDeviceInfo } from '../../guest/kernel/sys';
import {
  createXenbusClient,
  emptyStep,
  isXenbusOk,
  registerXenbusWatch,
  unregisterXenbusWatch,
  watchEventMsg,
  xenwatchDone,
  xenwatchNext,
  xsDeliver,
  xsDeliverInto,
  xsRebootNotify,
  xsResume,
  xsSendInto,
  xsSuspend,
  xsSuspendCancel,
  type ClientStep,
  type XenbusResult,
} from '../../guest/xenbus';
import { createHypervisor, GNTST, type HvEffect, type HypervisorState } from '../../hypervisor';
import { getKexecCollector } from '../../drivers/kexecStep';
import { getCollector } from '../../drivers/runStep';
import {
  XsType,
  bytesToString,
  createXenStore,
  errorPayload,
  splitStrings,
  type XenStore,
  type XsEffect,
  type XsMsg,
} from '../../xenstore';
import { profileWithOptions, type Profile } from '../profiles';
import { Rng } from '../rng';
import { Scheduler, type Pending } from '../scheduler';
import {
  CheckpointCopies,
  cloneActor,
  cloneStoreAndHv,
  restoreRoutine,
  snapshotRoutine,
  type RoutineSnapshot,
  type WorldSnapshot,
} from './checkpoint';
import { applyWatchFault } from './faults';
import { XENSTORED_IDLE } from '../toolstack/xenstoreControl';
import { HV_CALLS } from './hvCalls';
import { checkOption, type OptionValue } from './options';
import { TYPE_NAMES, xenstoredSummary } from './summary';
import type { TraceEffect, TraceEntry } from './trace';
import type {
  ActorKind,
  ActorRec,
  DeviceRec,
  RoutineRec,
  UserAction,
  Waiting,
  WorldAction,
  WorldConfig,
  WorldDeps,
} from './types';

/** xenstored's handler per request type (tools/xenstored/core.c wire_funcs[]). */
const XENSTORED_CODE = new Map<number, CodeRef>();
function xenstoredCode(type: number): CodeRef {
  let code = XENSTORED_CODE.get(type);
  if (code === undefined) {
    const name = TYPE_NAMES[type] ?? 'INVALID';
    code = { fn: `do_${name.toLowerCase()}`, file: 'tools/xenstored/core.c' };
    XENSTORED_CODE.set(type, code);
  }
  return code;
}

/** TRANSACTION_END's "F\0": abort. */
const ABORT_PAYLOAD = new Uint8Array([0x46, 0]);

/** An empty read or write set, shared. */
const NO_PATHS = Object.freeze([]) as unknown as string[];

/** The effects of a step that had none: one shared, frozen list (most steps of a long trace). */
const NO_EFFECTS = Object.freeze([]) as unknown as TraceEffect[];

/** What perform() returns for a command after which the routine waits (for a later step). */
const WAITS: unique symbol = Symbol('waits');

/** A routine waiting for its client call: never changed in place, so every such wait shares it. */
const WAITING_XS: Waiting = Object.freeze({ kind: 'xs' });

/** Empties a reused array without giving up its storage (`length = 0` may trim it). */
function clear(a: unknown[]): void {
  while (a.length > 0) a.pop();
}

/**
 * The same string, stored flat. A string built by concatenation is held as a tree of its parts (a
 * rope of 32-byte nodes); a summary lives as long as the trace, so it is flattened once: reading a
 * character makes the engine copy it into one sequence, and the collector drops the tree.
 */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Code references are interned: every `at` of the same function shares one record (by file, then function). */
const CODE_REFS = new Map<string, Map<string, CodeRef>>();
function codeRef(fn: string, file: string): CodeRef {
  let inFile = CODE_REFS.get(file);
  if (inFile === undefined) {
    inFile = new Map();
    CODE_REFS.set(file, inFile);
  }
  let code = inFile.get(fn);
  if (code === undefined) {
    code = { fn, file };
    inFile.set(fn, code);
  }
  return code;
}

/** The client's own code of a reply, a watch event and a xenwatch step (interned like codeRef's). */
const PROCESS_MSG = codeRef('process_msg', 'drivers/xen/xenbus/xenbus_xs.c');
const XS_WATCH_MSG = codeRef('xs_watch_msg', 'drivers/xen/xenbus/xenbus_xs.c');
const XENWATCH_THREAD = codeRef('xenwatch_thread', 'drivers/xen/xenbus/xenbus_xs.c');

/** Who gets what `user` actions run as. */
export const TOOLSTACK = 'dom0.xl';
export const HOTPLUG = 'dom0.hotplug';
export const DOM0_KERNEL = 'dom0.kernel';

export class World {
  readonly config: WorldConfig;
  readonly profile: Profile;
  private readonly deps: WorldDeps;
  store: XenStore;
  hv: HypervisorState;
  sched: Scheduler<WorldAction>;
  rng: Rng;
  /** Read-only outside the world; inside, looked up through lookupActor()/requireActor(). */
  readonly actors = new Map<string, ActorRec>();
  /**
   * Checkpoints copy only the actors that may have changed since the last one: every lookup of an
   * actor record in a step marks it (reading or not), and the others share the last copy.
   */
  private readonly actorCopies = new CheckpointCopies<string, ActorRec, ActorRec>((a) => a.id, cloneActor);
  /** The same for routine records: the ones that ran or were woken since the last checkpoint. */
  private readonly routineCopies = new CheckpointCopies<number, RoutineRec, RoutineSnapshot>(
    (r) => r.id,
    snapshotRoutine,
  );
  /** Device keys by actor and xenstore node name (find_bus_device()'s lookup), kept with `devices`. */
  private readonly deviceIndex = new Map<string, Map<string, string>>();
  /** the actor reading each connection's messages */
  readonly connActor = new Map<number, string>();
  readonly devices = new Map<string, DeviceRec>();
  private readonly machines = new Map<string, AnyActor>();
  /** kexec machines by kernel actor */
  private readonly kexecs = new Map<string, AnyActor>();
  /** per machine: the live snapshot last persisted, and its persisted form (XState snapshots are immutable) */
  private readonly persistedCache = new Map<string, { of: unknown; persisted: Snapshot<unknown> }>();
  readonly routines = new Map<number, RoutineRec>();
  private readonly gens = new Map<number, Routine<unknown>>();
  private readonly envs = new Map<string, KernelEnv>();
  private readonly sysTables = new Map<string, SysCalls>();
  nextRoutineId = 1;
  /** every step run so far, also those ahead of `seq` after a seek back */
  readonly trace: TraceEntry[] = [];
  /** the timeline position: how many steps the world's current state has run */
  seq = 0;
  /** the user actions, each with the position it was given at, in order */
  readonly inputs: Array<{ step: number; action: UserAction }> = [];
  /** manual policy: the pending action picked at each step */
  readonly picks = new Map<number, number>();
  /** manual policy: the steps whose pick was not the oldest enabled delivery (the default) */
  readonly chosen = new Set<number>();
  /** snapshots taken at multiples of `checkpointEvery`, before that step runs */
  readonly checkpoints = new Map<number, WorldSnapshot>();
  readonly checkpointEvery: number;
  /** the options now: the configuration's, changed by `fault` actions while the world runs */
  readonly options: Record<string, OptionValue>;
  /** the entry of the step being run */
  private cur: TraceEntry | null = null;
  private curRoutine: RoutineRec | null = null;

  constructor(config: WorldConfig, deps: WorldDeps) {
    this.config = config;
    this.deps = deps;
    this.profile = profileWithOptions(config.profile, config.options);
    this.store = createXenStore({
      version: this.profile.store.version,
      conflictPolicy:
        config.options['conflictPolicy'] === 'global' || config.options['conflictPolicy'] === 'read-set'
          ? config.options['conflictPolicy']
          : this.profile.store.conflictPolicy,
    });
    this.hv = createHypervisor();
    this.sched = new Scheduler<WorldAction>();
    this.rng = new Rng(config.seed);
    this.checkpointEvery = config.checkpointEvery ?? 4000;
    this.options = { ...config.options };
  }

  // ---------------------------------------------------------------- actors

  /** A new xenstore client process. Kernels use their domain's ring; userspace a socket. */
  addActor(id: string, domid: number, kind: ActorKind, image: string): ActorRec {
    const conn =
      kind === 'kernel'
        ? this.store.connect({ domid, kind: 'domain' })
        : this.store.connect({ domid, kind: 'socket', privileged: domid === 0 });
    const mode = kind === 'kernel' && this.profile.store.version === '2006' ? '2006' : 'modern';
    const actor: ActorRec = {
      id,
      domid,
      kind,
      image,
      conn,
      client: createXenbusClient<number, WatchCallback>({
        mode,
        suspendUnwatches: kind === 'kernel' && this.profile.xenbus.xsSuspendUnwatches,
      }),
      alive: true,
      frozen: false,
      system: 'running',
      vars: {},
      xenwatchQueued: false,
      xenwatchHeld: false,
      held: [],
      devices: [],
    };
    this.actors.set(id, actor);
    this.connActor.set(conn, id);
    this.emit({ k: 'actor', actor: id, change: 'started' });
    return actor;
  }

  /** The kernel stops existing (replaced by kexec, or its domain died): its routines go with it. */
  stopActor(id: string): void {
    const actor = this.lookupActor(id);
    if (!actor || !actor.alive) return;
    actor.alive = false;
    for (const [rid, r] of this.routines) if (r.actor === id) this.killRoutine(rid);
    for (const key of actor.devices) this.freeDevice(key);
    if (this.connActor.get(actor.conn) === id) this.connActor.delete(actor.conn);
    this.emit({ k: 'actor', actor: id, change: 'stopped' });
  }

  private env(actorId: string): KernelEnv {
    const known = this.envs.get(actorId);
    if (known) return known;
    const actor = this.requireActor(actorId);
    const env: KernelEnv = {
      profile: this.profile,
      actor: actorId,
      domid: actor.domid,
      image: actor.image,
      options: this.options,
      dispatch: this.deps.dispatch,
    };
    this.envs.set(actorId, env);
    return env;
  }

  requireActor(id: string): ActorRec {
    const a = this.lookupActor(id);
    if (!a) throw new Error(`no actor ${id}`);
    return a;
  }

  /** The actor's record, marked as possibly changed in this step (see actorCopies). */
  private lookupActor(id: string): ActorRec | undefined {
    const a = this.actors.get(id);
    if (a !== undefined) this.actorCopies.touch(id);
    return a;
  }

  // ---------------------------------------------------------------- routines

  /** Starts a routine now (inside the current step), e.g. from a user action or a xenwatch event. */
  startRoutine(actorId: string, name: string, args: unknown[], xenwatch = false): RoutineRec {
    const rec = this.createRoutine(actorId, name, args, xenwatch);
    this.advance(rec, undefined, true);
    return rec;
  }

  /** kthread_run(): a routine that starts in a later step of its own. */
  spawnRoutine(actorId: string, name: string, args: unknown[]): RoutineRec {
    const rec = this.createRoutine(actorId, name, args, false);
    const p = this.sched.schedule(this.actorChannels(actorId).run, {
      t: 'resume',
      rid: rec.id,
      value: 'start',
      by: this.cur?.seq,
    });
    rec.waiting = { kind: 'start', pending: p.id };
    return rec;
  }

  private createRoutine(actorId: string, name: string, args: unknown[], xenwatch: boolean): RoutineRec {
    const fn = this.deps.routines[name];
    if (!fn) throw new Error(`unknown routine ${name}`);
    const rec: RoutineRec = {
      id: this.nextRoutineId++,
      actor: actorId,
      name,
      args,
      log: [],
      waiting: null,
      where: null,
      xenwatch,
    };
    this.routines.set(rec.id, rec);
    this.instantiate(rec);
    return rec;
  }

  /** A fresh generator for the routine, registered as its body. */
  private instantiate(rec: RoutineRec): Routine<unknown> {
    const fn = this.deps.routines[rec.name] as (env: KernelEnv, ...a: unknown[]) => Routine<unknown>;
    const gen = fn(this.env(rec.actor), ...rec.args);
    this.gens.set(rec.id, gen);
    return gen;
  }

  private killRoutine(rid: number): void {
    const rec = this.routines.get(rid);
    if (!rec) return;
    const w = rec.waiting;
    if (w?.kind === 'wait' && w.timer !== null) this.sched.cancel(w.timer);
    if (w?.kind === 'wait' && w.pending !== null) this.sched.cancel(w.pending);
    if (w?.kind === 'start') this.sched.cancel(w.pending);
    this.routines.delete(rid);
    this.gens.delete(rid);
  }

  /**
   * Feeds `value` to the routine and runs it until it waits or returns. Synchronous commands are
   * answered on the spot; their results are logged like every other value fed in.
   */
  private advance(rec: RoutineRec, value: unknown, first = false): void {
    const gen = this.gens.get(rec.id);
    if (!gen) return;
    const saved = this.curRoutine;
    this.curRoutine = rec;
    this.routineCopies.touch(rec.id);
    rec.waiting = null;
    let input = value;
    let isFirst = first;
    try {
      for (;;) {
        if (!isFirst) rec.log.push(input);
        isFirst = false;
        const r = gen.next(input);
        if (r.done) {
          this.finishRoutine(rec);
          return;
        }
        const out = this.perform(rec, r.value);
        if (out === WAITS) return;
        input = out;
      }
    } finally {
      this.curRoutine = saved;
    }
  }

  private finishRoutine(rec: RoutineRec): void {
    this.routines.delete(rec.id);
    this.gens.delete(rec.id);
    if (!rec.xenwatch) return;
    const actor = this.lookupActor(rec.actor);
    if (!actor || !actor.alive) return;
    this.guestEffects(actor, xenwatchDone(actor.client).effects);
    this.kickXenwatch(actor);
  }

  /** Carries out one command: its result, or WAITS when the routine now waits. */
  private perform(rec: RoutineRec, cmd: Command): unknown {
    const actor = this.requireActor(rec.actor);
    switch (cmd.op) {
      case 'at':
        rec.where = codeRef(cmd.fn, cmd.file);
        if (this.cur && this.cur.code === null) this.cur.code = rec.where;
        return undefined;
      case 'sys':
        return this.syscall(actor, cmd.name, cmd.args);
      case 'xs': {
        rec.waiting = WAITING_XS;
        const sink = this.takeSink();
        try {
          xsSendInto(actor.client, { type: cmd.type, args: cmd.args, txId: cmd.tx }, rec.id, sink);
          this.clientStep(actor, sink);
        } finally {
          this.releaseSink(sink);
        }
        return WAITS;
      }
      case 'watch': {
        if (actor.client.watches.some((w) => w.token === cmd.token)) {
          // the kernel would register a second struct with the same token: xenstored says EEXIST
          const value: XenbusResult = { ok: false, error: 'EEXIST', errno: 17 };
          return value;
        }
        rec.waiting = WAITING_XS;
        const step = registerXenbusWatch(
          actor.client,
          {
            path: cmd.path,
            token: cmd.token,
            callback: cmd.callback,
            dropWhilePending: cmd.dropWhilePending,
          },
          rec.id,
        );
        this.clientStep(actor, step);
        return WAITS;
      }
      case 'unwatch': {
        if (!actor.client.watches.some((w) => w.token === cmd.token)) {
          const value: XenbusResult = { ok: false, error: 'ENOENT', errno: 2 };
          return value;
        }
        rec.waiting = WAITING_XS;
        this.clientStep(actor, unregisterXenbusWatch(actor.client, cmd.token, rec.id));
        return WAITS;
      }
      case 'xs-suspend': {
        rec.waiting = WAITING_XS;
        this.clientStep(actor, xsSuspend(actor.client, rec.id));
        return WAITS;
      }
      case 'wait': {
        const done = Number(actor.vars[`completion:${cmd.key}`] ?? 0);
        if (done > 0) {
          actor.vars[`completion:${cmd.key}`] = done - 1;
          return 'woken';
        }
        const timer =
          cmd.ms === null
            ? null
            : this.sched.schedule(`timer:${rec.id}`, { t: 'resume', rid: rec.id, value: 'timeout' }, cmd.ms)
                .id;
        rec.waiting = { kind: 'wait', key: cmd.key, timer, pending: null };
        return WAITS;
      }
    }
  }

  /**
   * Reusable client steps, one per nesting level (a woken caller may call the client again). Quiet:
   * the step's summary already says a request went out or a reply came in, and xs_state_users is
   * recorded only while a suspend is pending or running (see guestEffects).
   */
  private readonly sinks: ClientStep<number>[] = [];
  private sinkDepth = 0;

  /** An empty step to pass to a client call; give it back with releaseSink() once it was handled. */
  private takeSink(): ClientStep<number> {
    let sink = this.sinks[this.sinkDepth];
    if (sink === undefined) {
      sink = { ...emptyStep<number>(), quietIo: true, quietUsers: true };
      this.sinks.push(sink);
    }
    this.sinkDepth++;
    return sink;
  }

  private releaseSink(sink: ClientStep<number>): void {
    clear(sink.outgoing);
    clear(sink.wakeups);
    clear(sink.effects);
    this.sinkDepth--;
  }

  /** Puts a client call's outgoing messages on the request channel and resumes woken callers. */
  private clientStep(actor: ActorRec, step: ClientStep<number>): void {
    if (step.outgoing.length > 0) {
      const channel = this.channelsOf(actor.conn).req;
      for (const msg of step.outgoing) this.sched.schedule(channel, { t: 'xs-req', conn: actor.conn, msg });
    }
    this.guestEffects(actor, step.effects);
    for (const w of step.wakeups) {
      const rec = this.routines.get(w.k);
      if (!rec) continue;
      if (rec === this.curRoutine && rec.waiting?.kind === 'xs') {
        // woken by its own call (xs_suspend with nothing in flight): it goes on in a step of its own
        this.sched.schedule(this.actorChannels(actor.id).run, { t: 'resume', rid: rec.id, value: 'woken' });
        continue;
      }
      if (w.kind === 'reply') this.advance(rec, w.result);
      else this.advance(rec, 'woken');
    }
  }

  /**
   * The client's own record of a step, minus what the step's summary already says (request sent,
   * reply taken). xs_state_users moves on every request; it is recorded only while a suspend is
   * pending or running, the only time it decides anything.
   */
  private guestEffects(actor: ActorRec, effects: ClientStep<number>['effects']): void {
    if (effects.length === 0) return;
    const suspend = actor.client.suspend;
    const usersMatter = suspend.active > 0 || suspend.phase !== 'idle';
    for (const e of effects) {
      if (e.kind === 'xs-sent' || e.kind === 'xs-reply') continue;
      if (e.kind === 'xs-users' && !usersMatter) continue;
      this.emit({ k: 'guest', actor: actor.id, e });
    }
  }

  /** complete()/wake_up() on `key` among the actor's routines: each wakes in a step of its own. */
  private wake(actorId: string, key: string, max = Infinity): number {
    let n = 0;
    for (const r of this.routines.values()) {
      if (n >= max) break;
      const w = r.waiting;
      if (r.actor !== actorId || w?.kind !== 'wait' || w.key !== key || w.pending !== null) continue;
      if (w.timer !== null) this.sched.cancel(w.timer);
      this.routineCopies.touch(r.id);
      w.timer = null;
      w.pending = this.sched.schedule(this.actorChannels(actorId).run, {
        t: 'resume',
        rid: r.id,
        value: 'woken',
        by: this.cur?.seq,
      }).id;
      n++;
    }
    return n;
  }

  /** The region opens again; what arrived while response processing was stopped is processed now. */
  private endSuspend(actor: ActorRec, step: ClientStep<number>): void {
    // xb_init_comms(): a kernel talks on its domain's ring, which a restore may have replaced
    if (actor.kind === 'kernel') {
      const conn = this.store.connect({ domid: actor.domid, kind: 'domain' });
      if (conn !== actor.conn) {
        this.connActor.delete(actor.conn);
        actor.conn = conn;
        this.connActor.set(conn, actor.id);
      }
    }
    this.clientStep(actor, step);
    const held = actor.held;
    actor.held = [];
    for (const msg of held) {
      const delivered = xsDeliver(actor.client, msg);
      if (delivered.held) actor.held.push(msg);
      this.clientStep(actor, delivered);
    }
    this.kickXenwatch(actor);
  }

  /** complete(): wakes one waiter on `key`, or is remembered for the next wait (struct completion). */
  private complete(actor: ActorRec, key: string): void {
    if (this.wake(actor.id, key, 1) === 0)
      actor.vars[`completion:${key}`] = Number(actor.vars[`completion:${key}`] ?? 0) + 1;
  }

  // ---------------------------------------------------------------- system calls

  /** The system-call table of one actor, built once. */
  private sysCallsOf(actor: ActorRec): SysCalls {
    const known = this.sysTables.get(actor.id);
    if (known) return known;
    const calls: SysCalls = {
      log: (message) => this.emit({ k: 'log', actor: actor.id, text: message }),
      spawn: (routine, a) => this.spawnRoutine(actor.id, routine, a).id,
      wake: (key) => this.wake(actor.id, key),
      complete: (key) => this.complete(actor, key),
      completeOn: (id, key) => this.complete(this.requireActor(id), key),
      devCreate: (d) => this.createDevice(actor, d),
      devGet: (key) => this.deviceInfo(key),
      devList: () => actor.devices.map((k) => this.deviceInfo(k)!),
      devFind: (nodename) => this.deviceIndex.get(actor.id)?.get(nodename) ?? null,
      devSetPriv: (key, patch) => {
        const d = this.devices.get(key);
        if (d) this.devices.set(key, { ...d, priv: { ...d.priv, ...patch } });
      },
      devState: (key) => this.deviceState(key),
      devSend: (key, event) => this.sendDevice(key, event),
      devFree: (key) => this.freeDevice(key),
      hv: (op, a) => this.hypercall(actor, op, a),
      systemState: () => actor.system,
      setSystemState: (s) => {
        actor.system = s;
      },
      getVar: (n) => actor.vars[n] ?? null,
      setVar: (n, v) => {
        actor.vars[n] = v;
      },
      now: () => this.sched.now,
      fact: (n) => this.fact(actor, n),
      startKernel: (domid, kname, image) => {
        const id = `dom${domid}.${kname}`;
        this.addActor(id, domid, 'kernel', image);
        this.spawnRoutine(id, 'kernel.boot', []);
        return id;
      },
      stopKernel: (id) => this.stopActor(id),
      spawnOn: (id, routine, a) => this.spawnRoutine(id, routine, a).id,
      kexecSend: (event) => this.sendKexec(actor, event),
      xsOpenTransactions: () => this.store.openTransactions(),
      xenstoredRestart: (how) => this.restartXenstored(how),
      setFault: (name, value) => {
        const problem = checkOption(name, value);
        if (problem !== null) return problem;
        this.options[name] = value;
        return null;
      },
      rebootNotify: () => {
        // xenbus_ok(): xenstored runs in dom0 (a local store only for dom0 itself)
        const ok = isXenbusOk(
          actor.domid === 0 ? 'local' : 'pv',
          actor.system === 'running' ? 'running' : 'restart',
        );
        this.clientStep(actor, xsRebootNotify(actor.client, ok));
      },
      xsResume: () => this.endSuspend(actor, xsResume(actor.client)),
      xsSuspendCancel: () => this.endSuspend(actor, xsSuspendCancel(actor.client)),
      resetDomainConnection: (domid) => {
        const conn = this.store.connect({ domid, kind: 'domain' });
        for (const e of this.store.disconnect(conn)) this.storeEffect(e);
      },
      setVarOn: (id, name, value) => {
        this.requireActor(id).vars[name] = value;
      },
      uevent: (action, device) => {
        // [2006] udev: SUBSYSTEM=xen-backend ACTION=remove RUN+="xen-hotplug-cleanup"; libxl runs scripts itself
        if (action !== 'remove' || device.side !== 'backend' || actor.domid !== 0) return;
        if (this.profile.toolstack !== 'xend' || !this.actors.get(HOTPLUG)?.alive) return;
        this.spawnRoutine(HOTPLUG, 'hotplug.cleanup', [device.otherend, device.nodename]);
      },
      setFrozen: (id, frozen) => {
        const target = this.requireActor(id);
        target.frozen = frozen;
        this.emit({ k: 'actor', actor: id, change: frozen ? 'frozen' : 'thawed' });
        if (frozen) return;
        this.connActor.set(target.conn, id);
        this.kickXenwatch(target);
      },
      holdXenwatch: (id, held) => {
        const target = this.requireActor(id);
        target.xenwatchHeld = held;
        if (!held) this.kickXenwatch(target);
      },
    };
    this.sysTables.set(actor.id, calls);
    return calls;
  }

  private syscall(actor: ActorRec, name: string, args: readonly unknown[]): unknown {
    const fn = this.sysCallsOf(actor)[name as keyof SysCalls] as ((...a: unknown[]) => unknown) | undefined;
    if (!fn) throw new Error(`unknown system call ${name}`);
    return fn(...args);
  }

  private fact(actor: ActorRec, name: string): string | number | boolean | null {
    if (name === 'domainKind') return this.hv.domains.get(actor.domid)?.kind ?? null;
    if (name === 'xenMajor') return this.profile.store.version === '2006' ? 3 : 4;
    if (name.startsWith('kernelOf:')) return this.kernelOf(Number(name.slice('kernelOf:'.length)), false);
    if (name.startsWith('frozenKernelOf:'))
      return this.kernelOf(Number(name.slice('frozenKernelOf:'.length)), true);
    if (name.startsWith('nextKernelName:')) {
      const domid = Number(name.slice('nextKernelName:'.length));
      const n = [...this.actors.values()].filter((a) => a.kind === 'kernel' && a.domid === domid).length;
      return `K${n + 1}`;
    }
    if (name.startsWith('watchTokens:')) {
      const target = this.actors.get(name.slice('watchTokens:'.length));
      return JSON.stringify(target ? target.client.watches.map((w) => [w.path, w.token]) : []);
    }
    const v = this.options[name];
    return v === undefined ? null : v;
  }

  /** The domain's live kernel that runs (or, with `frozen`, the one a kexec jump stopped). */
  private kernelOf(domid: number, frozen: boolean): string | null {
    for (const a of this.actors.values())
      if (a.alive && a.frozen === frozen && a.kind === 'kernel' && a.domid === domid) return a.id;
    return null;
  }

  /** One hypervisor operation; its effects go to the trace, the rest of its result to the caller. */
  private hypercall(actor: ActorRec, op: string, args: Record<string, unknown>): Record<string, unknown> {
    const call = HV_CALLS[op];
    if (!call) throw new Error(`unknown hypervisor operation ${op}`);
    const failed = this.failedUnmap(actor, op, args);
    if (failed !== null) return failed;
    const { effects, ...result } = call(this.hv, actor.domid, args) as { effects: HvEffect[] } & Record<
      string,
      unknown
    >;
    for (const e of effects) this.emit({ k: 'hv', e });
    // the caller gets the result alone (routine logs keep it for replay; the effects are in the trace)
    return result;
  }

  /** The store daemon replaced (see xenstoreControl.ts); what each connection lost is in the trace. */
  private restartXenstored(how: 'live-update' | 'restart'): void {
    const effects = this.store.restartDaemon(how);
    let watches = 0;
    let transactions = 0;
    for (const e of effects) {
      if (e.kind === 'watch-remove') watches++;
      if (e.kind === 'transaction-end') transactions++;
      this.storeEffect(e);
    }
    const kept = this.store.listWatches().length;
    this.emit({
      k: 'log',
      actor: 'xenstored',
      text:
        how === 'live-update'
          ? `live update: state dumped and restored, ${kept} watches kept, ${transactions} open transaction(s) dropped`
          : `restarted: nodes kept, ${watches} watches and ${transactions} open transaction(s) lost; clients are not told`,
    });
  }

  /**
   * Fault `unmapFault`: the next ring unmap fails as a whole with GNTST_general_error and changes
   * nothing, so the backend's mappings stay. Fires once and clears. Null: no fault here.
   */
  private failedUnmap(
    actor: ActorRec,
    op: string,
    args: Record<string, unknown>,
  ): Record<string, unknown> | null {
    if (op !== 'xenbusUnmapRingVfree' || this.options['unmapFault'] !== true) return null;
    this.options['unmapFault'] = false;
    const handles = (args['handles'] as number[]).join(', ');
    this.emit({
      k: 'log',
      actor: 'xen',
      text: `fault: GNTTABOP_unmap_grant_ref of dom${actor.domid}'s handles ${handles} fails (GNTST_general_error); the pages stay mapped`,
    });
    return { ok: false, rc: GNTST.general_error, error: 'GNTST_general_error' };
  }

  // ---------------------------------------------------------------- devices

  private createDevice(
    actor: ActorRec,
    d: Omit<XenbusDeviceInfo, 'key' | 'actor' | 'domid' | 'priv'>,
  ): string {
    const key = `${actor.id}|${d.relname}`;
    const machineName = `${d.type}-${d.side}`;
    const machine = this.deps.machines[machineName];
    if (!machine) throw new Error(`no driver machine ${machineName}`);
    const rec: DeviceRec = { ...d, key, actor: actor.id, domid: actor.domid, priv: {}, machine: machineName };
    this.devices.set(key, rec);
    this.indexDevice(rec);
    actor.devices.push(key);
    const live = createActor(getCollector(machine).machine, { input: { profile: this.profile } });
    live.start();
    this.machines.set(key, live);
    this.emit({ k: 'device', device: key, change: 'created' });
    return key;
  }

  private indexDevice(d: DeviceRec): void {
    let byNode = this.deviceIndex.get(d.actor);
    if (byNode === undefined) {
      byNode = new Map();
      this.deviceIndex.set(d.actor, byNode);
    }
    byNode.set(d.nodename, d.key);
  }

  private deviceInfo(key: string): XenbusDeviceInfo | null {
    const d = this.devices.get(key);
    if (!d) return null;
    const { machine: _m, ...info } = d;
    return info;
  }

  deviceState(key: string): string {
    const live = this.machines.get(key);
    return live ? String(live.getSnapshot().value) : 'Removed';
  }

  private sendDevice(key: string, event: { type: string } & Record<string, unknown>): readonly object[] {
    const d = this.devices.get(key);
    const live = this.machines.get(key);
    if (!d || !live || live.getSnapshot().status !== 'active') return [];
    const collector = getCollector(this.deps.machines[d.machine]!);
    const sink: object[] = [];
    collector.sink = sink as typeof collector.sink;
    const from = String(live.getSnapshot().value);
    live.send(event);
    collector.sink = [];
    const to = String(live.getSnapshot().value);
    if (from !== to) this.emit({ k: 'transition', device: key, from, to });
    if (to === 'Removed' && from !== to)
      this.devices.set(key, { ...d, priv: { ...d.priv, stateBeforeRemove: from } });
    return sink;
  }

  private kexecInput(): { profile: Profile; jumpPolicy: string } {
    const policy = this.options['jumpPolicy'];
    return { profile: this.profile, jumpPolicy: typeof policy === 'string' ? policy : 'pm-freeze' };
  }

  /** One event into the actor's kexec machine, created on first use; returns the effects. */
  private sendKexec(actor: ActorRec, event: { type: string } & Record<string, unknown>): readonly object[] {
    const collector = getKexecCollector(this.deps.kexec);
    let live = this.kexecs.get(actor.id);
    if (!live) {
      live = createActor(collector.machine, { input: this.kexecInput() });
      live.start();
      this.kexecs.set(actor.id, live);
    }
    if (live.getSnapshot().status !== 'active') return [];
    const sink: object[] = [];
    collector.sink = sink as typeof collector.sink;
    const from = stateName(live.getSnapshot().value);
    live.send(event);
    collector.sink = [];
    const to = stateName(live.getSnapshot().value);
    if (from !== to) this.emit({ k: 'transition', device: `${actor.id}|kexec`, from, to });
    return sink;
  }

  /** The kexec machine's state of a kernel, as a dotted path ('inSuccessor.running'), or null. */
  kexecState(actorId: string): string | null {
    const live = this.kexecs.get(actorId);
    return live ? stateName(live.getSnapshot().value) : null;
  }

  private freeDevice(key: string): void {
    const d = this.devices.get(key);
    if (!d) return;
    this.machines.get(key)?.stop();
    this.machines.delete(key);
    this.devices.delete(key);
    const byNode = this.deviceIndex.get(d.actor);
    if (byNode?.get(d.nodename) === key) byNode.delete(d.nodename);
    const actor = this.lookupActor(d.actor);
    if (actor) actor.devices = actor.devices.filter((k) => k !== key);
    this.emit({ k: 'device', device: key, change: 'freed' });
  }

  // ---------------------------------------------------------------- steps

  /**
   * Queues a user action; it runs as a step of its own. Given at a position behind the end of the
   * trace (after a seek back), it starts a new future: the steps and actions after it are dropped.
   */
  act(action: UserAction): void {
    if (this.seq < this.trace.length) this.truncate(this.seq);
    this.checkpoints.delete(this.seq);
    this.inputs.push({ step: this.seq, action });
    this.sched.schedule('user', { t: 'user', action });
  }

  /** Forgets the future from position `at` on (actions given at `at` itself stay). */
  private truncate(at: number): void {
    this.trace.length = at;
    let keep = this.inputs.length;
    while (keep > 0 && this.inputs[keep - 1]!.step > at) keep--;
    this.inputs.length = keep;
    for (const k of [...this.picks.keys()]) if (k >= at) this.picks.delete(k);
    for (const k of [...this.chosen]) if (k >= at) this.chosen.delete(k);
    for (const k of [...this.checkpoints.keys()]) if (k > at) this.checkpoints.delete(k);
  }

  /** The pending actions the policy may pick next. */
  enabled(): Pending<WorldAction>[] {
    return this.sched.enabled();
  }

  get idle(): boolean {
    return this.sched.size === 0;
  }

  /**
   * Runs one step; `choice` is the id of an enabled action under the manual policy. Behind the end
   * of the trace the step is a replay: the recorded pick is used unless `choice` differs from it
   * (which starts a new future), and the recorded entry is returned.
   */
  step(choice?: number): TraceEntry | null {
    const at = this.seq;
    if (at % this.checkpointEvery === 0 && !this.checkpoints.has(at))
      this.checkpoints.set(at, this.snapshot());
    const replaying = at < this.trace.length;
    let pick = choice;
    if (replaying && this.config.policy === 'manual') {
      const recorded = this.picks.get(at);
      if (pick === undefined) pick = recorded;
      else if (pick !== recorded) this.truncate(at);
    }
    const oldest = this.config.policy === 'manual' ? this.sched.enabled()[0]?.id : undefined;
    const p = this.sched.next(this.config.policy, this.rng, pick);
    if (!p) return null;
    if (this.config.policy === 'manual') {
      this.picks.set(at, p.id);
      if (p.id === oldest) this.chosen.delete(at);
      else this.chosen.add(at);
    }
    const entry = this.runAction(p.action, at);
    this.seq = at + 1;
    let result = entry;
    if (at < this.trace.length) {
      const recorded = this.trace[at]!;
      if (recorded.summary !== entry.summary || recorded.effects.length !== entry.effects.length)
        throw new Error(`replay diverged at step ${at}: "${entry.summary}" ≠ "${recorded.summary}"`);
      result = recorded;
    } else this.trace.push(entry);
    this.replayInputs();
    return result;
  }

  /** Behind the end of the trace: re-gives the actions recorded at the current position. */
  private replayInputs(): void {
    const at = this.seq;
    const inputs = this.inputs;
    // at the end of the trace nothing was recorded ahead: the common case costs one comparison
    if (inputs.length === 0 || inputs[inputs.length - 1]!.step < at) return;
    let lo = 0;
    let hi = inputs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inputs[mid]!.step < at) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < inputs.length && inputs[i]!.step === at; i++)
      this.sched.schedule('user', { t: 'user', action: inputs[i]!.action });
  }

  private runAction(a: WorldAction, seq: number): TraceEntry {
    const entry: TraceEntry = {
      seq,
      time: this.sched.now,
      actor: '',
      kind: 'user',
      summary: '',
      effects: NO_EFFECTS,
      code: null,
    };
    this.cur = entry;
    try {
      switch (a.t) {
        case 'xs-req':
          this.stepRequest(entry, a.conn, a.msg);
          break;
        case 'xs-rsp':
          this.stepResponse(entry, a.conn, a.msg);
          break;
        case 'xenwatch':
          this.stepXenwatch(entry, a.actor);
          break;
        case 'resume':
          if (a.by !== undefined && this.routines.has(a.rid))
            this.emit({ k: 'woken-by', by: a.by, how: a.value === 'start' ? 'start' : 'wake' });
          this.stepResume(entry, a.rid, a.value);
          break;
        case 'user':
          entry.actor = 'user';
          entry.kind = 'user';
          entry.summary = describeAction(a.action);
          this.startRoutine(TOOLSTACK, 'user.act', [a.action]);
          break;
      }
      entry.summary = flatten(entry.summary);
    } finally {
      this.cur = null;
    }
    return entry;
  }

  /** Runs steps until nothing is queued or `max` steps ran; returns how many ran. */
  run(max = Infinity): number {
    let n = 0;
    const manual = this.config.policy === 'manual';
    while (n < max && this.step(manual && this.seq >= this.trace.length ? this.enabled()[0]?.id : undefined))
      n++;
    return n;
  }

  /**
   * Moves the world to timeline position `n` (0 ≤ n ≤ trace length): restores the nearest checkpoint
   * at or before it, unless stepping on from here is shorter, and replays the recorded steps.
   */
  seek(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.trace.length)
      throw new RangeError(`seek: position ${n} is outside the trace (0…${this.trace.length})`);
    let best = -1;
    for (const k of this.checkpoints.keys()) if (k <= n && k > best) best = k;
    if (n < this.seq || (best > this.seq && best >= 0)) {
      if (best < 0) throw new Error(`seek: no checkpoint at or before ${n}`);
      this.restore(this.checkpoints.get(best)!);
    }
    while (this.seq < n) this.step();
  }

  /** The whole state at the current position (see checkpoint.ts). */
  snapshot(): WorldSnapshot {
    const { store, hv } = cloneStoreAndHv(this.store, this.hv);
    return {
      seq: this.seq,
      store,
      hv,
      sched: this.sched.snapshot(),
      rng: this.rng.snapshot(),
      actors: this.actorCopies.take(this.actors.values()),
      connActor: [...this.connActor],
      devices: [...this.devices.values()],
      machines: [...this.machines].map(([k, m]) => [k, this.persisted(k, m)]),
      kexecs: [...this.kexecs].map(([k, m]) => [k, this.persisted(`kexec:${k}`, m)]),
      routines: this.routineCopies.take(this.routines.values()),
      nextRoutineId: this.nextRoutineId,
      options: { ...this.options },
    };
  }

  /** A machine's persisted snapshot, computed again only when the machine moved since the last time. */
  private persisted(key: string, live: AnyActor): Snapshot<unknown> {
    const now = live.getSnapshot() as unknown;
    const known = this.persistedCache.get(key);
    if (known && known.of === now) return known.persisted;
    const persisted = live.getPersistedSnapshot();
    this.persistedCache.set(key, { of: now, persisted });
    return persisted;
  }

  /** Puts the world back in a snapshot's state; the snapshot stays usable. Generators are replayed. */
  restore(snap: WorldSnapshot): void {
    const { store, hv } = cloneStoreAndHv(snap.store, snap.hv);
    this.seq = snap.seq;
    this.store = store;
    this.hv = hv;
    this.sched = Scheduler.restore(snap.sched);
    this.rng = Rng.restore(snap.rng);
    this.envs.clear();
    this.sysTables.clear();
    this.actors.clear();
    for (const a of snap.actors) this.actors.set(a.id, cloneActor(a));
    this.actorCopies.reset(snap.actors, (a) => a.id);
    this.connActor.clear();
    for (const [c, id] of snap.connActor) this.connActor.set(c, id);
    this.devices.clear();
    this.deviceIndex.clear();
    for (const d of snap.devices) {
      this.devices.set(d.key, d);
      this.indexDevice(d);
    }
    for (const m of this.machines.values()) m.stop();
    this.machines.clear();
    this.persistedCache.clear();
    for (const [key, persisted] of snap.machines) {
      const d = this.devices.get(key)!;
      const machine = getCollector(this.deps.machines[d.machine]!).machine;
      const live = createActor(machine, { snapshot: persisted, input: { profile: this.profile } });
      live.start();
      this.machines.set(key, live);
    }
    for (const m of this.kexecs.values()) m.stop();
    this.kexecs.clear();
    const kexec = getKexecCollector(this.deps.kexec).machine;
    for (const [id, persisted] of snap.kexecs) {
      const live = createActor(kexec, { snapshot: persisted, input: this.kexecInput() });
      live.start();
      this.kexecs.set(id, live);
    }
    this.routines.clear();
    this.gens.clear();
    this.routineCopies.reset(snap.routines, (r) => r.id);
    for (const r of snap.routines) {
      const rec = restoreRoutine(r);
      this.routines.set(rec.id, rec);
      const gen = this.instantiate(rec);
      if (rec.waiting?.kind !== 'start') {
        gen.next();
        for (const v of rec.log) gen.next(v);
      }
    }
    this.nextRoutineId = snap.nextRoutineId;
    // the same record: kernel environments hold it
    for (const k of Object.keys(this.options)) delete this.options[k];
    Object.assign(this.options, snap.options);
  }

  /**
   * Fault `forceEagain`: a commit (TRANSACTION_END "T") becomes an abort ("F"), so nothing of the
   * transaction lands; the caller answers it EAGAIN. Fires once and clears. Null: no fault here.
   */
  private forcedEagain(msg: XsMsg): XsMsg | null {
    if (
      this.options['forceEagain'] !== true ||
      msg.type !== XsType.TRANSACTION_END ||
      msg.payload[0] !== 0x54
    )
      return null;
    this.options['forceEagain'] = false;
    return { ...msg, payload: ABORT_PAYLOAD };
  }

  private stepRequest(entry: TraceEntry, conn: number, msg: XsMsg): void {
    const from = this.connActor.get(conn) ?? `conn${conn}`;
    entry.actor = 'xenstored';
    entry.kind = 'xenstored';
    entry.code = xenstoredCode(msg.type);
    const forced = this.forcedEagain(msg);
    const result = this.store.handle(conn, forced ?? msg);
    // fault: the commit was turned into an abort and is answered as a conflict
    const reply =
      forced !== null && result.reply !== null
        ? { ...result.reply, type: XsType.ERROR, payload: errorPayload('EAGAIN') }
        : result.reply;
    entry.summary = xenstoredSummary(from, msg, reply);
    // own watch events before the reply (except WATCH's, which follow its OK), then the others'
    const watchFirst = msg.type !== XsType.WATCH;
    let later: Array<{ conn: number; msg: XsMsg; delay: number }> | null = null;
    if (forced !== null)
      this.emit({
        k: 'log',
        actor: 'xenstored',
        text: `fault: commit of ${from}'s transaction ${msg.txId} forced to EAGAIN`,
      });
    for (const e of result.effects) {
      if (forced !== null && e.kind === 'transaction-end')
        this.emit({
          k: 'tx',
          actor: from,
          txId: e.txId,
          outcome: 'eagain',
          reads: e.reads ?? NO_PATHS,
          writes: e.writes ?? NO_PATHS,
          forced: true,
        });
      else this.storeEffect(e);
      if (e.kind !== 'watch-event') continue;
      // fault injection: this event lost on the way, or held back (the ring stalls behind it)
      const fate = applyWatchFault(this.options, e.path);
      if (fate.kind === 'drop') {
        const to = this.connActor.get(e.conn) ?? `conn${e.conn}`;
        this.emit({
          k: 'log',
          actor: 'xenstored',
          text: `fault: watch event ${e.path} (${e.token}) for ${to} lost`,
        });
        continue;
      }
      const delay = fate.kind === 'delay' ? fate.ms : 0;
      const event = watchEventMsg(e.path, e.token);
      if (e.conn === conn && watchFirst) this.queueResponse(conn, event, delay);
      else (later ??= []).push({ conn: e.conn, msg: event, delay });
    }
    if (reply) this.queueResponse(conn, reply);
    if (later === null) return;
    if (!watchFirst) for (const e of later) if (e.conn === conn) this.queueResponse(conn, e.msg, e.delay);
    for (const e of later) if (e.conn !== conn) this.queueResponse(e.conn, e.msg, e.delay);
  }

  /** The per-connection channel names, built once. */
  private readonly channelNames = new Map<number, { req: string; rsp: string }>();
  private channelsOf(conn: number): { req: string; rsp: string } {
    let names = this.channelNames.get(conn);
    if (names === undefined) {
      names = { req: `xs:${conn}:req`, rsp: `xs:${conn}:rsp` };
      this.channelNames.set(conn, names);
    }
    return names;
  }

  /** The per-actor channel names (its runnable routines, its xenwatch thread), built once. */
  private readonly actorChannelNames = new Map<string, { run: string; xenwatch: string }>();
  private actorChannels(actorId: string): { run: string; xenwatch: string } {
    let names = this.actorChannelNames.get(actorId);
    if (names === undefined) {
      names = { run: `run:${actorId}`, xenwatch: `xenwatch:${actorId}` };
      this.actorChannelNames.set(actorId, names);
    }
    return names;
  }

  private queueResponse(conn: number, msg: XsMsg, delay = 0): void {
    this.sched.schedule(this.channelsOf(conn).rsp, { t: 'xs-rsp', conn, msg }, delay);
  }

  private storeEffect(e: XsEffect): void {
    switch (e.kind) {
      case 'node-write':
        this.emit({
          k: 'node-write',
          path: e.path,
          old: e.old ? bytesToString(e.old.value) : null,
          value: bytesToString(e.new.value),
          perms: e.new.perms.map((p) => `${p.access}${p.domid}`).join(','),
        });
        break;
      case 'node-remove':
        this.emit({ k: 'node-remove', path: e.path, old: bytesToString(e.old.value) });
        break;
      case 'watch-event':
        this.emit({
          k: 'watch-fire',
          to: this.connActor.get(e.conn) ?? `conn${e.conn}`,
          path: e.path,
          token: e.token,
        });
        break;
      case 'watch-add':
      case 'watch-remove':
        this.emit({
          k: e.kind,
          actor: this.connActor.get(e.conn) ?? `conn${e.conn}`,
          path: e.path,
          token: e.token,
        });
        break;
      case 'transaction-start':
        this.emit({ k: 'tx', actor: this.connActor.get(e.conn) ?? '', txId: e.txId, outcome: 'start' });
        break;
      case 'transaction-end': {
        // a pending live update goes ahead once the last transaction has ended
        if (this.store.openTransactions() === 0) this.wake(TOOLSTACK, XENSTORED_IDLE);
        const actor = this.connActor.get(e.conn) ?? '';
        const reads = e.reads ?? NO_PATHS;
        const writes = e.writes ?? NO_PATHS;
        // one shape per site: the conflict is named only on EAGAIN under the read-set rule
        this.emit(
          e.conflictPath === undefined
            ? { k: 'tx', actor, txId: e.txId, outcome: e.outcome, reads, writes }
            : {
                k: 'tx',
                actor,
                txId: e.txId,
                outcome: e.outcome,
                reads,
                writes,
                conflictPath: e.conflictPath,
              },
        );
        break;
      }
      default:
        break;
    }
  }

  private stepResponse(entry: TraceEntry, conn: number, msg: XsMsg): void {
    const actorId = this.connActor.get(conn);
    const actor = actorId ? this.lookupActor(actorId) : undefined;
    entry.actor = actorId ?? `conn${conn}`;
    entry.kind = msg.type === XsType.WATCH_EVENT ? 'watch-event' : 'reply';
    if (!actor || !actor.alive) {
      entry.summary = `${TYPE_NAMES[msg.type]} for a connection nobody reads: lost`;
      return;
    }
    if (msg.type === XsType.WATCH_EVENT) {
      const [path = '', token = ''] = splitStrings(msg.payload);
      entry.code = XS_WATCH_MSG;
      entry.summary = `${actor.id}: watch event ${path} (${token})`;
    } else {
      const req = actor.client.inFlight.find((r) => r.reqId === msg.reqId);
      const waiter = req?.waiter.kind === 'caller' ? this.routines.get(req.waiter.k) : undefined;
      entry.code = waiter?.where ?? PROCESS_MSG;
      entry.summary = `${actor.id}: reply to ${TYPE_NAMES[msg.type] ?? msg.type}${waiter ? ` → ${waiter.name}` : ''}`;
    }
    const sink = this.takeSink();
    try {
      const outcome = xsDeliverInto(actor.client, msg, sink);
      if (outcome === 'held') {
        actor.held.push(msg);
        entry.summary += ' (held: client suspended)';
      }
      this.clientStep(actor, sink);
      if (outcome === 'queued') this.kickXenwatch(actor);
    } finally {
      this.releaseSink(sink);
    }
  }

  /** Queues a xenwatch step when the thread is idle, not held, and has events. */
  kickXenwatch(actor: ActorRec): void {
    const c = actor.client;
    if (actor.xenwatchQueued || actor.xenwatchHeld || actor.frozen || !actor.alive) return;
    if (c.xenwatch.running !== null || c.xenwatch.queue.length === 0) return;
    actor.xenwatchQueued = true;
    this.sched.schedule(this.actorChannels(actor.id).xenwatch, { t: 'xenwatch', actor: actor.id });
  }

  private stepXenwatch(entry: TraceEntry, actorId: string): void {
    const actor = this.requireActor(actorId);
    actor.xenwatchQueued = false;
    entry.actor = actorId;
    entry.kind = 'xenwatch';
    entry.code = XENWATCH_THREAD;
    if (!actor.alive || actor.xenwatchHeld || actor.frozen) {
      entry.summary = `${actorId}: xenwatch idle`;
      return;
    }
    const next = xenwatchNext(actor.client);
    if (!next) {
      entry.summary = `${actorId}: xenwatch idle`;
      return;
    }
    this.guestEffects(actor, next.effects);
    const { callback, event } = next.job;
    entry.summary = `${actorId} xenwatch: ${callback.routine}(${event.path})`;
    this.startRoutine(actorId, callback.routine, [callback.arg, event.path], true);
  }

  private stepResume(entry: TraceEntry, rid: number, value: 'woken' | 'timeout' | 'start'): void {
    const rec = this.routines.get(rid);
    entry.kind = 'wakeup';
    if (!rec) {
      entry.summary = `routine ${rid} is gone`;
      return;
    }
    entry.actor = rec.actor;
    entry.code = rec.where;
    if (value === 'start') {
      entry.summary = `${rec.actor}: ${rec.name} starts`;
      this.advance(rec, undefined, true);
      return;
    }
    const w = rec.waiting;
    if (w?.kind === 'wait' && value === 'woken' && w.timer !== null) this.sched.cancel(w.timer);
    const how = w?.kind === 'wait' && w.key === '' ? 'slept' : value === 'timeout' ? 'timed out' : 'woken';
    entry.summary = `${rec.actor}: ${rec.name} ${how}${w?.kind === 'wait' && w.key ? ` (${w.key})` : ''}`;
    if (how === 'timed out')
      this.emit({ k: 'timeout', actor: rec.actor, wait: w?.kind === 'wait' ? w.key : '' });
    this.advance(rec, value);
  }

  /** Appends an effect to the current step. */
  emit(e: TraceEffect): void {
    const cur = this.cur;
    if (cur === null) return;
    if (cur.effects === NO_EFFECTS) cur.effects = [e];
    else cur.effects.push(e);
  }
}

function stateName(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([k, v]) => `${k}.${stateName(v)}`)
    .join(',');
}

export function describeAction(a: UserAction): string {
  const { type, ...rest } = a;
  const params = Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `user: ${type}${params ? ` ${params}` : ''}`;
}
