/**
 * One-line step summaries of xenstored's steps: the request as text and its answer, e.g.
 * `dom0.K1: WRITE [tx 3] /local/domain/1/device/vbd/51712/state = "1" → OK`.
 */
import { XsType, bytesToString, splitStrings, type XsMsg } from '../../xenstore';

export const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(XsType).map(([name, n]) => [n, name]),
);

/**
 * A request's NUL-terminated strings, separated by spaces. As in splitStrings(), whose memo of
 * recent names this reuses (a path is usually decoded already), bytes after the last NUL are no
 * string and are not shown.
 */
export function argsText(payload: Uint8Array): string {
  const strings = splitStrings(payload);
  return strings.length === 1 ? (strings[0] as string) : strings.join(' ');
}

/** A reply's text without its terminating NUL. */
export function replyText(payload: Uint8Array): string {
  const n = payload.length;
  return bytesToString(payload, 0, n > 0 && payload[n - 1] === 0 ? n - 1 : n);
}

/** WRITE shows `path = "value"`, other requests their arguments. */
function requestText(msg: XsMsg): string {
  if (msg.type !== XsType.WRITE) return argsText(msg.payload);
  const raw = bytesToString(msg.payload);
  const nul = raw.indexOf('\0');
  return nul >= 0 ? `${raw.slice(0, nul)} = "${raw.slice(nul + 1)}"` : raw;
}

/** A request as it waits to be handled: `dom0.xl: WRITE [tx 2] /local/… = "1"`. */
export function requestSummary(from: string, msg: XsMsg): string {
  const tx = msg.txId ? ` [tx ${msg.txId}]` : '';
  return `${from}: ${TYPE_NAMES[msg.type] ?? msg.type}${tx} ${requestText(msg)}`;
}

/** The summary of xenstored handling `msg` from `from`; `reply` null when the connection dropped. */
export function xenstoredSummary(from: string, msg: XsMsg, reply: XsMsg | null): string {
  const answer =
    reply === null
      ? 'connection dropped'
      : reply.type === XsType.ERROR
        ? replyText(reply.payload)
        : msg.type === XsType.READ || msg.type === XsType.TRANSACTION_START
          ? `"${replyText(reply.payload)}"`
          : 'OK';
  return `${requestSummary(from, msg)} → ${answer}`;
}
