/**
 * Restarting xenstored while domains run. [modern]: `xenstore-control live-update -s -F -t 5`
 * (xenstored_control.c do_lu_start): the daemon waits for open transactions to end, at most the
 * timeout, then dumps its state and executes itself again; connections and watches survive, and
 * transactions still open (forced) are dropped. [2006]: no live update; the daemon is killed and
 * started again on its tdb file (setup_structure reopens it), so the tree survives but every
 * connection's watches and transactions, kept in memory only, are lost. The guests are not told.
 */
import type { KernelEnv } from '../../guest/kernel/env';
import { at, wait, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';

/** `-t`: how long a live update waits for open transactions before it is forced (`-F`). */
export const LIVE_UPDATE_TIMEOUT_MS = 5000;
/** The key the toolstack waits on; the world wakes it when the last open transaction ends. */
export const XENSTORED_IDLE = 'xenstored-idle';

export function* restartXenstored(env: KernelEnv): Routine {
  if (env.profile.store.version === 'modern') {
    yield* at('do_lu_start', 'tools/xenstore/xenstored_control.c');
    yield* sys('log', `xenstore-control live-update -s -F -t ${LIVE_UPDATE_TIMEOUT_MS / 1000}`);
    const deadline = (yield* sys('now')) + LIVE_UPDATE_TIMEOUT_MS;
    for (;;) {
      const open = yield* sys('xsOpenTransactions');
      if (open === 0) break;
      const left = deadline - (yield* sys('now'));
      if (left <= 0 || (yield* wait(XENSTORED_IDLE, left)) === 'timeout') {
        yield* sys('log', `live update forced with ${open} transaction(s) open`);
        break;
      }
    }
    yield* sys('xenstoredRestart', 'live-update');
    return;
  }
  yield* at('setup_structure', 'tools/xenstore/xenstored_core.c');
  yield* sys('log', 'xenstored killed and started again on its tdb file');
  yield* sys('xenstoredRestart', 'restart');
}
