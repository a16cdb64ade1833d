/**
 * The toolstack in dom0 userspace (libxl/xl; xend in the 2006 profiles) and the hotplug scripts, as
 * routines on their own xenstore connections. Spec xenbus.md §2.1, §4.1, §5.1, §6.1.
 */
import type { KernelEnv } from '../../guest/kernel/env';
import { at, unwatch, wait, watch, xs, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import {
  domainPath,
  transactionEnd,
  transactionStart,
  xenbusRead,
  xenbusWrite,
} from '../../guest/kernel/xenbusCore';
import { XsType } from '../../xenstore';
import { BACKEND_DOMID, devicePaths, macOf, VBD_DEVID, VIF_DEVID } from './devices';

const LIBXL_DEVICE = 'tools/libs/light/libxl_device.c';
/** LIBXL_INIT_TIMEOUT / LIBXL_DESTROY_TIMEOUT */
const LIBXL_TIMEOUT_MS = 10000;

type Node = [path: string, value: string];
type Dir = [path: string, perms: string[]];

function* mkdirWithPerms(path: string, perms: string[], tx: number): Routine {
  yield* xs(XsType.MKDIR, [path], tx);
  yield* xs(XsType.SET_PERMS, [path, ...perms], tx);
}

/** One transaction creating `dirs` (with permissions) and `nodes`, redone on EAGAIN. */
function* createInTransaction(dirs: Dir[], nodes: Node[], removals: string[] = []): Routine<boolean> {
  for (;;) {
    const tx = yield* transactionStart();
    if (tx === null) return false;
    for (const path of removals) yield* xs(XsType.RM, [path], tx);
    for (const [path, perms] of dirs) yield* mkdirWithPerms(path, perms, tx);
    for (const [path, value] of nodes) yield* xenbusWrite(path, value, tx);
    const end = yield* transactionEnd(tx, false);
    if (end === 'EAGAIN') continue;
    return end === 'ok';
  }
}

/** libxl: wait (≤ 10 s) for `<be>/state` to read one of `states`, with a watch on it. */
function* waitForBackendState(env: KernelEnv, be: string, states: string[], tag: string): Routine<boolean> {
  const key = `ts-wait:${be}`;
  const token = `${env.actor}:${tag}:${be}`;
  yield* watch(`${be}/state`, token, { routine: 'xl.stateWatch', arg: key });
  const deadline = (yield* sys('now')) + LIBXL_TIMEOUT_MS;
  let ok = false;
  for (;;) {
    const v = yield* xenbusRead(`${be}/state`);
    if (v !== null && states.includes(v)) {
      ok = true;
      break;
    }
    const left = deadline - (yield* sys('now'));
    if (left <= 0 || (yield* wait(key, left)) === 'timeout') break;
  }
  yield* unwatch(token);
  return ok;
}

/** The toolstack's watch callback: wake whoever waits on this backend. */
export function* stateWatch(_env: KernelEnv, key: string, _path: string): Routine {
  yield* sys('wake', key);
}

/**
 * Domain creation (libxl__domain_make + INTRODUCE): the domain's home with its permissions, the
 * read-only device/ and control/ dirs, the reset-watches platform feature ([modern]), then the
 * kernel starts.
 */
export function* createDomain(env: KernelEnv, domid: number, kind: string, image: string): Routine {
  yield* at('libxl__domain_make', 'tools/libs/light/libxl_create.c');
  yield* sys('hv', 'createDomain', { domid, kind, name: `domU${domid}` });
  const home = domainPath(domid);
  const ro = ['n0', `r${domid}`];
  const rw = [`n${domid}`];
  const nodes: Node[] = [
    [`${home}/name`, `domU${domid}`],
    [`${home}/domid`, String(domid)],
  ];
  if (env.profile.xenbus.resetWatchesAtBoot && env.options['noResetWatchesFeature'] !== true)
    nodes.push([`${home}/control/platform-feature-xs_reset_watches`, '1']);
  yield* createInTransaction(
    [
      [home, ro],
      [`${home}/device`, ro],
      [`${home}/control`, ro],
      // the guest acknowledges a request by clearing it (libxl: rw for the domain)
      [`${home}/control/shutdown`, rw],
      [`${home}/data`, rw],
      [`${home}/error`, rw],
    ],
    nodes,
  );
  yield* xs(XsType.INTRODUCE, [String(domid), '0', '1']);
  yield* sys('startKernel', domid, 'K1', image);
}

/** The hotplug script that runs once the backend reached InitWait: block add / vif-bridge online. */
function* runHotplug(env: KernelEnv, be: string, type: 'vbd' | 'vif', domid: number): Routine {
  if (!(yield* waitForBackendState(env, be, ['2', '4'], 'hotplug'))) {
    yield* sys('log', `${be}: timed out waiting for InitWait`);
    return;
  }
  yield* sys('spawnOn', 'dom0.hotplug', type === 'vbd' ? 'hotplug.blockAdd' : 'hotplug.vifOnline', [
    be,
    domid,
  ]);
}

/**
 * libxl__device_generic_add: FE and BE dirs with their permissions, the nodes both carry (peer
 * path and id, state 1, `online` where the profile has it), the type's own nodes, [modern] the
 * toolstack's /libxl copy, all in one transaction; then the hotplug script.
 */
function* genericAdd(
  env: KernelEnv,
  domid: number,
  type: 'vbd' | 'vif',
  feOwn: (fe: string) => Node[],
  beOwn: (be: string) => Node[],
): Routine {
  const { fe, be, libxl } = devicePaths(domid, type);
  const feNodes: Node[] = [
    [`${fe}/backend`, be],
    [`${fe}/backend-id`, String(BACKEND_DOMID)],
    [`${fe}/state`, '1'],
    ...feOwn(fe),
  ];
  const beNodes: Node[] = [
    [`${be}/frontend`, fe],
    [`${be}/frontend-id`, String(domid)],
    ...(env.profile.onlineNode ? [[`${be}/online`, '1'] as Node] : []),
    [`${be}/state`, '1'],
    ...beOwn(be),
  ];
  const libxlNodes: Node[] =
    env.profile.label === '[modern]'
      ? [
          [`${libxl}/frontend`, fe],
          [`${libxl}/backend`, be],
        ]
      : [];
  yield* at('libxl__device_generic_add', LIBXL_DEVICE);
  yield* createInTransaction(
    [
      [fe, [`n${domid}`, `r${BACKEND_DOMID}`]],
      [be, [`n${BACKEND_DOMID}`, `r${domid}`]],
    ],
    [...feNodes, ...beNodes, ...libxlNodes],
  );
  yield* runHotplug(env, be, type, domid);
}

/** libxl__device_disk_add (xl block-attach). */
export function* diskAdd(env: KernelEnv, domid: number): Routine {
  yield* at('libxl__device_disk_add', 'tools/libs/light/libxl_disk.c');
  const modern = env.profile.label === '[modern]';
  yield* genericAdd(
    env,
    domid,
    'vbd',
    (fe) => [
      [`${fe}/virtual-device`, String(VBD_DEVID)],
      [`${fe}/device-type`, 'disk'],
      ...(modern ? [[`${fe}/trusted`, '1'] as Node] : []),
    ],
    (be) => [
      [`${be}/dev`, 'xvda'],
      [`${be}/type`, 'phy'],
      [`${be}/mode`, 'w'],
      [`${be}/params`, '/dev/vg/d1'],
      [`${be}/device-type`, 'disk'],
      [`${be}/removable`, '0'],
      [`${be}/bootable`, '1'],
    ],
  );
}

/** libxl__device_nic_add (xl network-attach): [modern] BE hotplug-status "" for the script to fill. */
export function* nicAdd(env: KernelEnv, domid: number): Routine {
  yield* at('libxl__device_nic_add', 'tools/libs/light/libxl_nic.c');
  const modern = env.profile.label === '[modern]';
  const mac = macOf(domid);
  yield* genericAdd(
    env,
    domid,
    'vif',
    (fe) => [
      [`${fe}/handle`, String(VIF_DEVID)],
      [`${fe}/mac`, mac],
      ...(modern ? [[`${fe}/trusted`, '1'] as Node, [`${fe}/mtu`, '1500'] as Node] : []),
    ],
    (be) => [
      [`${be}/script`, '/etc/xen/scripts/vif-bridge'],
      [`${be}/mac`, mac],
      [`${be}/bridge`, 'xenbr0'],
      [`${be}/handle`, String(VIF_DEVID)],
      [`${be}/type`, 'vif'],
      ...(modern ? [[`${be}/hotplug-status`, ''] as Node] : []),
    ],
  );
}

/**
 * libxl__initiate_device_generic_remove (xl block-detach / network-detach): online=0 and state=5 in
 * one transaction, wait ≤ 10 s for Closed; on timeout libxl retries as a forced remove, which also
 * deletes the FE dir in the transaction (`force`, xl … -f, does that from the start). Then the
 * hotplug remove and the removal of FE, BE and libxl entries.
 */
export function* deviceRemove(env: KernelEnv, domid: number, type: 'vbd' | 'vif', force: boolean): Routine {
  yield* at('libxl__initiate_device_generic_remove', LIBXL_DEVICE);
  const { fe, be, libxl } = devicePaths(domid, type);
  const request: Node[] = [
    ...(env.profile.onlineNode ? [[`${be}/online`, '0'] as Node] : []),
    [`${be}/state`, '5'],
  ];
  // with force (xl block-detach -f) the frontend dir goes in the first transaction
  yield* createInTransaction([], request, force ? [fe] : []);
  let closed = yield* waitForBackendState(env, be, ['6'], 'remove');
  if (!closed && !force) {
    // device_backend_callback: "Timeout reached, initiating forced remove"
    yield* sys('log', `${be}: timeout reached, initiating forced remove`);
    yield* createInTransaction([], request, [fe]);
    closed = yield* waitForBackendState(env, be, ['6'], 'remove');
  }
  if (!closed) yield* sys('log', `${be}: backend did not close`);
  yield* at('device_hotplug_done', LIBXL_DEVICE);
  yield* createInTransaction([], [], [fe, be, libxl]);
}

/** The 2006 udev rule for a removed backend device: xen-hotplug-cleanup deletes FE and BE dirs. */
export function* hotplugCleanup(_env: KernelEnv, fe: string, be: string): Routine {
  yield* at('xen-hotplug-cleanup', 'tools/hotplug/Linux/xen-hotplug-cleanup');
  yield* xs(XsType.RM, [fe]);
  yield* xs(XsType.RM, [be]);
}

/** block add (tools/hotplug/Linux/block): write_dev, success. */
export function* blockAdd(env: KernelEnv, be: string, domid: number): Routine {
  yield* at('write_dev', 'tools/hotplug/Linux/block-common.sh');
  const delay = env.options['hotplugDelayMs'];
  if (typeof delay === 'number' && delay > 0) yield* wait('', delay);
  yield* xenbusWrite(`${be}/physical-device`, 'fe:1');
  yield* xenbusWrite(`${be}/physical-device-path`, '/dev/vg/d1');
  yield* at('success', 'tools/hotplug/Linux/xen-hotplug-common.sh');
  yield* xenbusWrite(`${be}/hotplug-status`, 'connected');
  void domid;
}

/** vif-bridge online: add vif<dom>.<id> to xenbr0 (takes 2 s), then hotplug-status=connected. */
export function* vifOnline(env: KernelEnv, be: string, domid: number): Routine {
  yield* at('vif-bridge', 'tools/hotplug/Linux/vif-bridge');
  const delay = env.options['vifHotplugMs'];
  yield* wait('', typeof delay === 'number' ? delay : 2000);
  yield* sys('log', `vif${domid}.${VIF_DEVID} added to xenbr0`);
  if (env.options['vifScriptFails'] !== true) {
    yield* xenbusWrite(`${be}/hotplug-status`, 'connected');
    return;
  }
  yield* xenbusWrite(`${be}/hotplug-status`, 'error');
  // libxl sees the script fail (device_hotplug_child_death_cb) and takes the device away again
  yield* sys(
    'log',
    `libxl: error: /etc/xen/scripts/vif-bridge online failed; removing vif${domid}.${VIF_DEVID}`,
  );
  yield* sys('spawnOn', 'dom0.xl', 'xl.deviceRemove', [domid, 'vif', false]);
}

/** Reading a node as the toolstack (used by tests and scenarios to check end states). */
export function* readNode(_env: KernelEnv, path: string): Routine<string | null> {
  return yield* xenbusRead(path);
}

/**
 * The soft-reset path (libxl__domain_soft_reset, xl's default): the guest's devices are destroyed
 * (frontend and backend dirs removed, so the backends unregister), the domain's event channels are
 * reset, the devices are created again from the configuration in state 1, and the paused guest
 * continues into its new kernel. Spec kexec-handover.md §5, scenario S9(c) **(inference)**.
 */
export function* softReset(env: KernelEnv, domid: number, kernel: string): Routine {
  yield* at('libxl__domain_soft_reset', 'tools/libs/light/libxl_create.c');
  const present: Array<'vbd' | 'vif'> = [];
  for (const type of ['vbd', 'vif'] as const) {
    const { fe, be, libxl } = devicePaths(domid, type);
    if ((yield* xenbusRead(`${be}/state`)) === null) continue;
    present.push(type);
    yield* at('libxl__devices_destroy', LIBXL_DEVICE);
    yield* createInTransaction([], [], [fe, be, libxl]);
  }
  yield* at('xc_domain_soft_reset', 'tools/libs/ctrl/xc_domain.c');
  yield* sys('hv', 'evtchnReset', { domid });
  for (const type of present) {
    if (type === 'vbd') yield* diskAdd(env, domid);
    else yield* nicAdd(env, domid);
  }
  yield* sys('log', `domain ${domid}: soft reset done, devices re-created`);
  yield* sys('completeOn', kernel, 'soft-reset');
}

/**
 * xl save (libxl_domain_suspend): control/shutdown=suspend, wait (≤ 60 s) for the guest to suspend,
 * write the image (1 s), then let the guest go on: restored, or cancelled for a checkpoint
 * (`xl save -c`), in which case the guest's suspend returns cancelled. Of a restore only xenstored's
 * side is modelled: the domain's connection is new (its watches and transactions gone, its nodes
 * as the toolstack wrote them again); dom0's backends and the guest's memory stay as they were.
 */
export function* saveDomain(_env: KernelEnv, domid: number, checkpoint: boolean): Routine {
  yield* at('libxl_domain_suspend', 'tools/libs/light/libxl_domain.c');
  yield* xenbusWrite(`${domainPath(domid)}/control/shutdown`, 'suspend');
  if ((yield* wait(`suspended:${domid}`, 60000)) === 'timeout') {
    yield* sys('log', `domain ${domid}: guest did not suspend`);
    return;
  }
  yield* at('libxl__domain_save', 'tools/libs/light/libxl_dom_save.c');
  yield* sys('log', `saving domain ${domid}`);
  yield* wait('', 1000);
  const kernel = yield* sys('fact', `kernelOf:${domid}`);
  if (typeof kernel !== 'string') return;
  if (!checkpoint) {
    // the restored domain talks to xenstored on a new ring: no watches, no transactions
    yield* at('libxl__domain_restore', 'tools/libs/light/libxl_create.c');
    yield* sys('resetDomainConnection', domid);
  }
  yield* sys('setVarOn', kernel, 'suspend_cancelled', checkpoint);
  yield* sys('completeOn', kernel, 'suspend-end');
  yield* sys('log', `domain ${domid} ${checkpoint ? 'checkpointed, continues' : 'saved and resumed'}`);
}
