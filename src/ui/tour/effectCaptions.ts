/**
 * Marks for what a step did besides state changes, user actions and printk: timeouts, EAGAIN,
 * watch events dropped or merged, EEXIST on re-registration, RESET_WATCHES, the rx-buffer release,
 * the toolstack writing a backend's state itself, rings mapped and unmapped, grants whose free was
 * deferred, kernels starting or freezing, suspend phases. Pure.
 */
import { XENBUS_STATE_NAMES } from '../../drivers/xenbusState';
import type { HvEffect } from '../../hypervisor';
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';
import { TOOLSTACK } from '../../sim/world/world';
import { actorLabel, deviceLabel } from './devices';
import type { StepMark } from './marks';

type Effect<K extends TraceEffect['k']> = Extract<TraceEffect, { k: K }>;
type Hv<K extends HvEffect['kind']> = Extract<HvEffect, { kind: K }>;

function timeoutMark(f: Effect<'timeout'>, entry: TraceEntry): StepMark {
  const down = /^down:(.+)$/.exec(f.wait);
  if (down)
    return {
      kind: 'timeout',
      rank: 4,
      group: 'timeout:down',
      caption: {
        text: `The 5 s shutdown wait for ${deviceLabel(down[1]!)} ran out ("timeout closing device"): the backend never answered, so shutdown moves on and leaves the frontend in Closing.`,
        source: 'xenbus.md §3.7',
        highlight: { device: down[1]! },
      },
    };
  const ts = /^ts-wait:(.+)$/.exec(f.wait);
  if (ts) {
    const adding = /Add\b/.test(entry.summary);
    return {
      kind: 'timeout',
      rank: 4,
      group: `timeout:ts:${adding ? 'add' : 'remove'}`,
      caption: adding
        ? {
            text: `The toolstack's 10 s wait for ${ts[1]} to reach InitWait ran out.`,
            source: 'xenbus.md §4.1',
            highlight: { node: `${ts[1]}/state` },
          }
        : {
            text: `The toolstack's 10 s wait for ${ts[1]} to reach Closed ran out.`,
            source: 'xenbus.md §6.1',
            highlight: { node: `${ts[1]}/state` },
          },
    };
  }
  return {
    kind: 'timeout',
    rank: 4,
    group: `timeout:${f.actor}`,
    caption: { text: `${f.actor}: the wait for ${f.wait} timed out.`, source: 'xenbus.md §3.7' },
  };
}

function txMark(f: Effect<'tx'>): StepMark | null {
  if (f.outcome === 'eagain') {
    const why = f.forced
      ? 'a fault forced it, nothing conflicted'
      : f.conflictPath !== undefined
        ? `${f.conflictPath} changed after the transaction first read it (read-set rule)`
        : 'another write happened somewhere in the store while it was open (global rule)';
    return {
      kind: 'eagain',
      rank: 4,
      group: `eagain:${f.actor}`,
      caption: {
        text: `${f.actor}'s transaction ${f.txId} ended in EAGAIN: ${why}. Nothing it wrote becomes visible and no watch fires; the client runs the whole transaction again.`,
        source: 'xenstore.md §8.2, §8.3',
        ...(f.conflictPath === undefined ? {} : { highlight: { node: f.conflictPath } }),
      },
    };
  }
  if (f.outcome === 'reset')
    return {
      kind: 'daemon',
      rank: 3,
      group: `tx-reset:${f.actor}`,
      caption: {
        text: `${f.actor}'s open transaction ${f.txId} is dropped by xenstored.`,
        source: 'xenstore.md §7.6',
      },
    };
  return null;
}

function guestMark(actorId: string, e: Effect<'guest'>['e']): StepMark | null {
  const actor = actorLabel(actorId);
  switch (e.kind) {
    case 'watch-event-dropped':
      if (e.reason === 'pending')
        return {
          kind: 'watch-merged',
          rank: 3,
          group: `merged:${actor}`,
          caption: {
            text: `A second event for ${actor}'s watch on ${e.path} arrived while the first is still queued: the backend bus drops it (will_handle, XSA-349), and the one callback that runs reads the latest value.`,
            source: 'xenstore.md §7.3, §7.4',
            highlight: { node: e.path },
          },
        };
      return {
        kind: 'watch-dropped',
        rank: 3,
        group: `dropped:${actor}`,
        caption: {
          text:
            e.reason === 'unknown-token'
              ? `${actor} got a watch event with token ${e.token}, which it never registered (a watch its predecessor left in xenstored): dropped.`
              : `${actor} dropped a malformed watch event for ${e.path}.`,
          source: 'xenstore.md §7.3; scenarios.md S16',
          highlight: { node: e.path },
        },
      };
    case 'watch-register-failed':
      return {
        kind: 'watch-eexist',
        rank: 4,
        group: `eexist:${actor}`,
        caption: {
          text: `${actor} registered a watch on ${e.path} and xenstored answered ${e.error}: the previous kernel's watch with the same path and token is still there. ${
            e.kept
              ? 'This kernel keeps the watch on its list anyway.'
              : 'This kernel takes the watch off its list, so it will miss those events.'
          }`,
          source: 'xenstore.md §7.1; scenarios.md S16',
        },
      };
    case 'suspend':
      return suspendMark(actor, e.phase);
    case 'warning':
      return {
        kind: 'log',
        rank: 2,
        group: `warning:${actor}`,
        caption: { text: `${actor}: ${e.message}.`, source: 'xenstore.md §7.5' },
      };
    default:
      return null;
  }
}

const SUSPEND_TEXT: Readonly<Record<string, string>> = {
  draining:
    'xs_suspend: suspend_active is set and the suspend waits for the users to drain (requests in flight plus one per open transaction); new requests are still admitted meanwhile.',
  unwatching: 'xs_suspend sends UNWATCH for every registered watch before it takes the request mutex.',
  suspended:
    'The users count reached zero: the suspend holds the xenstore client, and every new request blocks until resume.',
  resuming:
    'xs_resume: the ring is re-initialised, blocked requests proceed and every watch is registered again.',
  idle: 'The suspend is over: the xenstore client is open again.',
  cancelled: 'xs_suspend_cancel: the client is unlocked without re-registering the watches.',
};

function suspendMark(actor: string, phase: string): StepMark {
  return {
    kind: 'suspend',
    rank: phase === 'idle' ? 2 : 3,
    group: `suspend:${phase}`,
    caption: { text: `${actor}: ${SUSPEND_TEXT[phase] ?? phase}`, source: 'kexec-handover.md §6' },
  };
}

function rxReleaseMark(e: Hv<'rx-release'>): StepMark {
  const base = { kind: 'rx-release' as const, rank: 4, group: `rx-release:${e.variant}` };
  if (e.variant === 'rfc-2006')
    return {
      ...base,
      caption: {
        text: `netif_release_rx_bufs (2006 RFC): "${e.released} released ok, ${e.gnttabErrs} gnttab errs, ${e.unused} unused slots". A posted buffer no packet was transferred into is invalidated but its frame stays with Xen: those pages are lost to the guest and driver_pages stays up.${e.lockLeftHeld ? ' With nothing released it also returns with rx_lock still held.' : ''}`,
        source: 'kexec-handover.md §4.2, §4.3',
      },
    };
  if (e.variant === 'merged-2006')
    return {
      ...base,
      caption: e.skipped
        ? {
            text: 'The merged netif_release_rx_bufs meets a copying receiver: "fix me for copying receiver", nothing is released.',
            source: 'kexec-handover.md §4.3',
          }
        : {
            text: `netif_release_rx_bufs (merged 2006): "${e.released} xfer, ${e.gnttabErrs} noxfer, ${e.unused} unused". Frameless pages go to the balloon, so driver_pages returns to its baseline.`,
            source: 'kexec-handover.md §4.3',
          },
    };
  return {
    ...base,
    caption: {
      text: `xennet_release_rx_bufs ends access to every posted buffer: ${e.released} freed now, ${e.deferred} deferred until the backend unmaps them. The pages were only granted, never given away, so nothing leaks.`,
      source: 'kexec-handover.md §4.4',
    },
  };
}

/** Rings mapped or unmapped, grants whose free is deferred, notifications lost, in one step. */
function hvMarks(hv: HvEffect[]): StepMark[] {
  const marks: StepMark[] = [];
  const maps = hv.filter((e): e is Hv<'grant-map'> => e.kind === 'grant-map');
  const bind = hv.find((e): e is Hv<'evtchn-bind-interdomain'> => e.kind === 'evtchn-bind-interdomain');
  if (maps.length > 0 || bind)
    marks.push({
      kind: 'ring',
      rank: 2,
      group: 'ring:map',
      caption: {
        text: `dom${maps[0]?.mapper ?? bind?.domid} mapped ${maps.length === 1 ? 'grant' : 'grants'} ${maps.map((m) => m.ref).join(', ')} of dom${maps[0]?.granter ?? bind?.remoteDomid}${bind ? ` and bound event channel ${bind.remotePort} (its own port ${bind.port})` : ''}: the shared ring is attached on the backend side.`,
        source: 'rings-and-evtchn.md §1.4, §5',
      },
    });
  const unmaps = hv.filter((e): e is Hv<'grant-unmap'> => e.kind === 'grant-unmap');
  const close = hv.find((e): e is Hv<'evtchn-close'> => e.kind === 'evtchn-close' && e.domid === 0);
  if (unmaps.length > 0 || close)
    marks.push({
      kind: 'ring',
      rank: 2,
      group: 'ring:unmap',
      caption: {
        text: `dom0 ${close ? 'closed its event channel (the frontend port reverts to unbound)' : ''}${close && unmaps.length > 0 ? ' and ' : ''}${unmaps.length > 0 ? `unmapped grant ${unmaps.map((u) => u.ref).join(', ')}` : ''}: the backend side of the ring is disconnected.`,
        source: 'rings-and-evtchn.md §4.2, §5',
      },
    });
  const held = hv.filter(
    (e): e is Hv<'grant-release'> => e.kind === 'grant-release' && e.outcome !== 'freed',
  );
  if (held.length > 0)
    marks.push({
      kind: 'grant',
      rank: 3,
      group: `grant:${held[0]!.outcome}`,
      caption: {
        text:
          held[0]!.outcome === 'deferred'
            ? `dom${held[0]!.domid} ended access to ${held.length} grant(s) still mapped by the backend: gnttab_end_foreign_access defers their free until the backend unmaps them.`
            : `dom${held[0]!.domid} ended access to ${held.length} grant(s) still in use: "leaking g.e. and page still in use".`,
        source: 'rings-and-evtchn.md §1.2',
      },
    });
  if (hv.some((e) => e.kind === 'evtchn-send' && e.outcome === 'dropped'))
    marks.push({
      kind: 'evtchn',
      rank: 1,
      group: 'evtchn:dropped',
      caption: {
        text: 'A notification was sent on a port that is not bound: it is silently dropped.',
        source: 'rings-and-evtchn.md §4.2',
      },
    });
  return marks;
}

/** The toolstack writing a backend's state node itself (xl's close request: BE state = 5). */
function toolstackWriteMark(f: Effect<'node-write'>, entry: TraceEntry): StepMark | null {
  if (f.old === null || !entry.summary.startsWith(`${TOOLSTACK}:`)) return null;
  if (!/\/backend\/\w+\/\d+\/\w+\/state$/.test(f.path)) return null;
  const name = XENBUS_STATE_NAMES[Number(f.value)] ?? f.value;
  return {
    kind: 'toolstack-write',
    rank: 2,
    group: 'toolstack-write',
    caption: {
      text: `The toolstack wrote ${f.path} = ${f.value} (${name}) itself: a close request from outside the driver. The state protocol is not enforced by xenstore, and the backend's own cached state has not changed.`,
      source: 'xenbus.md §1, §6.1',
      highlight: { node: f.path },
    },
  };
}

function daemonLogMark(text: string): StepMark {
  const lost = /watch event (\S+) \((\S+)\) for (\S+) lost/.exec(text);
  if (lost)
    return {
      kind: 'daemon',
      rank: 4,
      group: 'daemon:lost',
      caption: {
        text: `The watch event for ${lost[1]} to ${lost[3]} is lost on its way (fault): the node changed, but its watcher is never told and will not re-read it.`,
        source: 'xenstore.md §7.2; xenbus.md §3.6',
        highlight: { node: lost[1]! },
      },
    };
  return {
    kind: 'daemon',
    rank: 4,
    group: 'daemon',
    caption: {
      text: `xenstored: ${text}. Watches and transactions are the daemon's state, attached to each domain's connection; the guests are not told what it lost.`,
      source: 'xenstore.md §1, §7.1',
    },
  };
}

function kernelMark(f: Effect<'actor'>): StepMark | null {
  if (f.change === 'frozen' || f.change === 'thawed')
    return {
      kind: 'kernel',
      rank: 3,
      group: `kernel:${f.change}`,
      caption: {
        text:
          f.change === 'frozen'
            ? `${f.actor} is frozen in memory with its devices as they are (kexec jump).`
            : `${f.actor} runs again after the jump back.`,
        source: 'kexec-handover.md §7.1',
      },
    };
  if (f.change === 'started' && !/\.K1$/.test(f.actor))
    return {
      kind: 'kernel',
      rank: 3,
      group: 'kernel:started',
      caption: {
        text: `${f.actor} starts in the same domain: a fresh kernel that knows nothing of its predecessor's devices, watches, grants or ports.`,
        source: 'kexec-handover.md §1',
      },
    };
  return null;
}

/** The marks of a step's effects other than transitions, logs of kernels and lint. */
export function effectMarks(entry: TraceEntry): StepMark[] {
  const marks: StepMark[] = [];
  const hv: HvEffect[] = [];
  for (const f of entry.effects) {
    let m: StepMark | null = null;
    if (f.k === 'timeout') m = timeoutMark(f, entry);
    else if (f.k === 'tx') m = txMark(f);
    else if (f.k === 'guest') m = guestMark(f.actor, f.e);
    else if (f.k === 'hv') {
      if (f.e.kind === 'rx-release') m = rxReleaseMark(f.e);
      else hv.push(f.e);
    } else if (f.k === 'node-write') m = toolstackWriteMark(f, entry);
    else if (f.k === 'log' && f.actor === 'xenstored') m = daemonLogMark(f.text);
    else if (f.k === 'actor') m = kernelMark(f);
    else if (f.k === 'device')
      m = {
        kind: 'device',
        rank: 1,
        group: `device:${f.change}`,
        caption: {
          text:
            f.change === 'created'
              ? `${deviceLabel(f.device)}: a device object for the new directory; the driver probes it.`
              : `${deviceLabel(f.device)}: the device object is freed.`,
          source: f.change === 'created' ? 'xenbus.md §3.2' : 'xenbus.md §3.7',
          highlight: { device: f.device },
        },
      };
    if (m) marks.push(m);
  }
  marks.push(...hvMarks(hv));
  if (entry.kind === 'xenstored' && /: RESET_WATCHES\b.*→ OK/.test(entry.summary)) {
    const removed = entry.effects.filter((f) => f.k === 'watch-remove').length;
    marks.push({
      kind: 'reset-watches',
      rank: removed > 0 ? 4 : 2,
      group: 'reset-watches',
      caption: {
        text: `RESET_WATCHES: xenstored drops every watch and open transaction of the domain's connection (${removed} watch${removed === 1 ? '' : 'es'} removed here), including any left by a previous kernel.`,
        source: 'xenstore.md §7.6',
      },
    });
  }
  return marks;
}
