import type { Profile } from '../sim/profiles';
import type { EffectParamsOf } from './effectCollector';

/**
 * The kind of image loaded: `kexec -l` (kexec_image), `kexec -p` (the crash kernel, kexec_crash_image),
 * or `kexec -l --load-preserve-context` (kexec_image with KEXEC_PRESERVE_CONTEXT). One slot is modelled:
 * a new load replaces whatever was loaded.
 */
export type KexecKind = 'kexec' | 'kdump' | 'jump';

/**
 * How a kexec jump treats devices (scenarios.md S14, kexec-handover.md §7.2 point 5):
 * `pm-freeze` is Linux today (hibernation freeze/restore callbacks), `fail-early` is Biederman's option
 * (a): refuse the jump when a device cannot be reattached, `unplug-replug` is his option (b): detach
 * every device as for a plain kexec and reattach it (reset + re-probe) on return.
 */
export type JumpPolicy = 'pm-freeze' | 'fail-early' | 'unplug-replug';
export const JUMP_POLICIES: readonly JumpPolicy[] = ['pm-freeze', 'fail-early', 'unplug-replug'];

/** One guest kernel's kexec state (kernel/kexec_core.c). Small and JSON-able. */
export interface KexecContext {
  profile: Profile;
  jumpPolicy: JumpPolicy;
  /** the loaded image's name, e.g. "K2"; null when nothing is loaded */
  image: string | null;
  kind: KexecKind | null;
  /** why the last kexec was refused ([fail-early]); cleared by the next LOAD or EXECUTE */
  lastError: string | null;
}

export interface KexecInput {
  profile: Profile;
  jumpPolicy: JumpPolicy;
}

/** Events the simulator sends, each named after the kernel path that produces it. */
export type KexecEvent =
  /** kexec_load() / kexec_file_load() (`kexec -l`, `kexec -p`, `--load-preserve-context`); replaces a loaded image */
  | { type: 'LOAD'; image: string; kind: KexecKind }
  /** kexec_load() with no segments (`kexec -u`): the image is freed */
  | { type: 'UNLOAD' }
  /** reboot(LINUX_REBOOT_CMD_KEXEC) (`kexec -e`) → kernel_kexec(); needs a kexec or jump image */
  | { type: 'EXECUTE' }
  /** panic() → __crash_kexec(); acts only when a crash kernel is loaded */
  | { type: 'PANIC'; message: string }
  /** answers `deviceShutdown` (device_shutdown() returned) and `deviceDetach` (every device detached) */
  | { type: 'DEVICES_DOWN' }
  /** answers `checkReattach`: ok, or the first device that cannot be reattached */
  | { type: 'REATTACH_CHECKED'; ok: boolean; blocker?: string }
  /** answers `dpmSuspend`: dpm_suspend_start() and dpm_suspend_end(PMSG_FREEZE) returned 0 */
  | { type: 'FROZEN' }
  /** the image started by `machineKexec` finished booting (its xenbus probe ran) */
  | { type: 'BOOTED' }
  /** the jumped-to kernel called back into the preserved one; machine_kexec() returns */
  | { type: 'JUMP_BACK' }
  /** answers `dpmResume`: dpm_resume_start() and dpm_resume_end(PMSG_RESTORE) returned */
  | { type: 'RESTORED' }
  /** answers `deviceReattach`: every device was reset and re-probed */
  | { type: 'REATTACHED' };

/**
 * What the kexec machine asks the simulator to do, as plain data (like DriverEffect). Effects in one
 * step run in order; an effect that names an answer leaves the machine waiting for that event.
 */
export type KexecEffect =
  /** printk at the call site, text as the kernel prints it */
  | { kind: 'log'; message: string }
  /**
   * kernel_kexec(), ordinary image: `kexec_in_progress = true` ([modern]), then kernel_restart_prepare()
   * up to its device_shutdown(): reboot notifiers, system_state = SYSTEM_RESTART, usermodehelper_disable
   */
  | { kind: 'kernelRestartPrepare' }
  /** device_shutdown() (from kernel_restart_prepare): every bus .shutdown hook in turn; answers DEVICES_DOWN */
  | { kind: 'deviceShutdown' }
  /** [2006-RFC] xs_suspend() on the kexec path: XS_UNWATCH for every registered watch (RFC point 2) */
  | { kind: 'xsSuspend' }
  /**
   * machine_shutdown(): on HVM xen_hvm_shutdown(), which after the native shutdown requests
   * SCHEDOP_shutdown(SHUTDOWN_soft_reset) when kexec_in_progress (kexec-handover.md §5)
   */
  | { kind: 'machineShutdown' }
  /** machine_crash_shutdown() from __crash_kexec(): stop the other CPUs; on HVM always SHUTDOWN_soft_reset; no device shutdown */
  | { kind: 'machineCrashShutdown' }
  /**
   * machine_kexec(): relocate and enter the loaded image in this domain; the simulator boots it and
   * answers BOOTED. `preserveContext`: the old kernel's memory is kept and it continues on JUMP_BACK.
   */
  | { kind: 'machineKexec'; image: string; preserveContext: boolean }
  /** freeze_processes() (kernel_kexec, preserve_context) */
  | { kind: 'freezeProcesses' }
  /**
   * dpm_suspend_start() + dpm_suspend_end(PMSG_FREEZE): each device's freeze callback; for xenbus
   * frontends xenbus_dev_suspend(), which calls the driver's suspend hook (blkfront, netfront: none).
   * Answers FROZEN.
   */
  | { kind: 'dpmSuspend'; msg: 'PMSG_FREEZE' }
  /**
   * dpm_resume_start() + dpm_resume_end(PMSG_RESTORE): each device's restore callback; for xenbus
   * frontends xenbus_dev_resume() (cached state := Initialising, driver resume, otherend watch again).
   * Answers RESTORED.
   */
  | { kind: 'dpmResume'; msg: 'PMSG_RESTORE' }
  /** thaw_processes() (kernel_kexec, after the jump returned) */
  | { kind: 'thawProcesses' }
  /**
   * [fail-early] Biederman (a): before committing, check that every bound device can be reattached
   * (xenbus devices cannot). Answers REATTACH_CHECKED.
   */
  | { kind: 'checkReattach' }
  /**
   * [unplug-replug] Biederman's device_detach: the kexec shutdown path of each device (FE → Closing →
   * Closed, backend kept with online=1). Answers DEVICES_DOWN.
   */
  | { kind: 'deviceDetach' }
  /**
   * [unplug-replug] Biederman's device_reattach: xenbus_reset_frontend()-style FE := Initialising, then a
   * normal re-probe and handshake of each device. Answers REATTACHED.
   */
  | { kind: 'deviceReattach' };

export type KexecEffectKind = KexecEffect['kind'];
/** The params of one kexec effect action: the effect without its `kind` (undefined when nothing is left). */
export type KexecEffectParams<K extends KexecEffectKind> = EffectParamsOf<KexecEffect, K>;
