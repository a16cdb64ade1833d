/**
 * A kernel's life in its domain: boot (xs_init with xs_reset_watches, xenbus_reset_state, bus probe)
 * and power-off (device_shutdown). kexec is in drivers/routines/kexec.ts, driven by the kexec machine.
 * Spec kexec-handover.md §1, §5; scenarios S6–S9, S13, S16.
 */
import { shouldResetWatches } from '../xenbus';
import type { KernelEnv } from './env';
import { at, watch, xs, type Routine } from './routine';
import { sys } from './sys';
import {
  deviceShutdown,
  staticToken,
  xenbusProbeBus,
  xenbusRead,
  xenbusResetState,
  xenbusWrite,
} from './xenbusCore';

const MANAGE_C = 'drivers/xen/manage.c';
import { XsType } from '../../xenstore';

/** HVM/PVH guests get xs_reset_watches and xenbus_reset_state; PV guests do not. */
function* isHvm(): Routine<boolean> {
  const kind = yield* sys('fact', 'domainKind');
  return kind === 'HVM' || kind === 'PVH';
}

/**
 * xenbus_init → xs_init (→ xs_reset_watches), then the buses: dom0 probes the backend bus, a domU
 * resets what a previous kernel left ([modern] HVM) and probes the frontend bus.
 */
export function* kernelBoot(env: KernelEnv): Routine {
  yield* at('xs_init', 'drivers/xen/xenbus/xenbus_xs.c');
  const hvm = yield* isHvm();
  const dom0 = env.domid === 0;
  if (env.profile.xenbus.resetWatchesAtBoot && hvm && !dom0) {
    const feature = yield* xenbusRead(`/local/domain/${env.domid}/control/platform-feature-xs_reset_watches`);
    const decision = shouldResetWatches({
      hvm,
      initialDomain: dom0,
      xenMajor: Number(yield* sys('fact', 'xenMajor')),
      platformFeature: feature,
    });
    if (decision.send) {
      yield* at('xs_reset_watches', 'drivers/xen/xenbus/xenbus_xs.c');
      yield* xs(XsType.RESET_WATCHES, ['']);
    }
  }
  if (dom0) {
    yield* xenbusProbeBus(env, 'backend');
    return;
  }
  if (env.profile.xenbus.resetFrontendsAtBoot && hvm) yield* xenbusResetState(env);
  yield* xenbusProbeBus(env, 'frontend');
  yield* setupShutdownWatcher(env);
}

/** setup_shutdown_watcher() (drivers/xen/manage.c; [2006] reboot.c): a static watch on control/shutdown. */
function* setupShutdownWatcher(env: KernelEnv): Routine {
  yield* at('setup_shutdown_watcher', MANAGE_C);
  const r = yield* watch('control/shutdown', staticToken(env, 'shutdown_watch'), {
    routine: 'kernel.shutdownHandler',
    arg: '',
  });
  if (!r.ok) yield* sys('log', `Failed to set shutdown watcher (${r.error})`);
}

/**
 * shutdown_handler(): read control/shutdown, clear it, act on it. poweroff / halt / reboot shut the
 * kernel down (the toolstack's restart of a rebooted domain is not modelled); an empty or absent
 * node (the watch's first firing) does nothing.
 */
export function* shutdownHandler(_env: KernelEnv): Routine {
  yield* at('shutdown_handler', MANAGE_C);
  const how = yield* xenbusRead('control/shutdown');
  if (how === null || how === '') return;
  yield* xenbusWrite('control/shutdown', '');
  if (how === 'poweroff' || how === 'halt' || how === 'reboot') {
    yield* sys('spawn', 'kernel.powerOff', []);
    return;
  }
  if (how === 'suspend') {
    yield* sys('spawn', 'kernel.doSuspend', []);
    return;
  }
  yield* sys('log', `Ignoring shutdown request: ${how}`);
}

/** kernel_power_off(): system_state = POWER_OFF, device_shutdown(), the domain is gone. */
export function* kernelPowerOff(env: KernelEnv): Routine {
  yield* at('kernel_power_off', 'kernel/reboot.c');
  yield* sys('setSystemState', 'shutting-down');
  // kernel_shutdown_prepare(): the reboot notifiers, xenbus's among them
  yield* at('xs_reboot_notify', 'drivers/xen/xenbus/xenbus_xs.c');
  yield* sys('rebootNotify');
  yield* deviceShutdown(env);
  yield* sys('log', 'reboot: Power down');
  yield* sys('stopKernel', env.actor);
}
