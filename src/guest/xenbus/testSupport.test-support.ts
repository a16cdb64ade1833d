/** Test scaffolding: replies as xenstored would send them for a request message. */
import type { XsMsg } from '../../xenstore';
import { XsType, joinStrings, stringToBytes } from '../../xenstore';

/** An OK-type reply echoing the request; `value` is sent NUL-terminated (as xenstored does for ids). */
export function okReply(req: XsMsg, value = 'OK'): XsMsg {
  return { type: req.type, reqId: req.reqId, txId: req.txId, payload: joinStrings([value]) };
}

/** A READ reply: the raw value, no NUL. */
export function readReply(req: XsMsg, value: string): XsMsg {
  return { type: req.type, reqId: req.reqId, txId: req.txId, payload: stringToBytes(value) };
}

export function errReply(req: XsMsg, error: string): XsMsg {
  return { type: XsType.ERROR, reqId: req.reqId, txId: req.txId, payload: joinStrings([error]) };
}

/** The one message a step put on the ring (throws unless exactly one). */
export function only(msgs: XsMsg[]): XsMsg {
  if (msgs.length !== 1) throw new Error(`expected one outgoing message, got ${msgs.length}`);
  return msgs[0] as XsMsg;
}
