import { and, assign, setup } from 'xstate';
import { createKexecEffectAction } from './kexecStep';
import type { KexecContext, KexecEvent, KexecInput } from './kexecTypes';

export type { JumpPolicy, KexecContext, KexecEffect, KexecEvent, KexecInput, KexecKind } from './kexecTypes';

type LoadEvent = Extract<KexecEvent, { type: 'LOAD' }>;
type PanicEvent = Extract<KexecEvent, { type: 'PANIC' }>;
type CheckedEvent = Extract<KexecEvent, { type: 'REATTACH_CHECKED' }>;

const imageOf = (context: KexecContext): string => context.image ?? '';
const blockerOf = (event: KexecEvent): string =>
  (event.type === 'REATTACH_CHECKED' ? event.blocker : undefined) ?? 'a device';

// the tail shared by every jump: machine_kexec() on a preserve_context image
const jumpToImage = [
  {
    type: 'log',
    params: ({ context }: { context: KexecContext }) => ({
      message: `kexec: jumping to ${imageOf(context)}`,
    }),
  },
  {
    type: 'machineKexec',
    params: ({ context }: { context: KexecContext }) => ({ image: imageOf(context), preserveContext: true }),
  },
] as const;

// kernel_kexec(), ordinary image, after device_shutdown(): "Starting new kernel", machine_shutdown, machine_kexec
const startNewKernel = [
  { type: 'log', params: { message: 'Starting new kernel' } },
  'machineShutdown',
  {
    type: 'machineKexec',
    params: ({ context }: { context: KexecContext }) => ({ image: imageOf(context), preserveContext: false }),
  },
] as const;

/**
 * One guest kernel's kernel_kexec() and __crash_kexec() paths (kernel/kexec_core.c) as a reaction
 * table: plain kexec, kdump, and kexec jump under the input's JumpPolicy (scenarios.md S6–S9, S14;
 * kexec-handover.md §1, §5, §7). The simulator carries out the effects and answers with events.
 */
export const kexecMachine = setup({
  types: {
    context: {} as KexecContext,
    events: {} as KexecEvent,
    input: {} as KexecInput,
  },
  actions: {
    // effects (carried out by the simulator)
    log: createKexecEffectAction('log'),
    kernelRestartPrepare: createKexecEffectAction('kernelRestartPrepare'),
    deviceShutdown: createKexecEffectAction('deviceShutdown'),
    xsSuspend: createKexecEffectAction('xsSuspend'),
    machineShutdown: createKexecEffectAction('machineShutdown'),
    machineCrashShutdown: createKexecEffectAction('machineCrashShutdown'),
    machineKexec: createKexecEffectAction('machineKexec'),
    freezeProcesses: createKexecEffectAction('freezeProcesses'),
    dpmSuspend: createKexecEffectAction('dpmSuspend'),
    dpmResume: createKexecEffectAction('dpmResume'),
    thawProcesses: createKexecEffectAction('thawProcesses'),
    checkReattach: createKexecEffectAction('checkReattach'),
    deviceDetach: createKexecEffectAction('deviceDetach'),
    deviceReattach: createKexecEffectAction('deviceReattach'),
    // bookkeeping
    /** kimage_alloc_init(): the new image replaces the loaded one */
    recordImage: assign({
      image: ({ event }) => (event as LoadEvent).image,
      kind: ({ event }) => (event as LoadEvent).kind,
      lastError: null,
    }),
    /** kimage_free() */
    forgetImage: assign({ image: null, kind: null }),
    clearError: assign({ lastError: null }),
    recordRefusal: assign({ lastError: ({ event }) => `${blockerOf(event)} cannot be reattached` }),
  },
  guards: {
    isKexecImage: ({ context }) => context.kind === 'kexec',
    isCrashImage: ({ context }) => context.kind === 'kdump',
    isJumpImage: ({ context }) => context.kind === 'jump',
    /** [fail-early] Biederman (a) */
    failsEarly: ({ context }) => context.jumpPolicy === 'fail-early',
    /** [unplug-replug] Biederman (b) */
    unplugsAndReplugs: ({ context }) => context.jumpPolicy === 'unplug-replug',
    reattachOk: ({ event }) => (event as CheckedEvent).ok,
    /** [2006-RFC] the kexec path calls xs_suspend(), which unwatches everything */
    xsSuspendUnwatches: ({ context }) => context.profile.xenbus.xsSuspendUnwatches,
  },
}).createMachine({
  id: 'kexec',
  context: ({ input }) => ({
    profile: input.profile,
    jumpPolicy: input.jumpPolicy,
    image: null,
    kind: null,
    lastError: null,
  }),
  initial: 'running',
  states: {
    /** the kernel runs with no image loaded */
    running: {
      on: { LOAD: { target: 'loaded', actions: 'recordImage' } },
    },
    /** an image is loaded (kexec_image, or kexec_crash_image for kdump) */
    loaded: {
      on: {
        LOAD: { actions: 'recordImage' },
        UNLOAD: { target: 'running', actions: 'forgetImage' },
        EXECUTE: [
          // normal kexec: kexec_in_progress, kernel_restart_prepare → device_shutdown
          {
            guard: 'isKexecImage',
            target: 'shuttingDown',
            actions: ['clearError', 'kernelRestartPrepare', 'deviceShutdown'],
          },
          // [fail-early] refuse before committing to anything if a device cannot come back
          {
            guard: and(['isJumpImage', 'failsEarly']),
            target: 'checkingReattach',
            actions: ['clearError', 'checkReattach'],
          },
          // [unplug-replug] device_detach = the kexec shutdown path of each device
          {
            guard: and(['isJumpImage', 'unplugsAndReplugs']),
            target: 'detaching',
            actions: ['clearError', 'deviceDetach'],
          },
          // [pm-freeze] preserve_context: freeze_processes, dpm_suspend_start/end(PMSG_FREEZE)
          {
            guard: 'isJumpImage',
            target: 'freezing',
            actions: [
              'clearError',
              'freezeProcesses',
              { type: 'dpmSuspend', params: { msg: 'PMSG_FREEZE' } },
            ],
          },
          // a crash image alone: kernel_kexec() finds no kexec_image (-EINVAL), nothing happens
        ],
        // panic() → __crash_kexec(): no device_shutdown, machine_crash_shutdown, machine_kexec
        PANIC: {
          guard: 'isCrashImage',
          target: 'bootingCrashKernel',
          actions: [
            {
              type: 'log',
              params: ({ event }) => ({
                message: `Kernel panic - not syncing: ${(event as PanicEvent).message}`,
              }),
            },
            'machineCrashShutdown',
            {
              type: 'machineKexec',
              params: ({ context }) => ({ image: imageOf(context), preserveContext: false }),
            },
          ],
        },
      },
    },
    /** device_shutdown() runs the bus .shutdown hooks; waits for DEVICES_DOWN */
    shuttingDown: {
      on: {
        DEVICES_DOWN: [
          {
            guard: 'xsSuspendUnwatches',
            target: 'bootingSuccessor',
            actions: ['xsSuspend', ...startNewKernel],
          },
          { target: 'bootingSuccessor', actions: [...startNewKernel] },
        ],
      },
    },
    /** machine_kexec() entered the new kernel; this kernel is gone */
    bootingSuccessor: { on: { BOOTED: 'handedOver' } },
    /** machine_kexec() entered the crash kernel */
    bootingCrashKernel: { on: { BOOTED: 'handedOver' } },
    /** the successor runs with its own kexec machine */
    handedOver: { type: 'final' },
    /** [fail-early] asking every bound device whether it can be reattached */
    checkingReattach: {
      on: {
        REATTACH_CHECKED: [
          {
            guard: 'reattachOk',
            target: 'freezing',
            actions: ['freezeProcesses', { type: 'dpmSuspend', params: { msg: 'PMSG_FREEZE' } }],
          },
          {
            target: 'loaded',
            actions: [
              'recordRefusal',
              {
                type: 'log',
                params: ({ event }) => ({
                  message: `kexec: ${blockerOf(event)} cannot be reattached after a jump; kexec jump refused`,
                }),
              },
            ],
          },
        ],
      },
    },
    /** processes frozen, devices' freeze callbacks running; waits for FROZEN */
    freezing: { on: { FROZEN: { target: 'inSuccessor', actions: [...jumpToImage] } } },
    /** [unplug-replug] each device goes down the kexec shutdown path; waits for DEVICES_DOWN */
    detaching: { on: { DEVICES_DOWN: { target: 'inSuccessor', actions: [...jumpToImage] } } },
    /** the jumped-to kernel owns the domain; this one is preserved in memory */
    inSuccessor: {
      initial: 'booting',
      states: {
        booting: { on: { BOOTED: 'running' } },
        running: {
          on: {
            JUMP_BACK: [
              {
                guard: 'unplugsAndReplugs',
                target: '#kexec.reattaching',
                actions: 'deviceReattach',
              },
              {
                target: '#kexec.restoring',
                actions: { type: 'dpmResume', params: { msg: 'PMSG_RESTORE' } },
              },
            ],
          },
        },
      },
    },
    /** machine_kexec() returned: devices' restore callbacks running; waits for RESTORED */
    restoring: { on: { RESTORED: { target: 'loaded', actions: 'thawProcesses' } } },
    /** [unplug-replug] each device reset and re-probed; waits for REATTACHED */
    reattaching: { on: { REATTACHED: 'loaded' } },
  },
});
