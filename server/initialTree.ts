/**
 * The nodes xenstored creates when it starts, so that a fresh server looks like a fresh real daemon.
 *
 * xenstored 4.17 (xenstored_core.c setup_structure() and its caller) leaves exactly two nodes in a new
 * store, both owned by dom0 with no access for others: `/` and `/tool/xenstored` (and so `/tool`).
 * `/local/domain/0` is not created by the daemon; the toolstack does that (FINDINGS: "Fresh store").
 */
import { XsType, parseErrorPayload, requestMsg } from '../src/xenstore';
import type { StorePort } from './storePort';

/** Paths created at start, parents first; each gets an empty value and the parent's `n0`. */
export const INITIAL_NODES = ['/tool', '/tool/xenstored'] as const;

/** Creates the start-up nodes through an ordinary dom0 connection (MKDIR), then closes it. */
export function createInitialTree(store: StorePort): void {
  const conn = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  try {
    for (const path of INITIAL_NODES) {
      const { reply } = store.handle(conn, requestMsg('MKDIR', [path]));
      if (reply === null || reply.type === XsType.ERROR) {
        const why = reply === null ? 'no reply' : parseErrorPayload(reply.payload);
        throw new Error(`cannot create ${path} at start-up: ${why}`);
      }
    }
  } finally {
    store.disconnect(conn);
  }
}
