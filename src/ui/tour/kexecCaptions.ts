/**
 * Captions for a kernel's kexec path (the `<actor>|kexec` machine): loading, the shutdown that
 * precedes a kexec per profile, the crash path, and the jump there and back under each policy.
 * Pure.
 */
import type { ProfileId } from '../../sim/profiles';
import { deviceLabel, splitDeviceKey } from './devices';
import type { Caption } from './types';

interface KexecChange {
  from: string;
  /** the kernel: 'dom1.K1' */
  actor: string;
  /** 'the kexec path of dom1.K1' */
  who: string;
  profile: ProfileId | undefined;
}

function kexecShutdown(c: KexecChange): Caption {
  switch (c.profile) {
    case 'linux-2006':
      return {
        text: 'kernel_kexec() runs device_shutdown(), but the 2006 frontend bus has no shutdown hook: every device stays Connected and the backends keep serving the old rings.',
        source: 'scenarios.md S6; kexec-handover.md §1',
      };
    case 'kexec-patch-2006':
      return {
        text: "kernel_kexec() runs device_shutdown(): the RFC's hook closes each Connected frontend in turn (Closing, wait up to 5 s), and each frontend is to come back to Initialising.",
        source: 'kexec-handover.md §2.1',
      };
    case 'kexec-merged-2006':
      return {
        text: 'kernel_kexec() runs device_shutdown(): the merged hook closes each Connected frontend (Closing, wait up to 5 s) and the xenbus core takes it on to Closed.',
        source: 'kexec-handover.md §3',
      };
    default:
      return {
        text: 'kernel_kexec(): kexec_in_progress is set and device_shutdown() closes each Connected frontend in turn (Closing, wait up to 5 s); the xenbus core answers the backend with Closed.',
        source: 'kexec-handover.md §5',
      };
  }
}

const KEXEC: Readonly<Record<string, (c: KexecChange) => Caption>> = {
  loaded: (c) =>
    c.from === 'running'
      ? { text: `${c.who}: kexec_load, a successor image is loaded.`, source: 'kexec-handover.md §1, §7.1' }
      : c.from === 'checkingReattach'
        ? {
            text: 'xenbus devices have no reattach method, so the jump is refused before anything is committed: nothing changes.',
            source: 'kexec-handover.md §7.2',
          }
        : {
            text: `${c.actor} runs again after the jump back (its kexec image stays loaded).`,
            source: 'kexec-handover.md §7.1',
          },
  shuttingDown: kexecShutdown,
  bootingSuccessor: () => ({
    text: 'Every device has been shut down, or its wait timed out: machine_kexec starts the new kernel.',
    source: 'kexec-handover.md §5',
  }),
  handedOver: (c) => ({
    text: `${c.actor} is gone and its successor runs in the same domain. Everything it left behind (state nodes, watches in xenstored, grants, event channels) is still there.`,
    source: 'kexec-handover.md §1',
  }),
  bootingCrashKernel: () => ({
    text: 'Panic: the crash kernel boots without device_shutdown(), so it will find every device still Connected and must walk each one down before probing.',
    source: 'kexec-handover.md §5',
  }),
  freezing: () => ({
    text: 'kexec jump under pm-freeze: processes are frozen and devices get the hibernation freeze callback; blkfront and netfront have no suspend hook, so the frontends stay Connected on their rings.',
    source: 'kexec-handover.md §7.1, §7.3',
  }),
  checkingReattach: () => ({
    text: 'fail-early: before committing to the jump, the kernel checks that every bound device can be reattached afterwards (Biederman option a).',
    source: 'kexec-handover.md §7.2',
  }),
  detaching: () => ({
    text: 'unplug-replug: the jump detaches the devices the way a kexec shuts them down (Closing, Closed, backends kept with online=1) (Biederman option b).',
    source: 'kexec-handover.md §7.2, §7.3',
  }),
  'inSuccessor.booting': (c) => ({
    text: `The jump: ${c.actor} stays in memory, stopped, while the second kernel boots in the same domain.`,
    source: 'kexec-handover.md §7.1',
  }),
  'inSuccessor.running': () => ({
    text: 'The second kernel runs in the domain; the first waits, frozen, for it to jump back. As a fresh kernel it will treat the devices it finds like any new kernel does.',
    source: 'kexec-handover.md §7.1, §7.3',
  }),
  restoring: (c) => ({
    text: `The second kernel jumped back: ${c.actor} resumes with dpm_resume(PMSG_RESTORE); each frontend's cached state becomes Initialising and its resume hook runs.`,
    source: 'kexec-handover.md §7.3',
  }),
  reattaching: (c) => ({
    text: `The second kernel jumped back: ${c.actor} reattaches its devices like a new kernel, resetting each frontend to Initialising and reconnecting.`,
    source: 'kexec-handover.md §7.2, §7.3',
  }),
};

/** The caption of the kexec path of `key` entering `to` from `from`. */
export function kexecCaption(key: string, from: string, to: string, profile?: ProfileId): Caption {
  const c: KexecChange = { from, actor: splitDeviceKey(key).actor, who: deviceLabel(key), profile };
  return KEXEC[to]?.(c) ?? { text: `${c.who}: ${from} → ${to}.`, source: 'kexec-handover.md §7.1' };
}
