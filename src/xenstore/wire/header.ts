/**
 * The fixed 16-byte message header, `struct xsd_sockmsg` (xen/include/public/io/xs_wire.h):
 *
 *     struct xsd_sockmsg { uint32_t type; uint32_t req_id; uint32_t tx_id; uint32_t len; };
 *
 * Xen runs little-endian on every platform xenstored supports, so the fields are read and written as
 * little-endian u32 regardless of the host. Pure: no Node built-ins, works in the browser.
 */

/** sizeof(struct xsd_sockmsg) */
export const XSD_SOCKMSG_SIZE = 16;

/** Largest value a u32 header field can hold. */
export const U32_MAX = 0xffff_ffff;

/** xs_wire.h struct xsd_sockmsg, with `len` the payload length in bytes. */
export interface XsdSockmsg {
  type: number;
  reqId: number;
  txId: number;
  len: number;
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= U32_MAX;
}

/**
 * Writes `header` at `offset` of `out` (which must have 16 bytes there).
 * Throws RangeError when a field is not a u32: that is a caller bug, not wire input.
 */
export function writeHeader(out: Uint8Array, offset: number, header: XsdSockmsg): void {
  for (const key of ['type', 'reqId', 'txId', 'len'] as const) {
    if (!isU32(header[key])) throw new RangeError(`xsd_sockmsg.${key} is not a u32: ${header[key]}`);
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, XSD_SOCKMSG_SIZE);
  view.setUint32(0, header.type, true);
  view.setUint32(4, header.reqId, true);
  view.setUint32(8, header.txId, true);
  view.setUint32(12, header.len, true);
}

/** Reads the header at `offset`; the caller guarantees 16 readable bytes there. */
export function readHeader(bytes: Uint8Array, offset: number): XsdSockmsg {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, XSD_SOCKMSG_SIZE);
  return {
    type: view.getUint32(0, true),
    reqId: view.getUint32(4, true),
    txId: view.getUint32(8, true),
    len: view.getUint32(12, true),
  };
}
