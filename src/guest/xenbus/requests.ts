/**
 * Sending requests: admission through the suspend gate (xs_request_enter), request ids, and the
 * [2006] single-request mutex. Internal helpers take a `step` they append to.
 */
import type { XsTypeName } from '../../xenstore';
import { XsType } from '../../xenstore';
import type { ClientStep, RequestPurpose, Waiter, XenbusClientState, XsRequestSpec } from './types';
import { xsRequestPayload } from './wire';

type State = XenbusClientState<unknown, unknown>;

/** An empty step to append to. */
export function emptyStep<K>(): ClientStep<K> {
  return { outgoing: [], wakeups: [], effects: [] };
}

/** Moves xs_state_users, recording the change. */
export function setUsers(state: State, to: number, step: ClientStep<unknown>): void {
  const from = state.suspend.users;
  if (from === to) return;
  state.suspend.users = to;
  const s = state.suspend;
  if (step.quietUsers === true && s.active === 0 && s.phase === 'idle') return;
  step.effects.push({ kind: 'xs-users', from, to });
}

/** [2006] transaction start and watch (un)registration read-hold the suspend rwsem. */
function rwsem2006(state: State, type: number): boolean {
  if (state.options.mode !== '2006') return false;
  return type === XsType.TRANSACTION_START || type === XsType.WATCH || type === XsType.UNWATCH;
}

/**
 * xs_request_enter()'s wait condition: [modern] the region is closed once a suspend is active and
 * users reached 0. [2006] a transaction start or watch (un)registration already waits while the
 * suspender wants the rwsem. While xs_resume re-registers watches, watch (un)registration waits
 * for the rwsem too. The client's own suspend/resume requests pass.
 */
export function isGateClosed(state: State, type: number, purpose: RequestPurpose): boolean {
  if (purpose === 'suspend-unwatch' || purpose === 'resume-watch') return false;
  const s = state.suspend;
  if (s.phase === 'resuming')
    return type === XsType.WATCH || type === XsType.UNWATCH || rwsem2006(state, type);
  if (s.active === 0) return false;
  if (s.users === 0) return true;
  return rwsem2006(state, type);
}

/**
 * xs_request_enter() + xs_send(): count the user, take a req_id, put the message on the ring.
 * `args` becomes the in-flight record's own list: the caller passes a copy unless nobody else holds it.
 */
function sendNow<K>(
  state: XenbusClientState<K, unknown>,
  spec: XsRequestSpec,
  args: string[],
  purpose: RequestPurpose,
  waiter: Waiter<K>,
  step: ClientStep<K>,
): void {
  const { type, txId } = spec;
  let users = state.suspend.users + 1;
  if (type === XsType.TRANSACTION_START) {
    users += 1;
    state.transactions += 1;
  }
  setUsers(state, users, step);
  const modern = state.options.mode === 'modern';
  const reqId = modern ? state.nextReqId : 0;
  if (modern) state.nextReqId = (reqId + 1) >>> 0;
  const sentAt = state.seq++;
  state.inFlight.push({ type, args, txId, reqId, purpose, waiter, sentAt });
  step.outgoing.push({ type, reqId, txId, payload: xsRequestPayload(type, args) });
  if (step.quietIo !== true) step.effects.push({ kind: 'xs-sent', reqId, type, txId, purpose });
}

/** Whether the [2006] request_mutex is taken (a request in flight) or promised to an earlier waiter. */
function mutexBusy(state: State): boolean {
  return state.options.mode === '2006' && state.inFlight.length > 0;
}

/** Sends the request now, or parks the sender with the reason it waits. */
export function enterRequest<K>(
  state: XenbusClientState<K, unknown>,
  spec: XsRequestSpec,
  purpose: RequestPurpose,
  waiter: Waiter<K>,
  step: ClientStep<K>,
): 'sent' | 'blocked' {
  const gate = isGateClosed(state, spec.type, purpose);
  const queuedBefore =
    state.options.mode === '2006' && state.blocked.some((b) => b.reason === 'request-mutex');
  if (!gate && !mutexBusy(state) && !queuedBefore) {
    sendNow(state, spec, spec.args.slice(), purpose, waiter, step);
    return 'sent';
  }
  const reason = gate ? 'suspend' : 'request-mutex';
  const { type, txId } = spec;
  state.blocked.push({
    type,
    args: spec.args.slice(),
    txId,
    reason,
    purpose,
    waiter,
    blockedAt: state.seq++,
  });
  step.effects.push({ kind: 'xs-blocked', type: spec.type, reason });
  return 'blocked';
}

/**
 * Lets blocked senders go, oldest first, as far as the gate and the [2006] mutex allow. Called after
 * every reply and when a suspend ends. A sender kept back keeps its place; its reason is refreshed.
 */
export function pumpBlocked<K>(state: XenbusClientState<K, unknown>, step: ClientStep<K>): void {
  const waiting = state.blocked;
  if (waiting.length === 0) return;
  state.blocked = [];
  for (const b of waiting) {
    const gate = isGateClosed(state, b.type, b.purpose);
    if (!gate && !mutexBusy(state)) {
      // the blocked record leaves the state here: its own copy of the arguments passes on
      sendNow(state, b, b.args, b.purpose, b.waiter, step);
    } else {
      const { type, args, txId, purpose, waiter, blockedAt } = b;
      const reason = gate ? 'suspend' : 'request-mutex';
      state.blocked.push({ type, args, txId, reason, purpose, waiter, blockedAt });
    }
  }
}

/** A request as callers write it: type by name or number, arguments default to none, txId to XBT_NIL. */
export interface XsSendInput {
  type: XsTypeName | number;
  args?: string[];
  txId?: number;
}

export function toSpec(input: XsSendInput): XsRequestSpec {
  const type = typeof input.type === 'number' ? input.type : XsType[input.type];
  return { type, args: input.args ?? [], txId: input.txId ?? 0 };
}

/**
 * xsSend() for a caller that keeps one step to append to (and empties it after use): the request as
 * a spec (`args` is copied), the outcome in `step`. Returns whether the sender was blocked.
 */
export function xsSendInto<K>(
  state: XenbusClientState<K, unknown>,
  spec: XsRequestSpec,
  k: K,
  step: ClientStep<K>,
): boolean {
  return enterRequest(state, spec, 'plain', { kind: 'caller', k }, step) === 'blocked';
}

/**
 * xenbus_xs.c xs_talkv() up to the wait: xs_send() with xs_request_enter(). The caller's `k` comes
 * back in a `reply` wakeup from xsDeliver(). Mutates `state`.
 */
export function xsSend<K>(
  state: XenbusClientState<K, unknown>,
  input: XsSendInput,
  k: K,
): ClientStep<K> & { blocked: boolean } {
  const step = emptyStep<K>();
  const how = enterRequest(state, toSpec(input), 'plain', { kind: 'caller', k }, step);
  return {
    outgoing: step.outgoing,
    wakeups: step.wakeups,
    effects: step.effects,
    blocked: how === 'blocked',
  };
}
