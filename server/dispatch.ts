/**
 * Turns the engine's answer to one request into the frames to send, per connection, in the order the
 * C daemon sends them. No sockets here: the result is data, tested on its own.
 *
 * Order on the requesting connection (xenstored 4.17, seen on the wire):
 * - WATCH: do_watch() sends the OK first, then add_event() queues the registration event;
 * - every other request: the handler calls fire_watches() before send_reply()/send_ack(), so events
 *   for the requester's own watches (a WRITE under a path it watches, a commit) come before the reply.
 * Events for other connections keep the engine's order.
 */
import type { ConnId, XsEffect, XsMsg } from '../src/xenstore/types';
import { XsType } from '../src/xenstore/types';
import { watchEventMsg } from '../src/xenstore/wire';
import type { StorePort } from './storePort';

/** A frame addressed to a connection. */
export interface Outgoing {
  conn: ConnId;
  msg: XsMsg;
}

export interface Dispatched {
  /** frames in send order (per connection the relative order is what matters) */
  out: Outgoing[];
  /** the request was not answerable (engine returned no reply): drop the connection */
  drop: boolean;
  /** every effect of the request, for what is not a frame (e.g. a released domain) */
  effects: XsEffect[];
}

/** WATCH_EVENT frames for the watch-event effects, in order; other effects carry no frame. */
export function eventFrames(effects: readonly XsEffect[]): Outgoing[] {
  const out: Outgoing[] = [];
  for (const e of effects) {
    if (e.kind === 'watch-event') out.push({ conn: e.conn, msg: watchEventMsg(e.path, e.token) });
  }
  return out;
}

/** xenstored_core.c process_message(): handles `msg` from `conn` and orders what goes out. */
export function dispatchRequest(store: StorePort, conn: ConnId, msg: XsMsg): Dispatched {
  const { reply, effects } = store.handle(conn, msg);
  const events = eventFrames(effects);
  if (reply === null) return { out: events, drop: true, effects };
  const answer = { conn, msg: reply };
  const out = msg.type === XsType.WATCH ? [answer, ...events] : [...events, answer];
  return { out, drop: false, effects };
}
