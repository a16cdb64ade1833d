/**
 * Save / suspend of a guest (drivers/xen/manage.c do_suspend) and the guest threads that use the
 * store meanwhile (scenario S15): a thread holding a transaction open, plain reads, a new watch.
 * Spec kexec-handover.md §6.
 */
import type { KernelEnv } from './env';
import { at, wait, watch, xsSuspend, type Routine } from './routine';
import { sys } from './sys';
import { transactionEnd, transactionStart, xenbusRead, xenbusWrite } from './xenbusCore';

const MANAGE_C = 'drivers/xen/manage.c';
const XS_C = 'drivers/xen/xenbus/xenbus_xs.c';

/**
 * do_suspend(): freeze, dpm_suspend_start (the frontends have no suspend hook), xs_suspend (waits
 * for xs_state_users to reach 0), HYPERVISOR_suspend (the toolstack saves the domain), then
 * xs_resume — or xs_suspend_cancel when the suspend was cancelled (a checkpoint) — and thaw.
 */
export function* doSuspend(env: KernelEnv): Routine {
  yield* at('do_suspend', MANAGE_C);
  yield* sys('log', 'Freezing user space processes');
  yield* at('xs_suspend', XS_C);
  yield* xsSuspend();
  yield* at('xen_suspend', MANAGE_C);
  yield* sys('log', 'xen: suspending, HYPERVISOR_suspend');
  yield* sys('completeOn', 'dom0.xl', `suspended:${env.domid}`);
  yield* wait('suspend-end', null);
  const cancelled = (yield* sys('getVar', 'suspend_cancelled')) === true;
  if (cancelled) {
    yield* at('xs_suspend_cancel', XS_C);
    yield* sys('xsSuspendCancel');
  } else {
    yield* at('xs_resume', XS_C);
    yield* sys('xsResume');
  }
  yield* at('dpm_resume_end', MANAGE_C);
  yield* sys('log', cancelled ? 'suspend cancelled, restarting tasks' : 'resumed, restarting tasks');
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
