/** The one message the daemon sends unasked. Pure. */
import type { XsMsg } from '../types';
import { XsType } from '../types';
import { joinStrings } from '../payload';

/** xenstored_watch.c send_event(): WATCH_EVENT `path\0token\0`, req_id 0, tx_id 0. */
export function watchEventMsg(path: string, token: string): XsMsg {
  return { type: XsType.WATCH_EVENT, reqId: 0, txId: 0, payload: joinStrings([path, token]) };
}
