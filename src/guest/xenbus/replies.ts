/**
 * Replies from the ring: match one to its waiting request (by req_id), leave the critical region
 * (xs_request_exit), decode it as xs_talkv() does, and hand the caller's continuation back.
 */
import type { XsMsg } from '../../xenstore';
import { XsType, bytesToString, splitStrings } from '../../xenstore';
import { ERRNO, getError } from './errors';
import { pumpBlocked, setUsers } from './requests';
import { advanceSuspend } from './suspend';
import type { ClientStep, InFlightRequest, XenbusClientState, XenbusResult } from './types';
import { applyWatchReply } from './watches';

/**
 * xs_talkv() after the wait: an ERROR reply gives its errno, a reply of another type EINVAL. `value`
 * is the payload as text without its trailing NUL; `strings` its NUL-terminated strings.
 */
export function decodeXenbusReply(reqType: number, msg: XsMsg): XenbusResult {
  if (msg.type === XsType.ERROR) {
    const error = splitStrings(msg.payload)[0] ?? bytesToString(msg.payload);
    return { ok: false, error, errno: getError(error) };
  }
  if (msg.type !== reqType) return { ok: false, error: 'EINVAL', errno: ERRNO.EINVAL };
  const payload = msg.payload;
  const text = bytesToString(payload);
  const value = text.endsWith('\0') ? text.slice(0, -1) : text;
  const firstNul = payload.indexOf(0);
  // no NUL: no strings; one NUL, at the end: the one string is the value (decoded alike)
  let strings: string[];
  if (firstNul < 0) strings = [];
  else if (firstNul === payload.length - 1) strings = [value];
  else strings = splitStrings(payload);
  return { ok: true, value, strings };
}

/**
 * xenbus_xs.c xs_request_exit(): one user less, and one more for a TRANSACTION_END, or for a
 * TRANSACTION_START whose reply is an error (its transaction never opened). `replyType` is the
 * type the request's message carries at exit: the reply's, or the request's own when aborted.
 */
export function xsRequestExit(
  state: XenbusClientState<unknown, unknown>,
  req: InFlightRequest<unknown>,
  replyType: number,
  step: ClientStep<unknown>,
): void {
  let users = state.suspend.users - 1;
  const endsTx =
    (req.type === XsType.TRANSACTION_START && replyType === XsType.ERROR) ||
    req.type === XsType.TRANSACTION_END;
  if (endsTx) {
    users -= 1;
    state.transactions -= 1;
  }
  setUsers(state, users, step);
}

/** The transaction id list follows TRANSACTION_START / TRANSACTION_END replies (for display). */
function trackTxIds(
  state: XenbusClientState<unknown, unknown>,
  req: InFlightRequest<unknown>,
  r: XenbusResult,
) {
  if (req.type === XsType.TRANSACTION_START && r.ok) {
    const id = Number.parseInt(r.value, 10);
    if (Number.isFinite(id)) state.openTxIds.push(id);
  } else if (req.type === XsType.TRANSACTION_END) {
    state.openTxIds = state.openTxIds.filter((id) => id !== req.txId);
  }
}

/**
 * What xenbus_thread's process_msg() and the woken xs_wait_for_reply() do with one reply. [modern]
 * the reply is matched by req_id; [2006] it belongs to the single request in flight.
 */
export function handleReply<K>(state: XenbusClientState<K, unknown>, msg: XsMsg, step: ClientStep<K>): void {
  const inFlight = state.inFlight;
  let index = 0;
  if (state.options.mode === 'modern') {
    index = -1;
    for (let i = 0; i < inFlight.length; i++) {
      if ((inFlight[i] as InFlightRequest<K>).reqId === msg.reqId) {
        index = i;
        break;
      }
    }
  }
  const req = inFlight[index];
  if (req === undefined) {
    const aborted = state.aborted.indexOf(msg.reqId);
    if (aborted >= 0) state.aborted.splice(aborted, 1);
    step.effects.push({
      kind: 'xs-reply-dropped',
      reqId: msg.reqId,
      reason: aborted >= 0 ? 'aborted' : 'no-request',
    });
    return;
  }
  inFlight.splice(index, 1);
  const result = decodeXenbusReply(req.type, msg);
  if (step.quietIo !== true)
    step.effects.push(
      result.ok
        ? { kind: 'xs-reply', reqId: req.reqId, type: req.type, ok: true }
        : { kind: 'xs-reply', reqId: req.reqId, type: req.type, ok: false, error: result.error },
    );
  xsRequestExit(state, req, msg.type, step);
  trackTxIds(state, req, result);
  applyWatchReply(state, req, result, step);
  if (req.waiter.kind === 'caller') {
    const given = req.purpose === 'reset-watches' ? resetWatchesResult(result, step) : result;
    step.wakeups.push({ kind: 'reply', k: req.waiter.k, reqId: req.reqId, type: req.type, result: given });
  }
  pumpBlocked(state, step);
  advanceSuspend(state, step);
}

/** xs_reset_watches(): EEXIST counts as success; another error is only a warning. */
function resetWatchesResult(result: XenbusResult, step: ClientStep<unknown>): XenbusResult {
  if (result.ok) return result;
  if (result.error === 'EEXIST') return { ok: true, value: '', strings: [] };
  step.effects.push({ kind: 'warning', message: `xs_reset_watches failed: -${result.errno}` });
  return result;
}
