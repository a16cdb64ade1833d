/**
 * A kernel's kexec paths (kernel/kexec_core.c), driven through its kexec machine: each user action
 * sends the machine an event, and every effect it names is carried out here, its answer sent back,
 * the way the kernel calls nest. Plain kexec and kdump hand the domain to a successor; a kexec jump
 * (preserve_context) freezes this kernel while the successor runs and resumes it when the successor
 * jumps back. Spec kexec-handover.md §1, §5, §7; scenarios S6–S9, S13, S14, S16.
 */
import type { KernelEnv } from '../../guest/kernel/env';
import { at, wait, xs, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import {
  deviceShutdown,
  deviceUnregister,
  xenbusDevResume,
  xenbusProbeBus,
  xenbusResetState,
} from '../../guest/kernel/xenbusCore';
import { XsType } from '../../xenstore';
import type { KexecEffect, KexecEvent } from '../kexecTypes';

const KEXEC_C = 'kernel/kexec_core.c';

/** One event into this kernel's kexec machine, then its effects in order, answers nested. */
function* kexecDispatch(env: KernelEnv, event: KexecEvent): Routine {
  const effects = (yield* sys('kexecSend', event)) as KexecEffect[];
  for (const effect of effects) {
    for (const answer of yield* runKexecEffect(env, effect)) yield* kexecDispatch(env, answer);
  }
}

function* frontends(): Routine<string[]> {
  return (yield* sys('devList')).filter((d) => d.side === 'frontend').map((d) => d.key);
}

/** One kexec effect as the kernel carries it out; returns the events that answer it. */
function* runKexecEffect(env: KernelEnv, e: KexecEffect): Routine<KexecEvent[]> {
  switch (e.kind) {
    case 'log':
      yield* sys('log', e.message);
      return [];
    case 'kernelRestartPrepare':
      yield* at('kernel_restart_prepare', 'kernel/reboot.c');
      yield* sys('setSystemState', 'shutting-down');
      yield* at('xs_reboot_notify', 'drivers/xen/xenbus/xenbus_xs.c');
      yield* sys('rebootNotify');
      return [];
    case 'deviceShutdown':
      yield* deviceShutdown(env);
      return [{ type: 'DEVICES_DOWN' }];
    case 'xsSuspend':
      yield* unwatchAll(env);
      return [];
    case 'machineShutdown':
      yield* at('machine_shutdown', 'arch/x86/kernel/reboot.c');
      if (yield* requestsSoftReset(env)) {
        // xen_hvm_shutdown(): with kexec_in_progress, SCHEDOP_shutdown(SHUTDOWN_soft_reset); the
        // domain stays paused until the toolstack has reset it
        yield* at('xen_hvm_shutdown', 'arch/x86/xen/enlighten_hvm.c');
        yield* sys('log', 'xen: SHUTDOWN_soft_reset');
        yield* sys('spawnOn', 'dom0.xl', 'xl.softReset', [env.domid, env.actor]);
        yield* wait('soft-reset', null);
      }
      return [];
    case 'machineCrashShutdown':
      yield* at('machine_crash_shutdown', 'arch/x86/kernel/crash.c');
      yield* sys('setSystemState', 'shutting-down');
      return [];
    case 'machineKexec': {
      yield* at('machine_kexec', 'arch/x86/kernel/machine_kexec_64.c');
      const next = String(yield* sys('fact', `nextKernelName:${env.domid}`));
      if (e.preserveContext) yield* sys('setFrozen', env.actor, true);
      else yield* sys('stopKernel', env.actor);
      yield* sys('startKernel', env.domid, next, e.image);
      return [{ type: 'BOOTED' }];
    }
    case 'freezeProcesses':
      yield* at('freeze_processes', 'kernel/power/process.c');
      return [];
    case 'dpmSuspend':
      // the frontend bus freeze hook is xenbus_dev_suspend; blkfront and netfront have no suspend hook
      yield* at('dpm_suspend_start', 'drivers/base/power/main.c');
      for (const key of yield* frontends()) {
        yield* at('xenbus_dev_suspend', 'drivers/xen/xenbus/xenbus_probe.c');
        yield* sys('log', `${(yield* sys('devGet', key))?.relname ?? key}: freeze: no driver suspend hook`);
      }
      return [{ type: 'FROZEN' }];
    case 'dpmResume':
      yield* at('dpm_resume_end', 'drivers/base/power/main.c');
      for (const key of yield* frontends()) yield* xenbusDevResume(env, key);
      return [{ type: 'RESTORED' }];
    case 'thawProcesses':
      yield* at('thaw_processes', 'kernel/power/process.c');
      return [];
    case 'checkReattach': {
      const first = (yield* sys('devList')).find((d) => d.side === 'frontend');
      return [
        first
          ? { type: 'REATTACH_CHECKED', ok: false, blocker: first.relname }
          : { type: 'REATTACH_CHECKED', ok: true },
      ];
    }
    case 'deviceDetach':
      yield* deviceShutdown(env);
      return [{ type: 'DEVICES_DOWN' }];
    case 'deviceReattach':
      // hot-unplug what the detach closed, then the successor's repair: reset and probe again
      for (const key of yield* frontends()) yield* deviceUnregister(env, key);
      yield* sys('setSystemState', 'running');
      yield* xenbusResetState(env);
      yield* xenbusProbeBus(env, 'frontend', false);
      return [{ type: 'REATTACHED' }];
  }
}

/** HVM guests of the modern profile ask for a soft reset when the toolstack handles it (option softReset). */
function* requestsSoftReset(env: KernelEnv): Routine<boolean> {
  if (env.profile.label !== '[modern]' || env.options['softReset'] !== true) return false;
  const kind = yield* sys('fact', 'domainKind');
  return kind === 'HVM' || kind === 'PVH';
}

/** [2006-RFC] xs_suspend() point (2): XS_UNWATCH for every registered watch before the jump. */
function* unwatchAll(env: KernelEnv): Routine {
  yield* at('xs_suspend', 'drivers/xen/xenbus/xenbus_xs.c');
  const tokens = (yield* sys('fact', `watchTokens:${env.actor}`)) as string | null;
  for (const entry of tokens === null ? [] : (JSON.parse(tokens) as Array<[string, string]>)) {
    yield* xs(XsType.UNWATCH, entry);
  }
}

/**
 * `kexec -l IMAGE; kexec -e` (mode kexec) or a crash kernel loaded with `kexec -p` and a panic (mode
 * kdump): the successor boots in this domain and this kernel is gone.
 */
export function* kernelKexec(env: KernelEnv, image: string, mode: string): Routine {
  yield* at('kernel_kexec', KEXEC_C);
  const kind = mode === 'kdump' ? 'kdump' : 'kexec';
  yield* kexecDispatch(env, { type: 'LOAD', image, kind });
  if (kind === 'kdump') yield* kexecDispatch(env, { type: 'PANIC', message: 'sysrq triggered crash' });
  else yield* kexecDispatch(env, { type: 'EXECUTE' });
}

/** `kexec -l --load-preserve-context IMAGE; kexec -e`: a jump under the world's jumpPolicy. */
export function* kernelKexecJump(env: KernelEnv, image: string): Routine {
  yield* at('kernel_kexec', KEXEC_C);
  yield* kexecDispatch(env, { type: 'LOAD', image, kind: 'jump' });
  yield* kexecDispatch(env, { type: 'EXECUTE' });
}

/**
 * The kernel a jump started returns to the one that jumped (through the preserved return address).
 * It prepares its own devices the way the policy says: [pm-freeze] a PM freeze (no hooks act),
 * [unplug-replug] a detach. Then it stops and the other kernel resumes.
 */
export function* kernelJumpBack(env: KernelEnv): Routine {
  yield* at('kernel_kexec', KEXEC_C);
  const parent = yield* sys('fact', `frozenKernelOf:${env.domid}`);
  if (typeof parent !== 'string') {
    yield* sys('log', 'kexec: no kernel to return to');
    return;
  }
  if ((yield* sys('fact', 'jumpPolicy')) === 'unplug-replug') {
    yield* sys('setSystemState', 'shutting-down');
    yield* deviceShutdown(env);
  } else {
    yield* at('dpm_suspend_start', 'drivers/base/power/main.c');
  }
  yield* sys('log', `kexec: jumping back to ${parent}`);
  yield* sys('setFrozen', env.actor, true);
  yield* sys('setFrozen', parent, false);
  yield* sys('spawnOn', parent, 'kernel.kexecResume', []);
}

/** After machine_kexec() returns: the jump's way back into this kernel. */
export function* kernelKexecResume(env: KernelEnv): Routine {
  yield* at('kernel_kexec', KEXEC_C);
  yield* kexecDispatch(env, { type: 'JUMP_BACK' });
}
