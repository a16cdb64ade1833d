/**
 * A kernel's life in its domain: boot (xs_init with xs_reset_watches, xenbus_reset_state, bus probe)
 * and power-off (device_shutdown). kexec is in drivers/routines/kexec.ts, driven by the kexec machine.
 * Spec kexec-handover.md §1, §5; scenarios S6–S9, S13, S16.
 */
import { shouldResetWatches } from '../xenbus';
import type { KernelEnv } from './env';
import { at, xs, type Routine } from './routine';
import { sys } from './sys';
import { deviceShutdown, xenbusProbeBus, xenbusRead, xenbusResetState } from './xenbusCore';
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
}

/** kernel_power_off(): system_state = POWER_OFF, device_shutdown(), the domain is gone. */
export function* kernelPowerOff(env: KernelEnv): Routine {
  yield* at('kernel_power_off', 'kernel/reboot.c');
  yield* sys('setSystemState', 'shutting-down');
  yield* deviceShutdown(env);
  yield* sys('log', 'reboot: Power down');
  yield* sys('stopKernel', env.actor);
}
