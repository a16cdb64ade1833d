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

/** `OK\0`: what most replies carry (WRITE, MKDIR, SET_PERMS, WATCH, TRANSACTION_END …). */
function isOkPayload(payload: Uint8Array): boolean {
  return payload.length === 3 && payload[0] === 0x4f && payload[1] === 0x4b && payload[2] === 0;
}

/**
 * Results are shared where they repeat: callers never change a result (the simulator keeps every
 * one a routine was given, to replay it), so the same answer can be one frozen object. OK, the
 * errors, and single short strings (a state, a ring-ref, a backend path) are shared; the memo of
 * strings is bounded and simply restarts when full.
 */
const OK_RESULT: XenbusResult = Object.freeze({
  ok: true,
  value: 'OK',
  strings: Object.freeze(['OK']) as string[],
});
const ERROR_RESULTS = new Map<string, XenbusResult>();
/** Replies without a NUL (a READ's raw value): no strings. */
const RAW_RESULTS = new Map<string, XenbusResult>();
/** Replies that are one NUL-terminated string. */
const ONE_STRING_RESULTS = new Map<string, XenbusResult>();
const SHARED_MAX_LENGTH = 64;
const SHARED_MAX_ENTRIES = 4096;
const NO_STRINGS = Object.freeze([]) as unknown as string[];

function errorResult(error: string): XenbusResult {
  let r = ERROR_RESULTS.get(error);
  if (r === undefined) {
    r = Object.freeze({ ok: false, error, errno: getError(error) });
    // error names come from a short list (anything else is EINVAL's text), but stay bounded anyway
    if (ERROR_RESULTS.size < SHARED_MAX_ENTRIES) ERROR_RESULTS.set(error, r);
  }
  return r;
}

/** `{ value, strings: [value] }` (or no strings), shared for short values. */
function sharedResult(memo: Map<string, XenbusResult>, value: string, oneString: boolean): XenbusResult {
  if (value.length > SHARED_MAX_LENGTH) return { ok: true, value, strings: oneString ? [value] : [] };
  let r = memo.get(value);
  if (r === undefined) {
    if (memo.size >= SHARED_MAX_ENTRIES) memo.clear();
    const strings = oneString ? (Object.freeze([value]) as string[]) : NO_STRINGS;
    r = Object.freeze({ ok: true, value, strings });
    memo.set(value, r);
  }
  return r;
}

/**
 * xs_talkv() after the wait: an ERROR reply gives its errno, a reply of another type EINVAL. `value`
 * is the payload as text without its trailing NUL; `strings` its NUL-terminated strings.
 */
export function decodeXenbusReply(reqType: number, msg: XsMsg): XenbusResult {
  if (msg.type === XsType.ERROR) {
    return errorResult(splitStrings(msg.payload)[0] ?? bytesToString(msg.payload));
  }
  if (msg.type !== reqType) return { ok: false, error: 'EINVAL', errno: ERRNO.EINVAL };
  const payload = msg.payload;
  const n = payload.length;
  if (isOkPayload(payload)) return OK_RESULT;
  let firstNul = -1;
  for (let i = 0; i < n; i++) {
    if (payload[i] === 0) {
      firstNul = i;
      break;
    }
  }
  // a trailing NUL decodes to a trailing '\0' and only from one: the text without it is the value
  const value = bytesToString(payload, 0, n > 0 && payload[n - 1] === 0 ? n - 1 : n);
  // no NUL: no strings; one NUL, at the end: the one string is the value (decoded alike)
  if (firstNul < 0) return sharedResult(RAW_RESULTS, value, false);
  if (firstNul === n - 1) return sharedResult(ONE_STRING_RESULTS, value, true);
  return { ok: true, value, strings: splitStrings(payload) };
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
    removeAll(state.openTxIds, req.txId);
  }
}

/** Drops every `id` from `ids` in place, keeping the order of the rest. */
function removeAll(ids: number[], id: number): void {
  let kept = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i] as number;
    if (v !== id) ids[kept++] = v;
  }
  ids.length = kept;
}

/** list_del() of the request at `index`, keeping the order of the others. */
function removeAt<T>(list: T[], index: number): void {
  // replies usually come back in the order the requests went out: the head
  if (index === 0) {
    list.shift();
    return;
  }
  const last = list.length - 1;
  for (let i = index; i < last; i++) list[i] = list[i + 1] as T;
  list.length = last;
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
  removeAt(inFlight, index);
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
