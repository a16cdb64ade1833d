/**
 * Message encoder: header + payload in one buffer, ready for a socket write or a ring copy.
 * Pure: no Node built-ins.
 */
import type { XsMsg } from '../types';
import { XSD_SOCKMSG_SIZE, writeHeader } from './header';

/**
 * Encodes messages back to back (struct xsd_sockmsg then the payload, for each) into one buffer, so a
 * batch of replies costs one socket write.
 *
 * The payload is not limited to XENSTORE_PAYLOAD_MAX here, so tests can produce the oversize frames a
 * daemon must reject; the decoder is where the limit is enforced. Throws RangeError only for header
 * fields that are not u32 (a caller bug).
 */
export function encodeMsgs(msgs: readonly XsMsg[]): Uint8Array {
  let total = 0;
  for (const m of msgs) total += XSD_SOCKMSG_SIZE + m.payload.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const m of msgs) {
    writeHeader(out, offset, { type: m.type, reqId: m.reqId, txId: m.txId, len: m.payload.length });
    out.set(m.payload, offset + XSD_SOCKMSG_SIZE);
    offset += XSD_SOCKMSG_SIZE + m.payload.length;
  }
  return out;
}

/** Encodes one message. */
export function encodeMsg(msg: XsMsg): Uint8Array {
  return encodeMsgs([msg]);
}
