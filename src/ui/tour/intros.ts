/**
 * A short introduction for every playable scenario: what to watch and why it matters, drawn from
 * the spec (scenarios.md describes each S-number; the other documents the mechanisms). Keyed by
 * scenario id. Pure data.
 */

export interface Intro {
  text: string;
  /** spec sections it is drawn from (specSources.ts format) */
  source: string;
}

export const INTROS: Readonly<Record<string, Intro>> = {
  S1: {
    text: "Watch a disk appear in a running guest. blkback publishes its limits and waits in InitWait; blkfront builds its ring, publishes ring-ref and event-channel and goes Initialised; blkback maps the ring, publishes the disk's geometry and goes Connected, and blkfront follows. InitWait exists so the frontend can read the backend's limits before it builds the ring (the 2006 frontend did not wait for it).",
    source: 'scenarios.md S1; xenbus.md §4.1, §4.2',
  },
  'S1-lost-event': {
    text: 'The vbd connect of S1, but the watch event that would tell blkfront the backend is Connected is lost on its way. Events carry a path, never a value: a driver learns a new state only from an event followed by a fresh read. Watch the frontend wait in Initialised while the backend sits Connected, and the lint point at the write nobody read.',
    source: 'xenstore.md §7.2; xenbus.md §3.6',
  },
  'S1-initialised-early': {
    text: 'A buggy backend publishes Initialised (3) where it should publish InitWait (2). A modern blkfront starts its part of the handshake only on InitWait, so nothing happens until the toolstack gives up waiting. xenstore does not enforce the state machine: anyone allowed to write a state node can write any number, and drivers act on what they read.',
    source: 'xenbus.md §1, §4.1, §7.4',
  },
  'S1-xenstored-restart': {
    text: "A connected disk, then xenstored is restarted, then the disk is detached. Watches and open transactions are the daemon's state, attached to each domain's connection, not something the guest holds. Whether they survive the restart decides whether the detach request still reaches the drivers: compare linux-2006 with linux-modern.",
    source: 'xenstore.md §1, §7.1; xenbus.md §6.1',
  },
  S2: {
    text: "A network interface connects with a third actor in the way. netback publishes its features and goes InitWait, netfront connects and goes straight to Connected (it never uses Initialised), but netback holds back its own Connected until the vif hotplug script writes hotplug-status=connected. Backend readiness can depend on dom0 userspace, and the protocol hides it by deferring the backend's Connected.",
    source: 'scenarios.md S2; xenbus.md §5.1',
  },
  'S2-script-fails': {
    text: 'The vif connect of S2, but the hotplug script fails. netback never writes Connected, so the backend stays in InitWait; the toolstack reports the failure and removes the device through the ordinary detach path.',
    source: 'scenarios.md S2; xenbus.md §6.1',
  },
  S3: {
    text: 'The toolstack detaches a connected disk. It removes nothing at first: it writes online=0 and state=Closing into the backend directory, a request, and waits up to 10 s for the backend to reach Closed. Watch blkfront close, blkback disconnect and unregister, and only then the toolstack delete both directories.',
    source: 'scenarios.md S3; xenbus.md §6.1',
  },
  'S3-older': {
    text: 'Detach of a mounted disk with an older blkfront: the frontend refuses ("Device in use; refusing to close") and waits in Closing for the last close. The toolstack\'s 10 s wait runs out and it forces the removal. Unplugging is negotiated through the state nodes, and the guest may say no.',
    source: 'scenarios.md S3; xenbus.md §6.1',
  },
  'S3-forced': {
    text: 'The mounted disk of S3-older, detached with force: the toolstack deletes the frontend directory inside its removal transaction, so the guest drops the device whatever its driver thinks. The backend then finds its peer gone and unregisters.',
    source: 'scenarios.md S3; xenbus.md §6.1, §6.4',
  },
  'S3-inflight': {
    text: 'A detach while an I/O request is still in flight in blkback. The backend cannot disconnect while requests are outstanding (EBUSY), so its ring stays mapped even as the device goes on closing; the lint flags resources still held at Closed.',
    source: 'xenbus.md §6.1, §7.1; rings-and-evtchn.md §5',
  },
  S4: {
    text: "The guest powers off with a disk and a nic connected. The frontend bus's shutdown hook closes each Connected frontend in turn (Closing, then a wait of up to 5 s), and the backends follow to Closed but keep their devices because online=1. A frontend can close without destroying its backend: the precondition for handing devices to a new kernel.",
    source: 'scenarios.md S4; xenbus.md §3.7, §6.2',
  },
  S5: {
    text: "The frontend publishes a ring-ref it never granted. blkback's grant map fails with GNTST_bad_gntref, and xenbus_dev_fatal writes an error node and switches the backend to Closing. Any fatal error on either side becomes the ordinary close protocol, with the error text left in xenstore for the administrator.",
    source: 'scenarios.md S5; xenbus.md §6.3; rings-and-evtchn.md §1.4',
  },
  S6: {
    text: "kexec of a 2006 guest with a connected disk and nic. The 2006 frontends have no shutdown hook, so both pairs stay Connected; the new kernel binds drivers only to devices in Initialising, ignores both, and finds its old watches still registered (EEXIST). dom0 goes on serving the old kernel's rings.",
    source: 'scenarios.md S6; kexec-handover.md §1; xenbus.md §3.2',
  },
  S6b: {
    text: 'The 2006 guest closes its frontends by hand before the kexec. The backends see Closed and unregister (there is no online node in 2006), the hotplug cleanup removes both directories, and the new kernel finds device/ empty: there was no way to shut the pair down without destroying the backend.',
    source: 'scenarios.md S6; kexec-handover.md §1',
  },
  S7: {
    text: 'kexec with Gerd Hoffmann\'s 2006 RFC. The shutdown hook closes each frontend, but xenbus_closing_done sends it back to Initialising instead of Closed, and the backend goes from Closing to InitWait ("prepare for reconnect"). The successor kernel probes the devices and reconnects on new rings; netfront\'s rx-buffer release shows what leaks.',
    source: 'scenarios.md S7; kexec-handover.md §2, §2.1',
  },
  S8: {
    text: 'kexec with what xen-unstable actually merged in 2006. The frontends close to Closed and the backends are kept (online=1), but the new kernel binds drivers only to devices in Initialising: state 6 is ignored and the backends wait in Closed forever. Keeping the backend is necessary but not sufficient; somebody has to move the frontend back to Initialising.',
    source: 'scenarios.md S8; kexec-handover.md §3',
  },
  S9: {
    text: "Modern kexec of an HVM guest. The old kernel closes every frontend and the backends are kept (online=1). The new kernel sends RESET_WATCHES to drop its predecessor's watches, then xenbus_reset_state writes each Closed frontend back to Initialising, the backend follows to InitWait, and the normal handshakes run again on new rings.",
    source: 'scenarios.md S9; kexec-handover.md §5; xenstore.md §7.6',
  },
  S9b: {
    text: 'Modern kdump: the guest panics and its crash kernel boots without device_shutdown, so it finds every device still Connected. The reset walks each frontend down (Closing, Closed, then Initialising), waiting each time for the backend to follow, before the normal probe reconnects it.',
    source: 'scenarios.md S9; kexec-handover.md §5',
  },
  S9c: {
    text: 'Modern kexec with soft reset: after its shutdown the old kernel asks Xen for SHUTDOWN_soft_reset, and the toolstack tears the devices down, resets the domain (grants, event channels) and re-creates the devices in Initialising. The new kernel finds fresh devices, so its own reset code has nothing to do (an inference of the spec).',
    source: 'scenarios.md S9; kexec-handover.md §5',
  },
  S10: {
    text: 'A network interface is detached and attached again three times while eth0 is up with rx buffers posted. With 2006 page flipping every posted buffer is a frame handed to Xen, and on teardown the buffers netback never filled do not come back: driver_pages grows each cycle (linux-2006, the RFC) or returns to its baseline (the merged code). Modern netfront only grants its pages, so nothing leaks.',
    source: 'scenarios.md S10; kexec-handover.md §4',
  },
  S11: {
    text: "blkback writes Connected and, because of a fault, Closing right after, while the guest's xenwatch thread is held. Once released, both queued events run callbacks that read the current value, Closing, so blkfront never sees Connected. xenbus is level-triggered: drivers act on the state they read and must tolerate skipped states.",
    source: 'scenarios.md S11; xenbus.md §3.6; xenstore.md §7.4',
  },
  S12: {
    text: "blkback's connect() transaction races with the hotplug script, which adds hotplug-status under the backend directory while the transaction is open. The commit fails with EAGAIN (read-set rule): none of its writes become visible and no watch fires, and blkback runs the whole transaction again.",
    source: 'scenarios.md S12; xenstore.md §8.2, §8.3',
  },
  'S12-global': {
    text: 'The connect() transaction of S12, this time under the 2006 global conflict rule. A write anywhere in the store (here the guest writing data/foo) makes the commit fail with EAGAIN, although it touched nothing the transaction read.',
    source: 'scenarios.md S12; xenstore.md §8.2',
  },
  S13: {
    text: "dom0's backends are paused, then the guest kexecs. Each frontend's shutdown wait gives up after 5 s (\"timeout closing device\"), one device after another, and the frontends are left in Closing. A frontend left in Closing is not one the successor's reset handles, so the new kernel ignores it (an inference of the spec).",
    source: 'scenarios.md S13; xenbus.md §3.7; kexec-handover.md §5',
  },
  S14: {
    text: "kexec jump on Linux's pm-freeze path (inference throughout). The frontends stay Connected when the first kernel freezes; the second kernel resets them and connects its own rings; on the way back blkfront resumes onto a new ring that the still-Connected backend never maps, and I/O hangs. A resumable kexec needs explicit detach and reattach.",
    source: 'scenarios.md S14; kexec-handover.md §7.3',
  },
  'S14-fail-early': {
    text: "kexec jump under Biederman's option (a): before committing to anything, the kernel checks whether every bound device can be reattached after the jump. xenbus devices cannot, so the jump is refused and nothing changes.",
    source: 'scenarios.md S14; kexec-handover.md §7.2',
  },
  'S14-unplug-replug': {
    text: "kexec jump under Biederman's option (b): the jump detaches the devices the way a kexec shuts them down (Closed, backends kept), and the return reattaches them by resetting the frontends to Initialising and reconnecting. This is the policy that works.",
    source: 'scenarios.md S14; kexec-handover.md §7.2, §7.3',
  },
  S15: {
    text: 'The toolstack saves the guest while a guest thread holds a xenstore transaction open. xs_suspend has to wait until the client has no users (requests in flight plus one per open transaction); new requests are still admitted meanwhile, and once the users reach zero every new request blocks until resume.',
    source: 'scenarios.md S15; kexec-handover.md §6',
  },
  S16: {
    text: "After a kexec xenstored still holds the old kernel's watches: the new kernel's identical registrations get EEXIST, and writes to the backends' state fire events with tokens it does not know, which it drops. Modern HVM kernels clear them with RESET_WATCHES at boot; the 2006 RFC unwatched in xs_suspend.",
    source: 'scenarios.md S16; xenstore.md §7.1, §7.6',
  },
  'S16-no-feature': {
    text: "Modern kexec without control/platform-feature-xs_reset_watches. The new kernel does not send RESET_WATCHES, so the old kernel's watches stay in xenstored: EEXIST on re-registration and dropped events, as if there were no cleanup at all.",
    source: 'scenarios.md S16; xenstore.md §7.6',
  },
  S17: {
    text: 'A multi-page ring. blkback offers max-ring-page-order=2 and the frontend could do 4, so it uses min(4, 2) = 2: it grants four pages and writes ring-page-order and ring-ref0..3 instead of ring-ref. The ring size is negotiated through InitWait, with defaults when a node is absent.',
    source: 'scenarios.md S17; rings-and-evtchn.md §6',
  },
  'many-devices': {
    text: '32 guests, each given a disk and a nic (64 device pairs), then each kexecs and its successor reconnects both devices. Every pair runs the modern handshakes of S1 and S2 and the handover of S9; with this many pairs the world map shows a state matrix.',
    source: 'scenarios.md S1, S2, S9',
  },
};

/** The introduction of a scenario, or null for an unknown id. */
export function introFor(scenarioId: string): Intro | null {
  return INTROS[scenarioId] ?? null;
}
