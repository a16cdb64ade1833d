/**
 * Captions for driver state changes (the trace's `transition` effects): for blkfront, blkback,
 * netfront, netback (and, through kexecCaptions.ts, the kexec path), what entering the state means and what the driver
 * published or must do, with the spec section it comes from. The profile and the sketch of the
 * world before the step (sketch.ts) pick between readings of the same change. Pure.
 */
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';
import { deviceLabel, roleOf, splitDeviceKey, type DriverRole } from './devices';
import { kexecCaption } from './kexecCaptions';
import type { TraceSketch } from './sketch';
import type { Caption } from './types';

export interface TransitionContext {
  profile?: ProfileId;
  /** the world before the step (optional: without it the captions stay general) */
  sketch?: TraceSketch;
}

interface Change {
  key: string;
  role: DriverRole | null;
  from: string;
  to: string;
  /** 'blkfront in dom1.K1' */
  who: string;
  entry: TraceEntry;
  ctx: TransitionContext;
}

const is2006 = (p: ProfileId | undefined) => p !== undefined && p !== 'linux-modern';
const logged = (entry: TraceEntry, re: RegExp) => entry.effects.some((f) => f.k === 'log' && re.test(f.text));
/** the kernel of a frontend (or the kexec path) is going down: the xenbus core answers for the driver */
const shuttingDown = (c: Change) => c.ctx.sketch?.shuttingDown.has(splitDeviceKey(c.key).actor) ?? false;

/**
 * The XenbusState the other end's state node holds (a number), or null when unknown: a backend's
 * frontend is `/local/domain/<fe>/device/<type>/<id>`; its own state may have been written by
 * someone other than its driver (a toolstack, a new kernel's reset).
 */
function peerStateValue(c: Change): number | null {
  const m = /^backend\/(\w+)\/(\d+)\/(\w+)$/.exec(splitDeviceKey(c.key).rel);
  const value = m
    ? c.ctx.sketch?.stateNodes.get(`/local/domain/${m[2]}/device/${m[1]}/${m[3]}/state`)
    : undefined;
  return value === undefined ? null : Number(value);
}

function frontendRemoved(c: Change): Caption {
  return {
    text: `${c.who}: the device object is unregistered (its directory is gone or the driver was removed), so the ring grants are ended and the event channel closed. Removing the xenstore directories is the toolstack's job, not the driver's.`,
    source: 'xenbus.md §3.7, §6.1',
  };
}

function backendRemoved(c: Change): Caption {
  return {
    text: `${c.who}: device_unregister. The device object is gone; the backend directory stays in xenstore until the toolstack removes it.`,
    source: 'xenbus.md §6.4',
  };
}

/** The kernel routine a step ran in ("… reply to WRITE → kernel.kexec" → 'kernel.kexec'). */
const routineOf = (entry: TraceEntry) => /→ (\S+)$/.exec(entry.summary)?.[1] ?? '';

/**
 * A frontend entering Closing: its own fatal error, the shutdown hook (reboot, kexec), a detach for
 * a kexec jump, a close by hand, or (older blkfront) a refused close while the disk is open.
 */
function frontendClosing(c: Change): Caption {
  const routine = routineOf(c.entry);
  if (c.from !== 'Connected')
    return {
      text: `${c.who} gave up (xenbus_dev_fatal): an error node is written and the device switches to Closing, which starts an orderly close of both ends.`,
      source: 'xenbus.md §3.5',
    };
  if (routine === 'kernel.closeFrontends')
    return {
      text: `${c.who} is closed by hand (driver unbind): it switches to Closing and the backend will follow.`,
      source: 'scenarios.md S6; xenbus.md §6.2',
    };
  if (routine === 'kernel.kexecJump' || routine === 'kernel.jumpBack')
    return {
      text: `unplug-replug detaches ${c.who} for the jump the way a kexec shuts it down: Closing, then Closed, with the backend kept.`,
      source: 'kexec-handover.md §7.2, §7.3',
    };
  if (routine === 'xenbus.otherendChanged' || logged(c.entry, /refusing to close/))
    return {
      text: `The backend asks to close but the disk is open, so ${c.who} (an older blkfront) refuses: it writes "Device in use; refusing to close" to its error node and stays in Closing until the last user closes it.`,
      source: 'xenbus.md §6.1',
    };
  if (c.ctx.profile === 'kexec-patch-2006')
    return {
      text: `device_shutdown() runs the RFC's xenbus_dev_shutdown: ${c.who} sets shutdown_in_progress, switches to Closing and waits up to 5 s for the backend.`,
      source: 'kexec-handover.md §2, §2.1',
    };
  return {
    text: `device_shutdown() runs the frontend bus's shutdown hook: ${c.who} was Connected, so it switches to Closing and waits up to 5 s for the backend to follow.`,
    source: 'xenbus.md §3.7, §6.2',
  };
}

function frontendClosed(c: Change): Caption {
  if (shuttingDown(c))
    return {
      text: `The backend is Closing while the system shuts down, so the xenbus core does not call the driver: xenbus_frontend_closed writes Closed for ${c.who} and completes the shutdown wait.`,
      source: 'xenbus.md §3.3, §3.7',
    };
  return {
    text: `${c.who} saw the backend Closing (or Closed) and closed: the disk or interface is taken down and xenbus_frontend_closed writes Closed, which lets the backend disconnect.`,
    source: 'xenbus.md §6.1, §7.4, §7.5',
  };
}

function frontendBackToInitialising(c: Change): Caption {
  if (c.from === 'Closing')
    return {
      text: `The close was started by this kernel (shutdown_in_progress), so xenbus_closing_done sends ${c.who} back to Initialising, not to Closed: the device is left for the next kernel to probe.`,
      source: 'kexec-handover.md §2, §2.1',
    };
  if (c.from === 'Connected')
    return {
      text: `After the jump back, xenbus_dev_resume sets ${c.who}'s cached state to Initialising without writing it (the store still says Connected) and calls the driver's resume hook.`,
      source: 'kexec-handover.md §7.3',
    };
  return {
    text: `${c.who} is back in Initialising, the only state in which a new driver will bind to it.`,
    source: 'xenbus.md §1, §3.2',
  };
}

const BLKFRONT = (c: Change): Caption => {
  switch (c.to) {
    case 'Initialised':
      if (c.from === 'Connected')
        return {
          text: `${c.who} resumed after the jump back: blkfront_resume built a new ring and published a fresh ring-ref and event-channel (Initialised), while the backend is still Connected to the ring it mapped before.`,
          source: 'kexec-handover.md §7.3',
        };
      if (is2006(c.ctx.profile))
        return {
          text: `${c.who} granted its ring page, allocated an event channel and published ring-ref and event-channel right from probe, without waiting for InitWait (the 2006 driver does not negotiate); now Initialised.`,
          source: 'xenbus.md §4.2',
        };
      return {
        text: `${c.who} saw the backend in InitWait: it read the backend's limits, granted the ring page to dom0, allocated an unbound event channel and published ring-ref, event-channel and protocol in one transaction (talk_to_blkback). Now Initialised: waiting for the backend to map the ring.`,
        source: 'xenbus.md §4.1, §7.4',
      };
    case 'Connected':
      if (logged(c.entry, /recovered, requests requeued/))
        return {
          text: `${c.who} saw the backend Connected and ran blkif_recover: Connected again, on a ring the backend never mapped, so the requeued I/O will never complete.`,
          source: 'kexec-handover.md §7.3',
        };
      return {
        text: `The backend is Connected, so ${c.who} read sectors, info, sector-size and the features (blkfront_connect), added the disk and switched to Connected: the vbd handshake is complete.`,
        source: 'xenbus.md §4.1, §7.4',
      };
    case 'Closing':
      return frontendClosing(c);
    case 'Closed':
      return frontendClosed(c);
    case 'Initialising':
      return frontendBackToInitialising(c);
    case 'Removed':
      return frontendRemoved(c);
  }
  return { text: `${c.who}: ${c.from} → ${c.to}.`, source: 'xenbus.md §7.4' };
};

const NETFRONT = (c: Change): Caption => {
  switch (c.to) {
    case 'Connected':
      if (is2006(c.ctx.profile))
        return {
          text: `${c.who} saw InitWait: network_connect granted the tx and rx rings, published them with the event channel and its receive options, posted rx buffers and went straight to Connected.`,
          source: 'xenbus.md §5.2',
        };
      return {
        text: `${c.who} saw InitWait: it checked feature-rx-copy, granted its tx and rx ring pages, allocated the event channel, published them with request-rx-copy=1, posted its rx buffers and switched straight to Connected (netfront never uses Initialised).`,
        source: 'xenbus.md §5.1, §7.5',
      };
    case 'Closing':
      return frontendClosing(c);
    case 'Closed':
      return frontendClosed(c);
    case 'Initialising':
      if (c.from === 'Closing')
        return {
          text: `netfront_closing unregistered the interface and released the rx buffers; as the close was this kernel's own (shutdown_in_progress), xenbus_closing_done sends ${c.who} back to Initialising for the next kernel.`,
          source: 'kexec-handover.md §2, §2.1',
        };
      return frontendBackToInitialising(c);
    case 'Removed':
      return frontendRemoved(c);
  }
  return { text: `${c.who}: ${c.from} → ${c.to}.`, source: 'xenbus.md §7.5' };
};

/** InitWait entered from Closing/Closed: the backend waits for a new frontend instead of going away. */
function backendReconnect(c: Change): Caption {
  if (c.from === 'Closing')
    return {
      text: `The frontend went back to Initialising while ${c.who} was still Closing: under the 2006 RFC's rule it prints "prepare for reconnect" and returns to InitWait, ready for the next kernel's ring.`,
      source: 'xenbus.md §7.2; kexec-handover.md §2.1',
    };
  return {
    text: `The frontend is back in Initialising while ${c.who} is Closed and kept (online=1): "prepare for reconnect", InitWait again, ready for a new ring from the successor kernel.`,
    source: c.role === 'netback' ? 'xenbus.md §7.3' : 'xenbus.md §7.1',
  };
}

function backendClosing(c: Change): Caption {
  const fatal = logged(c.entry, /mapping in shared page|fatal|exceed/);
  const peer = peerStateValue(c);
  // the frontend is neither Closing (5) nor Closed (6) nor gone (0): the backend closes on its own
  if (fatal || (peer !== null && peer !== 5 && peer !== 6 && peer !== 0))
    return {
      text: `${c.who} gave up on the connection itself (xenbus_dev_fatal writes an error node) and switched to Closing: a fatal error on either side becomes the ordinary close protocol.`,
      source: 'xenbus.md §3.5, §6.3',
    };
  if (c.role === 'netback' && c.from === 'Connected')
    return {
      text: `The frontend is closing: set_backend_state walks ${c.who} from Connected to Closing, disconnecting first (rings unmapped, event channel unbound).`,
      source: 'xenbus.md §6.2, §7.3',
    };
  return {
    text: `The frontend is closing, so ${c.who} follows: frontend_changed(Closing) switches it to Closing.`,
    source: 'xenbus.md §6.2, §7.1',
  };
}

function backendClosed(c: Change): Caption {
  if (c.ctx.profile === 'linux-2006' || c.ctx.profile === 'kexec-patch-2006')
    return {
      text: `The frontend is Closed: ${c.who} disconnects and, in this 2006 code, unregisters the device whatever happens next (there is no online node yet).`,
      source: 'xenbus.md §7.2, §6.4',
    };
  return {
    text: `The frontend is Closed: ${c.who} disconnected (event channel unbound, ring unmapped) and switched to Closed. With online=1 it keeps the device for a reconnect; with online=0 it unregisters it.`,
    source: c.role === 'netback' ? 'xenbus.md §6.1, §7.3' : 'xenbus.md §6.1, §7.1',
  };
}

const BLKBACK = (c: Change): Caption => {
  switch (c.to) {
    case 'InitWait':
      if (c.from !== 'Initialising') return backendReconnect(c);
      if (is2006(c.ctx.profile))
        return {
          text: `${c.who} probed the new device and switched to InitWait; the hotplug script's physical-device and the frontend's ring details are still to come.`,
          source: 'xenbus.md §4.1, §4.2',
        };
      return {
        text: `${c.who} probed the new device, published its limits (feature-max-indirect-segments, multi-queue-max-queues, max-ring-page-order) and switched to InitWait: hotplug done or not, it now waits for physical-device and for the frontend's ring-ref and event-channel.`,
        source: 'xenbus.md §4.1',
      };
    case 'Connected':
      return {
        text: `${c.who} mapped the frontend's ring (grant map of ring-ref) and bound its event channel (connect_ring), then connect() wrote sectors, info, sector-size and the features in one transaction and switched to Connected.`,
        source: 'xenbus.md §4.1, §7.1',
      };
    case 'Closing':
      return backendClosing(c);
    case 'Closed':
      return backendClosed(c);
    case 'Removed':
      return backendRemoved(c);
  }
  return { text: `${c.who}: ${c.from} → ${c.to}.`, source: 'xenbus.md §7.1' };
};

const NETBACK = (c: Change): Caption => {
  switch (c.to) {
    case 'InitWait':
      if (c.from !== 'Initialising') return backendReconnect(c);
      return {
        text: `${c.who} probed: it wrote its features (feature-rx-copy, offloads, multi-queue) and switched to InitWait, then created the vif interface; the toolstack now runs the vif hotplug script.`,
        source: is2006(c.ctx.profile) ? 'xenbus.md §5.2' : 'xenbus.md §5.1',
      };
    case 'Connected':
      if (/hotplugStatusChanged/.test(c.entry.summary))
        return {
          text: `hotplug-status is now "connected": ${c.who} writes the Connected it had held back since connect() mapped the rings, and drops its hotplug-status watch.`,
          source: 'xenbus.md §5.1',
        };
      return {
        text: `The frontend is Connected: ${c.who} mapped the tx and rx rings, bound the event channel and switched to Connected.`,
        source: is2006(c.ctx.profile) ? 'xenbus.md §5.2' : 'xenbus.md §5.1, §7.3',
      };
    case 'Closing':
      return backendClosing(c);
    case 'Closed':
      return backendClosed(c);
    case 'Removed':
      return {
        text: `${c.who}: device_unregister (netback_remove removes hotplug-status, sends the offline uevent, frees the vif).`,
        source: 'xenbus.md §6.1',
      };
  }
  return { text: `${c.who}: ${c.from} → ${c.to}.`, source: 'xenbus.md §7.3' };
};

const BY_ROLE: Readonly<Record<Exclude<DriverRole, 'kexec'>, (c: Change) => Caption>> = {
  blkfront: BLKFRONT,
  blkback: BLKBACK,
  netfront: NETFRONT,
  netback: NETBACK,
};

/** The caption of one state change of `key` in `entry`, highlighting the device. */
export function transitionCaption(
  key: string,
  from: string,
  to: string,
  entry: TraceEntry,
  ctx: TransitionContext,
): Caption {
  const role = roleOf(key);
  const c: Change = { key, role, from, to, who: deviceLabel(key), entry, ctx };
  let caption: Caption;
  if (role === 'kexec') caption = kexecCaption(key, from, to, ctx.profile);
  else if (role === null) caption = { text: `${key}: ${from} → ${to}.`, source: 'xenbus.md §1' };
  else caption = BY_ROLE[role](c);
  return { ...caption, highlight: { device: key } };
}
