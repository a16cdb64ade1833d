/**
 * Every command of XenScope: playback, the user actions of the simulator on the target domain, the
 * faults it can inject, and the view's own. Conditions read the world at the cursor, so a button is
 * offered only when the action makes sense there (a detach needs an attached device).
 */
import type { UserAction } from '../../sim/world/types';
import type { World } from '../../sim/world/world';
import type { XenScope } from '../app/xenscope';
import { seekInteresting } from '../guide/tourControl';
import { chainForEffect } from '../model/whyChain';
import type { Command } from './registry';

const world = (app: XenScope): World | null => app.timeline.getState().world();
const hasWorld = (app: XenScope) => world(app) !== null;
const target = (app: XenScope) => app.view.getState().targetDomid;

/** The target domain's running kernel (not frozen), if any. */
function liveKernel(app: XenScope) {
  const w = world(app);
  if (w === null) return undefined;
  const domid = target(app);
  return [...w.actors.values()].find((a) => a.kind === 'kernel' && a.domid === domid && a.alive && !a.frozen);
}

/** Whether the target domain has a frontend of this type (vbd, vif) in its running kernel. */
function hasFrontend(app: XenScope, type: string): boolean {
  const w = world(app);
  const kernel = liveKernel(app);
  if (w === null || kernel === undefined) return false;
  return kernel.devices.some((k) => w.devices.get(k)?.type === type);
}

const domainExists = (app: XenScope) => world(app)?.hv.domains.get(target(app))?.status === 'running';

/** A user action on the target domain, offered when `when` holds. */
function action(
  name: string,
  label: string,
  make: (domid: number) => UserAction | UserAction[],
  when: (app: XenScope) => boolean,
  hint?: string,
  group: 'action' | 'fault' = 'action',
): Command {
  return {
    name,
    label,
    group,
    ...(hint === undefined ? {} : { hint }),
    enabled: (app) => hasWorld(app) && when(app),
    perform: (app) => {
      const made = make(target(app));
      for (const a of Array.isArray(made) ? made : [made]) app.act(a);
    },
  };
}

const fault = (name: string, value: string | number | boolean): UserAction => ({
  type: 'fault',
  name,
  value,
});
const running = (app: XenScope) => liveKernel(app) !== undefined;
const IMAGE = 'vmlinuz-guest';

export const COMMANDS: readonly Command[] = [
  // ------------------------------------------------------------------ playback
  {
    name: 'playback.toggle',
    label: 'Play / pause',
    group: 'playback',
    keys: [' '],
    keyLabel: 'Space',
    enabled: hasWorld,
    perform: (app) => app.togglePlay(),
  },
  {
    name: 'playback.step',
    label: 'Step forward',
    group: 'playback',
    keys: ['ArrowRight'],
    keyLabel: '→',
    enabled: (app) => app.timeline.getState().cursor < app.timeline.getState().length,
    perform: (app) => app.stepForward(),
  },
  {
    name: 'playback.back',
    label: 'Step back',
    group: 'playback',
    keys: ['ArrowLeft'],
    keyLabel: '←',
    enabled: (app) => app.timeline.getState().cursor > 0,
    perform: (app) => app.stepBack(),
  },
  {
    name: 'playback.start',
    label: 'Jump to start',
    group: 'playback',
    keys: ['Home'],
    keyLabel: 'Home',
    enabled: hasWorld,
    perform: (app) => app.seek(0),
  },
  {
    name: 'playback.end',
    label: 'Jump to end',
    group: 'playback',
    keys: ['End'],
    keyLabel: 'End',
    enabled: hasWorld,
    perform: (app) => app.seek(app.timeline.getState().length),
  },
  {
    name: 'playback.next-interesting',
    label: 'Next interesting step',
    group: 'playback',
    keys: ['n'],
    keyLabel: 'n',
    hint: 'The next state change, user action, dropped or merged watch event, EAGAIN, timeout or lint finding',
    enabled: hasWorld,
    perform: (app) => seekInteresting(app, 1),
  },
  {
    name: 'playback.prev-interesting',
    label: 'Previous interesting step',
    group: 'playback',
    keys: ['p'],
    keyLabel: 'p',
    enabled: hasWorld,
    perform: (app) => seekInteresting(app, -1),
  },
  {
    name: 'playback.seek',
    label: 'Go to step',
    group: 'playback',
    enabled: hasWorld,
    perform: (app, n) => {
      if (typeof n !== 'number' || !Number.isFinite(n))
        throw new TypeError('playback.seek takes a step number');
      app.seek(n);
    },
  },
  {
    name: 'playback.faster',
    label: 'Faster',
    group: 'playback',
    keys: ['+', '=', ']'],
    keyLabel: '+',
    perform: (app) => app.faster(),
  },
  {
    name: 'playback.slower',
    label: 'Slower',
    group: 'playback',
    keys: ['-', '['],
    keyLabel: '−',
    perform: (app) => app.slower(),
  },
  // ------------------------------------------------------------------ user actions
  action(
    'action.create-domain',
    'Create domain',
    (domid) => ({ type: 'create-domain', domid, kind: 'PV', image: IMAGE }),
    (app) => !domainExists(app),
    'xl create: a new PV guest with this domid boots',
  ),
  action(
    'action.attach-disk',
    'Attach disk',
    (domid) => ({ type: 'attach-disk', domid }),
    running,
    'xl block-attach: the toolstack writes the vbd backend and frontend directories',
  ),
  action(
    'action.detach-disk',
    'Detach disk',
    (domid) => ({ type: 'detach-disk', domid }),
    (app) => hasFrontend(app, 'vbd'),
    'xl block-detach: the backend is asked to close',
  ),
  action(
    'action.attach-nic',
    'Attach nic',
    (domid) => ({ type: 'attach-nic', domid }),
    running,
    'xl network-attach: a vif backend and frontend',
  ),
  action(
    'action.net-traffic',
    'Receive packets',
    (domid) => [
      { type: 'net-traffic', domid, packets: 60 },
      { type: 'net-traffic', domid, packets: 2, polled: false },
    ],
    (app) => hasFrontend(app, 'vif'),
    'Packets arrive: netback fills rx buffers; the last two are not polled yet',
  ),
  action(
    'action.rx-release',
    'Release rx buffers',
    (domid) => ({ type: 'detach-nic', domid }),
    (app) => hasFrontend(app, 'vif'),
    'Detach the nic with the interface up: netfront gives back (or leaks) its rx buffers',
  ),
  action(
    'action.guest-shutdown',
    'Shut down guest',
    (domid) => ({ type: 'guest-shutdown', domid }),
    running,
    'The guest is asked to power off: frontends close, then the domain is destroyed',
  ),
  action(
    'action.kexec',
    'kexec',
    (domid) => ({ type: 'kexec', domid, image: IMAGE }),
    running,
    'kernel_kexec(): the running kernel hands the domain to a new one',
  ),
  action(
    'action.kexec-jump',
    'kexec jump',
    (domid) => ({ type: 'kexec-jump', domid, image: IMAGE }),
    running,
    'kexec with preserve_context: the old kernel is frozen and can be returned to',
  ),
  action(
    'action.kexec-jump-back',
    'Jump back',
    (domid) => ({ type: 'kexec-jump-back', domid }),
    (app) => {
      const w = world(app);
      return w !== null && [...w.actors.values()].some((a) => a.domid === target(app) && a.frozen && a.alive);
    },
    'The kernel started by kexec jump returns to the frozen one',
  ),
  // ------------------------------------------------------------------ faults
  action(
    'fault.drop-state-watch',
    'Lose next state watch event',
    () => [fault('watchFaultPath', '/state'), fault('watchFault', 'drop')],
    hasWorld,
    'The next watch event on a …/state node is lost on its way to the guest',
    'fault',
  ),
  action(
    'fault.delay-state-watch',
    'Delay next state watch event',
    () => [fault('watchFaultPath', '/state'), fault('watchFaultDelayMs', 1000), fault('watchFault', 'delay')],
    hasWorld,
    'The next watch event on a …/state node arrives 1 s late',
    'fault',
  ),
  action(
    'fault.hold-xenwatch',
    'Hold guest xenwatch',
    (domid) => ({ type: 'hold-xenwatch', domid, held: true }),
    running,
    "The guest's xenwatch thread stops running callbacks (a hung driver)",
    'fault',
  ),
  action(
    'fault.release-xenwatch',
    'Release guest xenwatch',
    (domid) => ({ type: 'hold-xenwatch', domid, held: false }),
    running,
    undefined,
    'fault',
  ),
  action(
    'fault.pause-backend',
    'Pause dom0 xenwatch',
    (domid) => ({ type: 'pause-backend', domid, paused: true }),
    hasWorld,
    "dom0's xenwatch thread stops: backends do not react",
    'fault',
  ),
  action(
    'fault.resume-backend',
    'Resume dom0 xenwatch',
    (domid) => ({ type: 'pause-backend', domid, paused: false }),
    hasWorld,
    undefined,
    'fault',
  ),
  action(
    'fault.blkback-fatal',
    'blkback fatal after connect',
    () => fault('blkbackFatalAfterConnect', true),
    hasWorld,
    'blkback calls xenbus_dev_fatal right after Connected',
    'fault',
  ),
  action(
    'fault.bad-ring-ref',
    'Bad ring-ref',
    () => fault('badRingRef', true),
    hasWorld,
    'blkfront publishes a ring-ref it never granted',
    'fault',
  ),
  action(
    'fault.vif-script-fails',
    'vif script fails',
    () => fault('vifScriptFails', true),
    hasWorld,
    'vif-bridge writes hotplug-status=error',
    'fault',
  ),
  action(
    'fault.force-eagain',
    'Next commit fails (EAGAIN)',
    () => fault('forceEagain', true),
    hasWorld,
    'xenstored answers the next transaction commit EAGAIN, as if it conflicted',
    'fault',
  ),
  action(
    'fault.restart-xenstored',
    'Restart xenstored',
    () => ({ type: 'restart-xenstored' }),
    hasWorld,
    'A live update (modern): watches kept, open transactions dropped after 5 s. 2006: nodes kept, every watch and transaction lost',
    'fault',
  ),
  action(
    'fault.fail-unmap',
    'Next ring unmap fails',
    () => fault('unmapFault', true),
    hasWorld,
    "The backend's next GNTTABOP_unmap_grant_ref fails: the ring stays mapped after it closes",
    'fault',
  ),
  action(
    'fault.backend-initialised-early',
    'Buggy backend (Initialised)',
    () => fault('backendInitialisedEarly', true),
    hasWorld,
    'Backends probed from now on publish Initialised where they should publish InitWait',
    'fault',
  ),
  action(
    'fault.inflight-io',
    'I/O in flight',
    (domid) => ({ type: 'inflight-io', domid, count: 1 }),
    (app) => hasFrontend(app, 'vbd'),
    'One request stays in flight in blkback',
    'fault',
  ),
  action(
    'fault.open-disk',
    'Mount disk',
    (domid) => ({ type: 'open-disk', domid }),
    (app) => hasFrontend(app, 'vbd'),
    'The guest holds the disk open (mounted)',
    'fault',
  ),
  // ------------------------------------------------------------------ view
  {
    name: 'why.device',
    label: 'Why is it in this state?',
    group: 'view',
    hint: "The chain of causes behind the device's latest state change",
    enabled: (app) =>
      app.view.getState().contextMenu?.device !== undefined && app.timeline.getState().cursor > 0,
    perform: (app) => {
      const key = app.view.getState().contextMenu?.device;
      const w = world(app);
      if (key === undefined || w === null) return;
      const found = chainForEffect(w.trace, app.traceIndexes().why, app.timeline.getState().cursor - 1, {
        device: key,
      });
      if (found === null) return;
      app.view.getState().setWhy({ seq: found.seq, about: `${key} ${w.deviceState(key)}` });
      app.view.getState().setInspectorTab('step');
    },
  },
  {
    name: 'view.shortcuts',
    label: 'Keyboard shortcuts',
    group: 'view',
    keys: ['?'],
    keyLabel: '?',
    perform: (app) => app.view.getState().setShortcutsOpen(!app.view.getState().shortcutsOpen),
  },
];
