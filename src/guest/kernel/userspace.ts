/**
 * What guest processes do to the kernel's xenstore and devices (user actions and scenario S15's
 * threads): write or read a node, hold a transaction open, add a watch, open the disk, unbind the
 * frontends. Each is a routine on the domain's running kernel.
 */
import type { KernelEnv } from './env';
import { at, wait, watch, type Routine } from './routine';
import { sys } from './sys';
import { transactionEnd, transactionStart, xenbusRead, xenbusSwitchState, xenbusWrite } from './xenbusCore';

const XS_C = 'drivers/xen/xenbus/xenbus_xs.c';

/** A guest process writing a node of its own domain (xenstore-write through /dev/xen/xenbus). */
export function* userWrite(_env: KernelEnv, path: string, value: string): Routine {
  yield* at('xenbus_file_write', 'drivers/xen/xenbus/xenbus_dev_frontend.c');
  yield* xenbusWrite(path, value);
}

/**
 * Closing every frontend by hand before a kexec (driver unbind through sysfs, 2006): each one
 * switches to Closing and the close protocol runs from there.
 */
export function* closeFrontends(env: KernelEnv): Routine {
  yield* at('xenbus_switch_state', 'drivers/xen/xenbus/xenbus_client.c');
  for (const dev of yield* sys('devList')) {
    if (dev.side === 'frontend') yield* xenbusSwitchState(env, dev.key, 'Closing');
  }
}

/** blkif_open() / blkif_release(): a process opens or closes the guest's disk (mount, umount). */
export function* diskUse(env: KernelEnv, opened: boolean): Routine {
  yield* at(opened ? 'blkif_open' : 'blkif_release', 'drivers/block/xen-blkfront.c');
  const vbd = (yield* sys('devList')).find((d) => d.type === 'vbd' && d.side === 'frontend');
  if (!vbd) {
    yield* sys('log', 'no disk to open');
    return;
  }
  yield* env.dispatch(env, vbd.key, { type: opened ? 'DISK_OPENED' : 'DISK_RELEASED' });
}

/** A guest thread that opens a transaction, writes data/<name> and keeps it open until told. */
export function* guestTransaction(_env: KernelEnv, name: string): Routine {
  yield* at('xenbus_transaction_start', XS_C);
  const tx = yield* transactionStart();
  if (tx === null) return;
  yield* xenbusWrite(`data/${name}`, 'open', tx);
  yield* wait(`tx:${name}`, null);
  yield* at('xenbus_transaction_end', XS_C);
  const end = yield* transactionEnd(tx, false);
  yield* sys('log', `${name}: transaction ${tx} ended: ${end}`);
}

/** Lets a waiting guest thread go on (its transaction end, for one). */
export function* wakeThread(_env: KernelEnv, key: string): Routine {
  yield* sys('complete', key);
}

/** A guest thread reading one node. */
export function* guestRead(_env: KernelEnv, path: string): Routine {
  yield* at('xenbus_read', XS_C);
  const v = yield* xenbusRead(path);
  yield* sys('log', `read ${path}: ${v === null ? 'ENOENT' : `"${v}"`}`);
}

/** A guest thread registering a watch (register_xenbus_watch takes xs_watch_rwsem for reading). */
export function* guestWatch(env: KernelEnv, path: string): Routine {
  yield* at('register_xenbus_watch', XS_C);
  const r = yield* watch(path, `${env.actor}:user:${path}`, { routine: 'kernel.userWatchFired', arg: path });
  yield* sys('log', `watch on ${path}: ${r.ok ? 'registered' : r.error}`);
}

export function* userWatchFired(_env: KernelEnv, _arg: string, path: string): Routine {
  yield* sys('log', `watch fired: ${path}`);
}
