/**
 * xenbus_thread's process_msg(): one message read from the ring is either a watch event (to
 * xs_watch_msg) or a reply (to its waiting request).
 */
import type { XsMsg } from '../../xenstore';
import { XsType, splitStrings } from '../../xenstore';
import { handleReply } from './replies';
import { emptyStep } from './requests';
import type { ClientStep, XenbusClientState } from './types';
import { xsWatchMsg } from './watches';
import { joinXsStrings } from './wire';

/**
 * Handles one message from xenstored. While suspended (xs_response_mutex held) nothing is read:
 * `held` is true and the message must stay on the ring. A watch event reports `queued` (its
 * sequence number) or null when dropped (the reason is in the effects). Mutates `state`.
 */
export function xsDeliver<K>(
  state: XenbusClientState<K, unknown>,
  msg: XsMsg,
): ClientStep<K> & { held: boolean; queued?: number | null } {
  const step = emptyStep<K>();
  if (state.suspend.phase === 'suspended') {
    step.effects.push({ kind: 'xs-held', type: msg.type });
    return { outgoing: step.outgoing, wakeups: step.wakeups, effects: step.effects, held: true };
  }
  if (msg.type === XsType.WATCH_EVENT) {
    const queued = xsWatchMsg(state, splitStrings(msg.payload), step);
    return { outgoing: step.outgoing, wakeups: step.wakeups, effects: step.effects, held: false, queued };
  }
  handleReply(state, msg, step);
  return { outgoing: step.outgoing, wakeups: step.wakeups, effects: step.effects, held: false };
}

/** What xsDeliverInto() did with a message: left it on the ring, took a reply, queued or dropped an event. */
export type DeliverOutcome = 'held' | 'reply' | 'queued' | 'dropped';

/** xsDeliver() into a step the caller owns (and empties after use). Mutates `state`. */
export function xsDeliverInto<K>(
  state: XenbusClientState<K, unknown>,
  msg: XsMsg,
  step: ClientStep<K>,
): DeliverOutcome {
  if (state.suspend.phase === 'suspended') {
    step.effects.push({ kind: 'xs-held', type: msg.type });
    return 'held';
  }
  if (msg.type === XsType.WATCH_EVENT)
    return xsWatchMsg(state, splitStrings(msg.payload), step) === null ? 'dropped' : 'queued';
  handleReply(state, msg, step);
  return 'reply';
}

/** The WATCH_EVENT message xenstored sends for (path, token), as the ring carries it. */
export function watchEventMsg(path: string, token: string): XsMsg {
  return { type: XsType.WATCH_EVENT, reqId: 0, txId: 0, payload: joinXsStrings([path, token]) };
}
