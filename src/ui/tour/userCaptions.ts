/**
 * Captions for user actions (the `user` steps: "user: attach-disk domid=1"): what the action asks
 * of the world and why it matters, from the spec. Pure.
 */
import type { Caption } from './types';

/** The action type and its `name=value` arguments, from a user step's summary. */
export function parseUserSummary(summary: string): { type: string; args: Record<string, string> } {
  const words = summary.replace(/^user:\s*/, '').split(/\s+/);
  const args: Record<string, string> = {};
  for (const w of words.slice(1)) {
    const eq = w.indexOf('=');
    if (eq > 0) args[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return { type: words[0] ?? '', args };
}

type UserCaption = (args: Record<string, string>, dom: string) => Caption;

const CAPTIONS: Readonly<Record<string, UserCaption>> = {
  'create-domain': (a, dom) => ({
    text: `The toolstack builds ${dom} (${a['kind'] ?? 'PV'}) and introduces it to xenstored. Its kernel boots, enumerates device/ and registers its bus watch there, so every device the toolstack adds later is noticed.`,
    source: 'xenbus.md §3.2',
  }),
  'attach-disk': (_a, dom) => ({
    text: `Attach a disk to ${dom}: the toolstack writes the vbd's frontend and backend directories in one transaction, both state nodes at Initialising (1). Each side's bus watch fires and the drivers probe.`,
    source: 'xenbus.md §2.1, §4.1',
  }),
  'attach-nic': (_a, dom) => ({
    text: `Attach a network interface to ${dom}: the toolstack writes the vif's frontend and backend directories in one transaction (state 1 on both sides, hotplug-status empty).`,
    source: 'xenbus.md §5.1',
  }),
  'detach-disk': (a) =>
    a['force'] === 'true'
      ? {
          text: 'Forced detach: the toolstack removes the frontend directory inside its removal transaction and writes the close request again; the guest loses the device whatever its driver thinks.',
          source: 'scenarios.md S3; xenbus.md §6.1',
        }
      : {
          text: 'Detach the disk: the toolstack writes online=0 and state=Closing (5) into the backend directory and waits up to 10 s for Closed. Nothing is removed yet: it is a request the frontend may refuse.',
          source: 'xenbus.md §6.1',
        },
  'detach-nic': () => ({
    text: 'Detach the network interface: the toolstack writes online=0 and state=Closing (5) for the vif backend and waits up to 10 s for Closed.',
    source: 'xenbus.md §6.1',
  }),
  'guest-shutdown': (_a, dom) => ({
    text: `${dom} powers off: device_shutdown() runs the frontend bus's shutdown hook on each Connected device (Closing, then a wait of up to 5 s); the backends follow to Closed and, with online=1, keep their devices.`,
    source: 'xenbus.md §3.7, §6.2',
  }),
  kexec: (a, dom) =>
    a['mode'] === 'kdump'
      ? {
          text: `${dom}'s kernel panics and boots its crash kernel (kdump): no device_shutdown() runs, so the crash kernel will find every device still Connected.`,
          source: 'kexec-handover.md §5; scenarios.md S9',
        }
      : {
          text: `kexec in ${dom}: the running kernel is replaced by a new one inside the same domain. Xen, xenstored, the toolstack and the backends are not told; everything the old kernel set up survives it.`,
          source: 'kexec-handover.md §1',
        },
  'kexec-jump': (_a, dom) => ({
    text: `kexec jump in ${dom} (preserve_context): a second kernel runs while the first one stays in memory to be returned to. Devices see the hibernation freeze/restore callbacks, not the shutdown ones.`,
    source: 'kexec-handover.md §7.1',
  }),
  'kexec-jump-back': () => ({
    text: 'The second kernel jumps back to the first, which resumes where it stopped and restores its devices.',
    source: 'kexec-handover.md §7.1, §7.3',
  }),
  'restart-xenstored': () => ({
    text: "xenstored is restarted under running guests. Watches and open transactions are the daemon's state, attached to each domain's connection: whether they survive decides whether later state changes still reach the drivers.",
    source: 'xenstore.md §1, §7.1',
  }),
  fault: (a) =>
    a['name'] === 'watchFaultPath'
      ? {
          text: `A fault is aimed at the watch events for ${a['value'] ?? 'a node'}: one of them will be lost in transit.`,
          source: 'xenstore.md §7.2',
        }
      : a['name'] === 'watchFault'
        ? {
            text: 'The next watch event for that node is lost. Events carry only a path and a driver re-reads a node only when an event tells it to, so the watcher will not learn the new value by itself.',
            source: 'xenstore.md §7.2; xenbus.md §3.6',
          }
        : {
            text: `A fault is injected: ${a['name'] ?? '?'} = ${a['value'] ?? '?'}.`,
            source: 'scenarios.md',
          },
  'hold-xenwatch': (a, dom) =>
    a['held'] === 'false'
      ? {
          text: `${dom}'s xenwatch thread runs again: the queued events are handled one by one, and each callback reads the node's value now, not the value that fired the event.`,
          source: 'xenstore.md §7.3, §7.4',
        }
      : {
          text: `${dom}'s xenwatch thread is held: watch events still arrive and queue up, but no callback runs until it is released.`,
          source: 'xenstore.md §7.3; scenarios.md S11',
        },
  'inflight-io': () => ({
    text: 'An I/O request is left in flight in blkback: a disconnect has to wait for it, since xen_blkif_disconnect answers EBUSY while requests are outstanding.',
    source: 'xenbus.md §6.1, §7.1',
  }),
  'open-disk': () => ({
    text: 'The disk is opened (mounted) inside the guest: an older blkfront refuses to close a disk in use.',
    source: 'xenbus.md §6.1',
  }),
  'pause-backend': () => ({
    text: "dom0's backend drivers are paused: their xenwatch callbacks do not run, so no backend will answer a frontend.",
    source: 'scenarios.md S13',
  }),
  'close-frontends': () => ({
    text: 'The frontends are closed by hand before the kexec (driver unbind): each goes Closing, then Closed.',
    source: 'scenarios.md S6; xenbus.md §6.2',
  }),
  'net-traffic': (a) =>
    a['polled'] === 'false'
      ? {
          text: `${a['packets'] ?? 'Some'} packets arrive but netfront does not poll them yet: their rx buffers stay outstanding.`,
          source: 'kexec-handover.md §4.2',
        }
      : {
          text: `${a['packets'] ?? 'Some'} packets arrive on the vif: netback fills posted rx buffers and netfront takes them back in its poll loop; rx_target doubles when the ring runs low.`,
          source: 'kexec-handover.md §4.1',
        },
  'save-domain': () => ({
    text: 'The toolstack saves the domain (control/shutdown = suspend): xs_suspend() must wait until no xenstore request and no transaction of the guest is in flight.',
    source: 'kexec-handover.md §6',
  }),
  'guest-tx-start': (a) => ({
    text: `Guest thread ${a['name'] ?? ''} starts a xenstore transaction: it counts as a user of the xenstore client until it ends.`,
    source: 'kexec-handover.md §6',
  }),
  'guest-tx-end': (a) => ({
    text: `Guest thread ${a['name'] ?? ''} ends its transaction: the users count drops, and at zero a waiting suspend can go ahead.`,
    source: 'kexec-handover.md §6',
  }),
  'guest-read': (a) => ({
    text: `A guest thread reads ${a['path'] ?? 'a node'}: during a pending suspend a request is admitted while the client still has users, and blocks once they reached zero.`,
    source: 'kexec-handover.md §6',
  }),
  'guest-watch': (a) => ({
    text: `A guest thread registers a watch on ${a['path'] ?? 'a node'}: watch registration waits for the whole suspend (xs_watch_rwsem).`,
    source: 'kexec-handover.md §6',
  }),
  'guest-write': (a) => ({
    text: `The guest writes ${a['path'] ?? 'a node'} while blkback's transaction is open: under the global conflict rule any write anywhere makes that transaction fail.`,
    source: 'xenstore.md §8.2',
  }),
};

/** The caption of a user step, from its summary ("user: attach-disk domid=1"). */
export function userCaption(summary: string): Caption {
  const { type, args } = parseUserSummary(summary);
  const dom = args['domid'] === undefined ? 'the guest' : `domain ${args['domid']}`;
  const make = CAPTIONS[type];
  if (make) {
    const c = make(args, dom);
    return { ...c, text: c.text.replace(/^domain /, 'Domain ') };
  }
  return { text: `User action: ${summary.replace(/^user:\s*/, '')}.`, source: 'scenarios.md' };
}
