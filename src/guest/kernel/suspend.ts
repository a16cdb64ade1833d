/**
 * Save / suspend of a guest (drivers/xen/manage.c do_suspend); the guest threads that use the store
 * meanwhile (scenario S15) are in userspace.ts. Spec kexec-handover.md §6.
 */
import type { KernelEnv } from './env';
import { at, wait, xsSuspend, type Routine } from './routine';
import { sys } from './sys';

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
