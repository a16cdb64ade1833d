/**
 * The Linux xenbus core as routines (drivers/xen/xenbus/xenbus_probe*.c, xenbus_client.c): bus
 * discovery and probe, the otherend watch, xenbus_switch_state, error reporting, device removal,
 * the frontend shutdown walk and xenbus_reset_state. Spec xenbus.md §3, kexec-handover.md §5.
 */
import { XsType } from '../../xenstore';
import { getTransactionId, type XenbusResult } from '../xenbus';
import type { KernelEnv } from './env';
import { at, unwatch, wait, watch, XBT_NIL, xs, xsThen, type Routine } from './routine';
import { sys, type XenbusSide } from './sys';
import { parseXenbusState, XenbusState, type XenbusStateName } from './xenbusState';

const PROBE_C = 'drivers/xen/xenbus/xenbus_probe.c';
const CLIENT_C = 'drivers/xen/xenbus/xenbus_client.c';
const FRONTEND_C = 'drivers/xen/xenbus/xenbus_probe_frontend.c';

/** /local/domain/<domid> */
export function domainPath(domid: number): string {
  return `/local/domain/${domid}`;
}

/** The value of a READ answer, or null on any error. */
function valueOrNull(r: XenbusResult): string | null {
  return r.ok ? r.value : null;
}

/** The child names of a DIRECTORY answer, or null on any error. */
function namesOrNull(r: XenbusResult): string[] | null {
  return r.ok ? r.strings : null;
}

/** 'ok' for a TRANSACTION_END answer, else the error name. */
function endOutcome(r: XenbusResult): string {
  return r.ok ? 'ok' : r.error;
}

/** xenbus_read(): the value, or null on any error. */
export function xenbusRead(path: string, tx = 0): Routine<string | null> {
  return xsThen(XsType.READ, [path], tx, valueOrNull);
}

/** xenbus_write() / xenbus_printf(). */
export function xenbusWrite(path: string, value: string, tx = 0): Routine<XenbusResult> {
  return xs(XsType.WRITE, [path, value], tx);
}

/** xenbus_directory(): the child names, or null when the node does not exist. */
export function xenbusDirectory(path: string): Routine<string[] | null> {
  return xsThen(XsType.DIRECTORY, [path], XBT_NIL, namesOrNull);
}

/** xenbus_transaction_start(): the id, or null with the error. */
export function transactionStart(): Routine<number | null> {
  return xsThen(XsType.TRANSACTION_START, [''], XBT_NIL, getTransactionId);
}

/** xenbus_transaction_end(): 'ok', 'EAGAIN' or another error name. */
export function transactionEnd(tx: number, abort: boolean): Routine<string> {
  return xsThen(XsType.TRANSACTION_END, [abort ? 'F' : 'T'], tx, endOutcome);
}

/** xenbus_read_driver_state(): the state in `<dir>/state` (missing: the profile's default). */
export function readDriverState(env: KernelEnv, dir: string): Routine<XenbusStateName> {
  return xsThen(XsType.READ, [`${dir}/state`], XBT_NIL, (r) => {
    const read = parseXenbusState(valueOrNull(r), env.profile.xenbus);
    return read.kind === 'state' ? read.name : 'Unknown';
  });
}

/** xenbus_dev_error(): error/<nodename>/error = "<errno> <message>" under the writer's home. */
export function* xenbusDevError(env: KernelEnv, key: string, errno: number, message: string): Routine {
  yield* at('xenbus_dev_error', CLIENT_C);
  const dev = yield* sys('devGet', key);
  if (dev === null) return;
  yield* sys('log', `${dev.relname}: ${message}`);
  yield* xenbusWrite(`${domainPath(env.domid)}/error/${dev.relname}/error`, `${errno} ${message}`);
}

/** xenbus_dev_fatal(): the error node, then switch Closing. */
export function* xenbusDevFatal(env: KernelEnv, key: string, errno: number, message: string): Routine {
  yield* xenbusDevError(env, key, errno, message);
  yield* xenbusSwitchState(env, key, 'Closing');
}

/**
 * __xenbus_switch_state() (xenbus.md §3.4): nothing if the cached state already is `state`; [modern]
 * read and write in a transaction retried on EAGAIN (a missing node aborts, cached state still set);
 * [2006] a plain read (missing: return, cached unchanged) and write. Tells the machine SWITCHED.
 */
export function* xenbusSwitchState(env: KernelEnv, key: string, state: XenbusStateName): Routine {
  yield* at('xenbus_switch_state', CLIENT_C);
  const dev = yield* sys('devGet', key);
  if (dev === null) return;
  // dev->state: a removed device's machine has left its last cached state in priv
  const machineState = yield* sys('devState', key);
  const cached = machineState === 'Removed' ? dev.priv['stateBeforeRemove'] : machineState;
  if (cached === state) return;
  const path = `${dev.nodename}/state`;
  const value = String(XenbusState[state]);
  if (env.profile.xenbus.switchState === 'transaction') {
    for (;;) {
      const tx = yield* transactionStart();
      if (tx === null) return yield* switchFatal(env, key, state);
      if ((yield* xenbusRead(path, tx)) === null) {
        // "do not resurrect a directory being torn down"
        yield* transactionEnd(tx, true);
        break;
      }
      const w = yield* xenbusWrite(path, value, tx);
      if (!w.ok) {
        yield* transactionEnd(tx, true);
        return yield* switchFatal(env, key, state);
      }
      const end = yield* transactionEnd(tx, false);
      if (end === 'EAGAIN') continue;
      if (end !== 'ok') return yield* switchFatal(env, key, state);
      break;
    }
  } else {
    if ((yield* xenbusRead(path)) === null) return;
    const w = yield* xenbusWrite(path, value);
    if (!w.ok) {
      if (state !== 'Closing') yield* xenbusDevFatal(env, key, w.errno, `writing new state`);
      return;
    }
  }
  yield* env.dispatch(env, key, { type: 'SWITCHED', state });
}

/** xenbus_switch_fatal(): error node and one attempt at Closing (unless that was the failing switch). */
function* switchFatal(env: KernelEnv, key: string, state: XenbusStateName): Routine {
  yield* xenbusDevError(env, key, 5, `failed to switch to ${state}`);
  if (state !== 'Closing') yield* xenbusSwitchState(env, key, 'Closing');
}

/** xenbus_frontend_closed(): switch Closed, complete(&dev->down). */
export function* xenbusFrontendClosed(env: KernelEnv, key: string): Routine {
  yield* at('xenbus_frontend_closed', CLIENT_C);
  yield* xenbusSwitchState(env, key, 'Closed');
  yield* sys('complete', `down:${key}`);
}

/** The watch token of a static watch: the address of the struct, the same in identical images. */
export function staticToken(env: KernelEnv, name: string): string {
  return `${env.image}:${name}`;
}

/** A dynamic watch token: the address of a kmalloc'ed struct, unique to this kernel instance. */
function otherendToken(env: KernelEnv, relname: string): string {
  return `${env.actor}:otherend:${relname}`;
}

interface Bus {
  root: string;
  levels: number;
  watchName: string;
}

const FRONTEND_BUS: Bus = { root: 'device', levels: 2, watchName: 'fe_watch' };
const BACKEND_BUS: Bus = { root: 'backend', levels: 3, watchName: 'be_watch' };

/** The bus a side's devices live on: root node, levels below it, top watch. */
function busOf(side: XenbusSide): Bus {
  return side === 'frontend' ? FRONTEND_BUS : BACKEND_BUS;
}

/**
 * xenbus_probe_node(): only a device in state Initialising is new; then device_register() →
 * xenbus_dev_probe(): talk_to_otherend, the driver's probe, watch_otherend.
 */
export function* xenbusProbeNode(env: KernelEnv, side: XenbusSide, relname: string): Routine {
  yield* at('xenbus_probe_node', PROBE_C);
  const home = domainPath(env.domid);
  const nodename = `${home}/${relname}`;
  const state = yield* readDriverState(env, nodename);
  if (state !== 'Initialising') {
    yield* sys('log', `${relname}: state ${XenbusState[state]}, device is not new, ignored`);
    return;
  }
  const parts = relname.split('/');
  const type = parts[1];
  if (type !== 'vbd' && type !== 'vif') return;
  yield* at('talk_to_otherend', PROBE_C);
  const idNode = side === 'frontend' ? 'backend-id' : 'frontend-id';
  const pathNode = side === 'frontend' ? 'backend' : 'frontend';
  const otherendId = yield* xenbusRead(`${nodename}/${idNode}`);
  const otherend = yield* xenbusRead(`${nodename}/${pathNode}`);
  if (otherendId === null || otherend === null || (yield* xenbusDirectory(otherend)) === null) {
    yield* sys('log', `xenbus_probe: talk_to_otherend on ${relname} failed`);
    return;
  }
  const key = yield* sys('devCreate', {
    type,
    side,
    nodename,
    relname,
    otherend,
    otherendId: Number(otherendId),
    devid: Number(parts[parts.length - 1]),
  });
  yield* at('xenbus_dev_probe', PROBE_C);
  yield* env.dispatch(env, key, { type: 'PROBE' });
  if ((yield* sys('devGet', key)) === null) return;
  yield* at('watch_otherend', PROBE_C);
  const dropWhilePending = side === 'backend' && env.profile.xenbus.dropOtherendEventWhilePending;
  const r = yield* watch(
    `${otherend}/state`,
    otherendToken(env, relname),
    { routine: 'xenbus.otherendChanged', arg: key },
    dropWhilePending,
  );
  if (r.ok) yield* sys('devSetPriv', key, { otherendWatch: otherendToken(env, relname) });
}

/**
 * xenbus_otherend_changed(): ignore events outside the current otherend; read the peer state fresh;
 * during shutdown ([2006-merged], [modern]) drivers are not called and a frontend answers a Closing
 * peer with xenbus_frontend_closed itself; otherwise the driver's otherend_changed.
 */
export function* xenbusOtherendChanged(env: KernelEnv, key: string, path: string): Routine {
  yield* at('xenbus_otherend_changed', PROBE_C);
  const dev = yield* sys('devGet', key);
  if (dev === null || !path.startsWith(dev.otherend)) return;
  const state = yield* readDriverState(env, dev.otherend);
  if ((yield* sys('systemState')) !== 'running' && env.profile.xenbus.shutdownSkipsDrivers) {
    if (dev.side === 'frontend' && state === 'Closing') yield* xenbusFrontendClosed(env, key);
    return;
  }
  yield* env.dispatch(env, key, { type: 'OTHEREND_CHANGED', state });
}

/**
 * xenbus_dev_changed(): the fe_watch / be_watch callback. A removed node unregisters the devices at
 * or below it; otherwise the device root is probed if no device object exists for it yet.
 */
export function* xenbusDevChanged(env: KernelEnv, side: XenbusSide, path: string): Routine {
  yield* at('xenbus_dev_changed', PROBE_C);
  const home = domainPath(env.domid);
  const rel = path.startsWith('/') ? path.slice(home.length + 1) : path;
  const depth = countComponents(rel);
  if (depth < 3) return;
  const node = `${home}/${rel}`;
  if ((yield* xenbusDirectory(node)) === null) {
    yield* xenbusCleanupDevices(env, node);
    return;
  }
  const { levels } = busOf(side);
  if (depth < levels + 1) return;
  const root = firstComponents(rel, levels + 1);
  if ((yield* sys('devFind', `${home}/${root}`)) !== null) return;
  yield* xenbusProbeNode(env, side, root);
}

/** The number of `/`-separated components of `path` (`a//b` has three). */
function countComponents(path: string): number {
  let n = 1;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) n++;
  return n;
}

/** The first `n` components of `path`, still joined by `/` (all of it when it has fewer). */
function firstComponents(path: string, n: number): string {
  let end = -1;
  for (let k = 0; k < n; k++) {
    end = path.indexOf('/', end + 1);
    if (end < 0) return path;
  }
  return path.slice(0, end);
}

/** xenbus_cleanup_devices(): device_unregister for every device at or below `path`. */
export function* xenbusCleanupDevices(env: KernelEnv, path: string): Routine {
  for (const dev of yield* sys('devList')) {
    if (dev.nodename === path || dev.nodename.startsWith(`${path}/`)) yield* deviceUnregister(env, dev.key);
  }
}

/**
 * device_unregister() → xenbus_dev_remove(): drop the otherend watch, the driver's remove (which
 * switches frontends Closed), then the object is freed. No xenstore node is deleted.
 */
export function* deviceUnregister(env: KernelEnv, key: string): Routine {
  yield* at('xenbus_dev_remove', PROBE_C);
  const dev = yield* sys('devGet', key);
  if (dev === null) return;
  const token = dev.priv['otherendWatch'];
  if (typeof token === 'string') {
    yield* sys('devSetPriv', key, { otherendWatch: null });
    yield* unwatch(token);
  }
  yield* env.dispatch(env, key, { type: 'REMOVE' });
  yield* sys('devFree', key);
  yield* sys('uevent', 'remove', { side: dev.side, nodename: dev.nodename, otherend: dev.otherend });
}

/**
 * xenbus_probe_devices() + register the bus watch: every `<root>/<type>/<id>` (backends one level
 * deeper) is probed, then fe_watch / be_watch goes on the root (its first event re-checks them all).
 */
export function* xenbusProbeBus(env: KernelEnv, side: XenbusSide, registerWatch = true): Routine {
  const bus = busOf(side);
  yield* at('xenbus_probe_devices', PROBE_C);
  const home = domainPath(env.domid);
  for (const type of (yield* xenbusDirectory(`${home}/${bus.root}`)) ?? []) {
    const base = `${bus.root}/${type}`;
    for (const a of (yield* xenbusDirectory(`${home}/${base}`)) ?? []) {
      if (bus.levels === 2) {
        yield* xenbusProbeNode(env, side, `${base}/${a}`);
        continue;
      }
      for (const b of (yield* xenbusDirectory(`${home}/${base}/${a}`)) ?? [])
        yield* xenbusProbeNode(env, side, `${base}/${a}/${b}`);
    }
  }
  if (!registerWatch) return;
  yield* at('register_xenbus_watch', 'drivers/xen/xenbus/xenbus_xs.c');
  yield* watch(bus.root, staticToken(env, bus.watchName), {
    routine: 'xenbus.devChanged',
    arg: side,
  });
}

/**
 * xenbus_dev_resume() (frontend bus PM restore): talk_to_otherend re-reads the backend's path; the
 * cached state becomes Initialising without a write and the driver's resume runs (RESUME); then
 * watch_otherend: the old otherend watch is freed and registered again, so it fires once.
 */
export function* xenbusDevResume(env: KernelEnv, key: string): Routine {
  yield* at('xenbus_dev_resume', PROBE_C);
  const dev = yield* sys('devGet', key);
  if (dev === null) return;
  yield* xenbusRead(`${dev.nodename}/backend-id`);
  yield* xenbusRead(`${dev.nodename}/backend`);
  yield* env.dispatch(env, key, { type: 'RESUME' });
  yield* at('watch_otherend', PROBE_C);
  const token = dev.priv['otherendWatch'];
  if (typeof token === 'string') yield* unwatch(token);
  const r = yield* watch(`${dev.otherend}/state`, otherendToken(env, dev.relname), {
    routine: 'xenbus.otherendChanged',
    arg: key,
  });
  yield* sys('devSetPriv', key, { otherendWatch: r.ok ? otherendToken(env, dev.relname) : null });
}

/**
 * device_shutdown() over the frontend bus: the .shutdown hook of each frontend, one after another
 * (each may wait ≤ 5 s for its close to complete).
 */
export function* deviceShutdown(env: KernelEnv): Routine {
  yield* at('device_shutdown', 'drivers/base/core.c');
  for (const dev of yield* sys('devList')) {
    if (dev.side !== 'frontend') continue;
    yield* at('xenbus_dev_shutdown', FRONTEND_C);
    yield* env.dispatch(env, dev.key, { type: 'SHUTDOWN' });
  }
}

/** xenbus_reset_backend_state_changed(): the temporary watch's callback records and wakes. */
export function* xenbusResetBackendStateChanged(_env: KernelEnv, _arg: string, path: string): Routine {
  yield* at('xenbus_reset_backend_state_changed', FRONTEND_C);
  const raw = yield* xenbusRead(path);
  yield* sys('setVar', 'backend_state', raw === null ? 0 : Number.parseInt(raw, 10) || 0);
  yield* sys('wake', 'backend_state_wq');
}

/** xenbus_reset_wait_for_backend(): wait_event_timeout(backend_state == expected, 5*HZ). */
function* waitForBackend(be: string, expected: number): Routine {
  const deadline = (yield* sys('now')) + 5000;
  while ((yield* sys('getVar', 'backend_state')) !== expected) {
    const left = deadline - (yield* sys('now'));
    if (left <= 0 || (yield* wait('backend_state_wq', left)) === 'timeout') {
      yield* sys('log', `backend ${be} timed out`);
      return;
    }
  }
}

/**
 * xenbus_reset_frontend(): temporary watch on `<be>/state`, then from the case matching the backend's
 * state, falling through: FE 5 (wait BE 5), FE 6 (wait BE 6), FE 1 (wait BE 2). Raw writes.
 */
function* xenbusResetFrontend(env: KernelEnv, fe: string, be: string, beState: XenbusStateName): Routine {
  yield* at('xenbus_reset_frontend', FRONTEND_C);
  yield* sys('log', `XENBUS: triggering reconnect on ${be}`);
  yield* sys('setVar', 'backend_state', XenbusState.Unknown);
  const token = staticToken(env, 'reset_be_watch');
  yield* watch(`${be}/state`, token, { routine: 'xenbus.resetBackendStateChanged', arg: '' });
  const steps: Array<[XenbusStateName, XenbusStateName, XenbusStateName]> = [
    ['Connected', 'Closing', 'Closing'],
    ['Closing', 'Closed', 'Closed'],
    ['Closed', 'Initialising', 'InitWait'],
  ];
  const from = steps.findIndex(([entry]) => entry === beState);
  for (const [, write, expect] of from < 0 ? [] : steps.slice(from)) {
    yield* xenbusWrite(`${fe}/state`, String(XenbusState[write]));
    yield* waitForBackend(be, XenbusState[expect]);
  }
  yield* unwatch(token);
  yield* sys('log', `XENBUS: reconnect done on ${be}`);
}

/**
 * xenbus_reset_state(): frontends a previous kernel left Connected (kdump) or Closed (kexec) are
 * walked back to Initialising before the bus is probed. Others (Closing, Initialised) stay.
 */
export function* xenbusResetState(env: KernelEnv): Routine {
  yield* at('xenbus_reset_state', FRONTEND_C);
  const home = domainPath(env.domid);
  for (const type of (yield* xenbusDirectory(`${home}/device`)) ?? []) {
    for (const id of (yield* xenbusDirectory(`${home}/device/${type}`)) ?? []) {
      const fe = `${home}/device/${type}/${id}`;
      const feState = yield* readDriverState(env, fe);
      if (feState !== 'Connected' && feState !== 'Closed') continue;
      const be = yield* xenbusRead(`${fe}/backend`);
      if (be === null) continue;
      yield* xenbusResetFrontend(env, fe, be, yield* readDriverState(env, be));
    }
  }
}
