/**
 * Captions for the kernel and daemon log lines that mark a protocol moment (printk in the trace's
 * `log` effects): a table of patterns, each with its sentence, spec source and how much it matters
 * (`rank`: 1 worth a caption, 2 worth a stop while stepping, 3–4 worth a tour stop). Lines not in
 * the table get no caption. Pure.
 */
import { actorLabel } from './devices';
import type { Caption } from './types';

interface LogRule {
  re: RegExp;
  rank: number;
  caption: (m: RegExpExecArray, actor: string) => Caption;
}

const RULES: readonly LogRule[] = [
  {
    re: /Device in use; refusing to close/,
    rank: 2,
    caption: (_m, a) => ({
      text: `The disk is still open in ${a}: blkfront refuses to close ("Device in use; refusing to close"), writes that to its error node and waits in Closing for the last close.`,
      source: 'xenbus.md §6.1',
    }),
  },
  {
    re: /triggering reconnect on (\S+)/,
    rank: 4,
    caption: (m, a) => ({
      text: `${a} found a frontend its predecessor left Connected or Closed (backend ${m[1]}): xenbus_reset_frontend writes the frontend state down to Initialising, waiting up to 5 s each time for the backend to follow.`,
      source: 'kexec-handover.md §5',
    }),
  },
  {
    re: /reconnect done on (\S+)/,
    rank: 2,
    caption: (m, a) => ({
      text: `${a}: the backend ${m[1]} is back in InitWait, the reset is done and the frontend can be probed again.`,
      source: 'kexec-handover.md §5',
    }),
  },
  {
    re: /^(device\/\S+): state (\d), device is not new, ignored/,
    rank: 4,
    caption: (m, a) => ({
      text: `${a} found ${m[1]} in state ${m[2]} and ignored it: a xenbus bus binds a driver only to a device in Initialising (1), which is why a new kernel cannot see devices its predecessor left in another state.`,
      source: 'xenbus.md §3.2',
    }),
  },
  {
    re: /^(backend\/\S+): state (\d), device is not new, ignored/,
    rank: 2,
    caption: (m, a) => ({
      text: `${a}'s backend bus saw ${m[1]} change but ignores it: in state ${m[2]} it is not a new device (only Initialising is).`,
      source: 'xenbus.md §3.2',
    }),
  },
  {
    re: /mapping in shared page (\d+) from domain (\d+)/,
    rank: 4,
    caption: (m) => ({
      text: `blkback could not map grant ${m[1]} of domain ${m[2]} (GNTST_bad_gntref): xenbus_dev_fatal writes the error node and switches the backend to Closing.`,
      source: 'rings-and-evtchn.md §1.4; xenbus.md §6.3',
    }),
  },
  {
    re: /fatal error right after connect/,
    rank: 4,
    caption: () => ({
      text: 'Fault: blkback fails right after it wrote Connected, so it writes Closing next, before the frontend has read Connected.',
      source: 'scenarios.md S11',
    }),
  },
  {
    re: /requested ring page order (\d+) exceed max:?\s*(\d+)/,
    rank: 4,
    caption: (m) => ({
      text: `The frontend asked for ring page order ${m[1]} but the backend's maximum is ${m[2]}: connect_ring fails with EINVAL and the backend closes.`,
      source: 'rings-and-evtchn.md §6',
    }),
  },
  {
    re: /online failed/,
    rank: 4,
    caption: () => ({
      text: 'The vif hotplug script failed: netback never writes Connected, and the toolstack reports the failure and removes the device.',
      source: 'scenarios.md S2; xenbus.md §6.1',
    }),
  },
  {
    re: /cannot be reattached after a jump; kexec jump refused/,
    rank: 4,
    caption: () => ({
      text: 'A xenbus device cannot be reattached after a jump, so the kexec jump is refused before anything is committed (Biederman option a).',
      source: 'kexec-handover.md §7.2',
    }),
  },
  {
    re: /(\d+) in flight, ring kept mapped/,
    rank: 4,
    caption: (m) => ({
      text: `blkback cannot disconnect with ${m[1]} request(s) in flight (EBUSY): the ring stays mapped while the backend goes on closing.`,
      source: 'xenbus.md §6.1, §7.1',
    }),
  },
  {
    re: /timeout reached, initiating forced remove/,
    rank: 3,
    caption: () => ({
      text: 'libxl forces the removal: it deletes the frontend directory itself and asks the backend to close again.',
      source: 'xenbus.md §6.1; scenarios.md S3',
    }),
  },
  {
    re: /backend did not close/,
    rank: 2,
    caption: () => ({
      text: 'The backend never reached Closed: the toolstack gives up waiting and reports it.',
      source: 'xenbus.md §6.1; scenarios.md S3',
    }),
  },
  {
    re: /timed out waiting for InitWait/,
    rank: 2,
    caption: () => ({
      text: 'The toolstack waited 10 s for the backend to reach InitWait and gave up.',
      source: 'xenbus.md §4.1',
    }),
  },
  {
    re: /prepare for reconnect/,
    rank: 2,
    caption: (_m, a) => ({
      text: `The backend in ${a} sees its frontend back in Initialising: "prepare for reconnect", it will go to InitWait and wait for a new ring.`,
      source: 'xenbus.md §7.1, §7.2',
    }),
  },
  {
    re: /SHUTDOWN_soft_reset/,
    rank: 4,
    caption: (_m, a) => ({
      text: `${a} asks Xen for a soft reset (SHUTDOWN_soft_reset) as its last step: the toolstack tears the devices down, resets the domain and re-creates them.`,
      source: 'kexec-handover.md §5',
    }),
  },
  {
    re: /soft reset done, devices re-created/,
    rank: 4,
    caption: () => ({
      text: 'Soft reset done: grants and event channels of the domain were reset and its devices re-created in Initialising from the configuration.',
      source: 'kexec-handover.md §5; scenarios.md S9',
    }),
  },
  {
    re: /freeze: no driver suspend hook/,
    rank: 3,
    caption: (_m, a) => ({
      text: `${a} freezes for the jump: the frontend has no suspend hook, so it stays Connected and its ring stays mapped by the backend.`,
      source: 'kexec-handover.md §7.3',
    }),
  },
  {
    re: /recovered, requests requeued on ring-ref (\d+)/,
    rank: 4,
    caption: (m) => ({
      text: `blkif_recover requeued the requests on ring-ref ${m[1]}, a ring the backend never mapped: that I/O will never complete.`,
      source: 'kexec-handover.md §7.3',
    }),
  },
  {
    re: /added to xenbr\d+/,
    rank: 3,
    caption: () => ({
      text: 'The vif hotplug script put the interface on the bridge and writes hotplug-status=connected: the gate netback waits for before writing Connected.',
      source: 'xenbus.md §5.1',
    }),
  },
  {
    re: /opened physical device (\S+)/,
    rank: 2,
    caption: (m) => ({
      text: `The block hotplug script wrote physical-device=${m[1]}: blkback opened the disk, but it still needs the frontend's ring to connect.`,
      source: 'xenbus.md §4.1',
    }),
  },
  {
    re: /Kernel panic/,
    rank: 3,
    caption: (_m, a) => ({
      text: `${a} panics: the crash path boots the crash kernel without shutting any device down.`,
      source: 'kexec-handover.md §5',
    }),
  },
  {
    re: /(\d+) packets received, (\d+) buffers posted, rx_target (\d+)/,
    rank: 2,
    caption: (m) => ({
      text: `netfront received ${m[1]} packets and has ${m[2]} rx buffers posted (rx_target ${m[3]}): posted buffers are what a teardown must get back.`,
      source: 'kexec-handover.md §4.1, §4.2',
    }),
  },
  {
    re: /suspending, HYPERVISOR_suspend/,
    rank: 3,
    caption: (_m, a) => ({
      text: `${a}'s xenstore client is quiet (no request, no transaction): xs_suspend has completed and the domain suspends.`,
      source: 'kexec-handover.md §6',
    }),
  },
  {
    re: /resumed, restarting tasks/,
    rank: 2,
    caption: (_m, a) => ({
      text: `${a} resumed: xs_resume re-registers every watch (each fires once, so drivers re-read their peers) and blocked requests proceed.`,
      source: 'kexec-handover.md §6',
    }),
  },
  {
    re: /^read (\S+): "(.*)"$/,
    rank: 2,
    caption: (m, a) => ({
      text: `${a}'s read of ${m[1]} got its answer ("${m[2]}").`,
      source: 'kexec-handover.md §6',
    }),
  },
  {
    re: /transaction \d+ ended: (\w+)/,
    rank: 2,
    caption: (m, a) => ({
      text: `${a}: the guest thread's transaction ended (${m[1]}); one user fewer for the suspend to wait for.`,
      source: 'kexec-handover.md §6; xenstore.md §8.4',
    }),
  },
  {
    re: /watch on (\S+): registered/,
    rank: 2,
    caption: (m, a) => ({
      text: `${a}: the watch on ${m[1]} is registered now that the suspend no longer holds xs_watch_rwsem.`,
      source: 'kexec-handover.md §6',
    }),
  },
  {
    re: /xenstored killed and started again/,
    rank: 3,
    caption: () => ({
      text: 'xenstored is killed and started again on its database file: the nodes survive, but the watches and transactions it kept in memory do not.',
      source: 'xenstore.md §1, §7.1',
    }),
  },
  {
    re: /live-update/,
    rank: 3,
    caption: () => ({
      text: 'xenstored is restarted by live update: it dumps its state and executes itself again.',
      source: 'xenstore.md §1',
    }),
  },
  {
    re: /reboot: Power down/,
    rank: 2,
    caption: (_m, a) => ({
      text: `${a} powers down after device_shutdown() finished.`,
      source: 'xenbus.md §6.2',
    }),
  },
  {
    re: /kexec: (jumping to|jumping back to|no kernel to return)/,
    rank: 2,
    caption: (_m, a) => ({
      text: `${a}: machine_kexec with preserve_context; the other kernel's memory is kept so it can be returned to.`,
      source: 'kexec-handover.md §7.1',
    }),
  },
  {
    re: /timeout closing device/,
    rank: 2,
    caption: (_m, a) => ({
      text: `${a}: "timeout closing device", the 5 s shutdown wait ran out.`,
      source: 'xenbus.md §3.7',
    }),
  },
  {
    re: /gratuitous ARP/,
    rank: 1,
    caption: () => ({
      text: 'netfront sees the backend Connected: gratuitous ARP.',
      source: 'xenbus.md §5.1',
    }),
  },
  {
    re: /carrier on/,
    rank: 3,
    caption: () => ({
      text: "netback connected the rings (carrier on), but holds back Connected until hotplug-status says 'connected'.",
      source: 'xenbus.md §5.1',
    }),
  },
  {
    re: /interface (created|removed)/,
    rank: 1,
    caption: (m) => ({
      text: `netback ${m[1]} the vif interface.`,
      source: m[1] === 'created' ? 'xenbus.md §5.1' : 'kexec-handover.md §2',
    }),
  },
];

/** The caption of a log line and how much it matters, or null when it is not a protocol moment. */
export function logCaption(
  actor: string,
  text: string,
): { rank: number; group: string; caption: Caption } | null {
  for (const r of RULES) {
    const m = r.re.exec(text);
    if (m) return { rank: r.rank, group: `log:${r.re.source}`, caption: r.caption(m, actorLabel(actor)) };
  }
  return null;
}
