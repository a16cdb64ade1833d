/**
 * The causal links of a trace, read in one pass: for every step, the steps that directly made it
 * happen. The trace records no causes and no routine ids, so they are matched from what it does
 * record. A "connection" below is an actor's socket, or for kernels the domain's ring (a kexec'd
 * kernel inherits what its predecessor had in flight).
 *
 *  - request   xenstored step ← the step whose routine sent the request. Sends are not in the trace
 *              (the world keeps `xs-sent` quiet), but a routine with a request out runs again only
 *              when its reply comes, and the reply names it (`reply to MKDIR → xl.diskAdd`). So the
 *              sender is: the oldest step of that routine whose request the client held back
 *              (`xs-blocked`: suspend, the 2006 request mutex), else the latest earlier step of that
 *              routine on the connection that sent nothing yet and is not inside another
 *              transaction (a `[tx N]` request comes from the routine that opened or used tx N; a
 *              routine just started or a callback just run is in none). The client's own requests
 *              (suspend UNWATCH, resume re-WATCH: the reply names no routine) ← the step where it
 *              began unwatching or resuming. No reply seen → the latest step of any routine there.
 *  - reply     reply step ← the xenstored step that answered: first in, first out per connection,
 *              as the response ring is (requests answered "connection dropped" got no reply).
 *  - watch     watch-event step ← the xenstored step that fired it: first in, first out per
 *              (connection, path, token), fires that fault injection lost skipped (watchQueue.ts).
 *  - callback  xenwatch step ← the watch-event step that queued its event (xenwatch-run.seq =
 *              watch-event-queued.seq, per actor).
 *  - routine   a step where a routine goes on ← that routine's previous step: for a reply step, the
 *              step that sent the request (as `request` found it); for a woken, timed-out or slept
 *              routine, the latest earlier step of that routine on the connection that sent nothing,
 *              did not end a xenwatch callback and is no other wakeup's previous step. An
 *              xs_suspend() caller also runs in the step whose reply ends the drain.
 *  - user      the first `… starts` step after a user step, on the actor the action runs on
 *              (dom0.xl, dom0.kernel or a kernel of the action's domid) ← the user step (user.act
 *              spawns the routine that carries it out and sends nothing itself; fault,
 *              hold-xenwatch and pause-backend start nothing).
 *  - spawn     `domN.Kx: kernel.boot starts` ← the step that started that kernel actor.
 *
 * Checked against the world's own bookkeeping (routine ids, the step that scheduled each delivery)
 * on every catalogue scenario and profile, fifo and seeded: requests, replies, watch events and
 * routine links match except where noted here. Where it is wrong or silent: two live routines of
 * the same name on one connection sending in the same window (the later step is taken for both);
 * a request in flight across a kexec whose reply the successor drops (its sender is guessed among
 * the old kernel's steps); re-WATCHes the 2006 request mutex held back are given to the resume
 * step, not the reply step that let them out; a WATCH_EVENT for a dead connection (path unknown)
 * gets no fire. Pure: reads trace entries only.
 *
 * One cause is recorded by the world itself: a routine's start or wakeup carries the step that
 * started it (kthread_run) or woke it (complete, wake_up) as a `woken-by` effect, linked as
 * `spawn` or `wake`.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { classifyActor } from '../layout/lanes';
import { countBefore } from './nodeHistory';

/** How one step caused another. */
export type CauseKind = 'request' | 'reply' | 'watch' | 'callback' | 'routine' | 'user' | 'spawn' | 'wake';

/** `from` (the cause, an earlier step) made `to` happen. Seqs are trace positions. */
export interface CauseLink {
  from: number;
  to: number;
  kind: CauseKind;
  /** a few words on what passed: the request, the watch path and token, the routine */
  label: string;
}

/** A first-in first-out queue of seqs that does not copy on shift. */
class SeqQueue {
  private items: number[] = [];
  private head = 0;
  push(seq: number): void {
    this.items.push(seq);
  }
  shift(): number | undefined {
    return this.head < this.items.length ? this.items[this.head++] : undefined;
  }
  /** takes back the newest (a fire lost in the step that made it) */
  pop(): void {
    if (this.items.length > this.head) this.items.pop();
  }
}

/** A request xenstored handled, waiting for its sender to be named. */
interface RequestRec {
  seq: number;
  /** its position in its connection's `requests` */
  index: number;
  label: string;
  /** its transaction (0 = none) */
  txId: number;
  /** the routine its reply names: a name, null (no routine waits), undefined (no reply seen) */
  routine: string | null | undefined;
  /** the reply step, when the routine went on there */
  replySeq: number | null;
  /** its reply reached this actor, whose client had not sent it (a kexec'd kernel's successor) */
  notFrom?: string;
}

/** What the pass keeps per client actor. */
class ActorCauses {
  /** steps where one of the actor's routines ran, ascending, and per routine name */
  readonly runs: number[] = [];
  readonly runActors: string[] = [];
  readonly runsByName = new Map<string, number[]>();
  /** per routine name, its runs that sent a request (or ended a callback, or a wakeup follows) */
  readonly spent = new Map<string, Set<number>>();
  /** the transaction a reply step's routine is in (the request's, or the one START opened) */
  readonly txOf = new Map<number, number>();
  /** requests sent while the client held them back (suspend, request mutex): step and routine, oldest first */
  readonly blocked: Array<{ seq: number; routine: string }> = [];
  /** requests handled whose sender is not named yet, in order; answered ones also in `replies` */
  readonly requests: RequestRec[] = [];
  resolved = 0;
  readonly replies: RequestRec[] = [];
  replyHead = 0;
  /** fires not yet delivered, per `path\ntoken` */
  readonly fires = new Map<string, SeqQueue>();
  /** the watch-event step of each client's event numbers, per actor */
  readonly eventSteps = new Map<string, Map<number, number>>();
  /** wakeups (not starts) to link to their routine's previous step, at the end */
  readonly wakeups: Array<{ seq: number; routine: string }> = [];
  /** the step that started each actor (a guest kernel), until its first routine starts */
  readonly startedAt = new Map<string, number>();
  /** the routine that called xs_suspend(), which runs again when the drain ends */
  suspender: string | null = null;
  /** steps where the client began unwatching or resuming (it sends requests of its own there) */
  readonly suspendSteps: number[] = [];
  /** the routine that ran last, for effects of its step */
  lastRoutine: string | null = null;

  ran(seq: number, actor: string, routine: string): void {
    this.lastRoutine = routine;
    if (this.runs[this.runs.length - 1] !== seq) {
      this.runs.push(seq);
      this.runActors.push(actor);
    }
    const list = this.runsByName.get(routine);
    if (list === undefined) this.runsByName.set(routine, [seq]);
    else if (list[list.length - 1] !== seq) list.push(seq);
  }

  isSpent(seq: number, routine: string): boolean {
    return this.spent.get(routine)?.has(seq) === true;
  }

  spend(seq: number, routine: string): void {
    const spent = this.spent.get(routine);
    if (spent === undefined) this.spent.set(routine, new Set([seq]));
    else spent.add(seq);
  }

  /** The latest run of `routine` before `before` that is not spent and not in another transaction. */
  latestFree(routine: string, before: number, txId: number): number | null {
    const list = this.runsByName.get(routine);
    if (list === undefined) return null;
    for (let i = countBefore(list, before) - 1, n = 0; i >= 0 && n < SCAN; i--, n++) {
      const seq = list[i] as number;
      if (!this.isSpent(seq, routine) && this.mayBeIn(seq, txId)) return seq;
    }
    return null;
  }

  /** Whether the routine that ran at `seq` may send a request in transaction `txId` (0: any may). */
  mayBeIn(seq: number, txId: number): boolean {
    const tx = this.txOf.get(seq);
    return txId === 0 || tx === undefined || tx === txId;
  }

  /** The step that sent request `r`, by the rules in the file comment; null = none known. */
  senderOf(r: RequestRec): { seq: number; routine: string | null } | null {
    if (typeof r.routine === 'string') {
      const i = this.blocked.findIndex(
        (b) => b.routine === r.routine && b.seq < r.seq && this.mayBeIn(b.seq, r.txId),
      );
      if (i >= 0) {
        const b = this.blocked[i] as { seq: number; routine: string };
        this.blocked.splice(i, 1);
        return b;
      }
      const free = this.latestFree(r.routine, r.seq, r.txId);
      if (free !== null) return { seq: free, routine: r.routine };
    }
    // the client's own UNWATCH / re-WATCH: sent by the step that suspended or resumed it
    const own = r.routine === null ? this.suspendSteps[countBefore(this.suspendSteps, r.seq) - 1] : undefined;
    let i = countBefore(this.runs, r.seq) - 1;
    while (i >= 0 && r.notFrom !== undefined && this.runActors[i] === r.notFrom) i--;
    const any = own ?? this.runs[i];
    return any === undefined ? null : { seq: any, routine: null };
  }

  fireQueue(key: string): SeqQueue {
    let q = this.fires.get(key);
    if (q === undefined) {
      q = new SeqQueue();
      this.fires.set(key, q);
    }
    return q;
  }
}

/** How far back a search for a routine's step looks, in that routine's steps. */
const SCAN = 64;

const XENSTORED = /^(\S+): (\S+)(?: \[tx (\d+)\])? (.*) → (.*)$/s;
const REPLY = /^(\S+): reply to (\S+)(?: → (\S+))?( \(held: client suspended\))?$/;
const WATCH_EVENT = /^(\S+): watch event (.*) \(([^()]*)\)(?: \(held: client suspended\))?$/s;
const XENWATCH = /^(\S+) xenwatch: ([^(]+)\((.*)\)$/s;
const WAKEUP = /^(\S+): (\S+) (starts|woken|slept|timed out)(?: \(.*\))?$/s;
const LOST = /^fault: watch event (.*) \((.*)\) for (\S+) lost$/s;
const USER = /^user: (\S+)(?:.* domid=(\d+))?/;

/** User actions that start no routine (userActions.ts), and those that start one on dom0. */
const STARTS_NOTHING = new Set(['fault', 'hold-xenwatch', 'pause-backend']);
const STARTS_ON_DOM0: Record<string, string> = {
  'create-domain': 'dom0.xl',
  'attach-disk': 'dom0.xl',
  'attach-nic': 'dom0.xl',
  'detach-disk': 'dom0.xl',
  'detach-nic': 'dom0.xl',
  'save-domain': 'dom0.xl',
  'net-traffic': 'dom0.kernel',
  'inflight-io': 'dom0.kernel',
};

/** A user step waiting for the routine it starts: on `actor`, or (guest actions) a kernel of `domid`. */
interface PendingUser {
  seq: number;
  label: string;
  actor: string | null;
  domid: string | null;
}

/**
 * The connection an actor talks on: a domain's kernels share its ring (a kexec'd kernel inherits
 * the requests, replies and events in flight), dom0's toolstack and hotplug have sockets of their own.
 */
function connectionOf(actor: string): string {
  const { group, domid } = classifyActor(actor);
  return group === 'kernel' && domid !== null ? `dom${domid} ring` : actor;
}

/** connectionOf(), remembered for the actors of one pass. */
function connections(): (actor: string) => string {
  const known = new Map<string, string>();
  return (actor) => {
    let conn = known.get(actor);
    if (conn === undefined) {
      conn = connectionOf(actor);
      known.set(actor, conn);
    }
    return conn;
  };
}

function startsHere(u: PendingUser, actor: string): boolean {
  if (u.actor !== null) return u.actor === actor;
  return u.domid === null || (actor.startsWith(`dom${u.domid}.`) && !/\.(xl|hotplug)$/.test(actor));
}

/**
 * Reads the causes of every step of `trace`: `causes[seq]` lists the links into that step
 * (undefined: none), the primary one first (request, reply, watch, callback, then user, spawn,
 * routine). One pass over the effects, then the requests and wakeups still open are settled:
 * O(total effects + steps · log steps).
 */
export function readCauses(trace: readonly TraceEntry[]): Array<CauseLink[] | undefined> {
  const causes = new Array<CauseLink[] | undefined>(trace.length).fill(undefined);
  const connectionOf = connections();
  const actors = new Map<string, ActorCauses>();
  const actorOf = (id: string): ActorCauses => {
    const key = connectionOf(id);
    let a = actors.get(key);
    if (a === undefined) {
      a = new ActorCauses();
      actors.set(key, a);
    }
    return a;
  };
  const link = (from: number, to: number, kind: CauseKind, label: string): void => {
    if (from >= to || from < 0 || to >= trace.length) return;
    const into = causes[to];
    if (into === undefined) causes[to] = [{ from, to, kind, label }];
    else into.push({ from, to, kind, label });
  };

  /** Names the senders of the actor's requests up to index `upTo` (inclusive), in order. */
  const resolve = (a: ActorCauses, upTo: number): void => {
    for (; a.resolved <= upTo && a.resolved < a.requests.length; a.resolved++) {
      const r = a.requests[a.resolved] as RequestRec;
      const sender = a.senderOf(r);
      if (sender === null) continue;
      if (sender.routine !== null) a.spend(sender.seq, sender.routine);
      link(sender.seq, r.seq, 'request', r.label);
      if (r.replySeq !== null && typeof r.routine === 'string')
        link(sender.seq, r.replySeq, 'routine', r.routine);
    }
  };

  const users: PendingUser[] = [];
  for (const entry of trace) {
    const { seq, kind, summary } = entry;
    switch (kind) {
      case 'xenstored': {
        const m = XENSTORED.exec(summary);
        if (m === null) break;
        const a = actorOf(m[1] as string);
        const rec: RequestRec = {
          seq,
          index: a.requests.length,
          label: `${m[2] as string}${m[3] === undefined ? '' : ` [tx ${m[3]}]`} ${m[4] as string}`.trim(),
          txId: Number(m[3] ?? 0),
          routine: undefined,
          replySeq: null,
        };
        if (m[2] === 'TRANSACTION_START' && /^"\d+"$/.test(m[5] as string))
          rec.txId = -Number((m[5] as string).slice(1, -1));
        a.requests.push(rec);
        if (m[5] !== 'connection dropped') a.replies.push(rec);
        break;
      }
      case 'reply': {
        const a = actorOf(entry.actor);
        const rec = a.replies[a.replyHead];
        if (rec === undefined) break;
        a.replyHead++;
        const m = REPLY.exec(summary);
        // no match: "… for a connection nobody reads: lost"
        const routine = m === null ? undefined : (m[3] ?? null);
        // a reply nobody waits for any more (its kernel was replaced): whose it was is unknown
        const dropped = entry.effects.some(
          (e) => e.k === 'guest' && e.e.kind === 'xs-reply-dropped' && e.e.reason === 'no-request',
        );
        rec.routine = dropped ? undefined : routine;
        if (dropped) rec.notFrom = entry.actor;
        link(rec.seq, seq, 'reply', `reply to ${m?.[2] ?? rec.label}`);
        if (typeof routine === 'string' && m?.[4] === undefined) {
          rec.replySeq = seq;
          a.ran(seq, entry.actor, routine);
          // the routine is now in the transaction it used, or the one it opened; END closes it
          if (!rec.label.startsWith('TRANSACTION_END') && rec.txId !== 0) a.txOf.set(seq, Math.abs(rec.txId));
        }
        // a START's own request is in no transaction yet
        if (rec.txId < 0) rec.txId = 0;
        resolve(a, rec.index);
        break;
      }
      case 'watch-event': {
        const m = WATCH_EVENT.exec(summary);
        if (m === null) break;
        const key = `${m[2] as string}\n${m[3] as string}`;
        const fired = actors.get(connectionOf(entry.actor))?.fires.get(key)?.shift();
        if (fired !== undefined) link(fired, seq, 'watch', `${m[2] as string} (${m[3] as string})`);
        break;
      }
      case 'xenwatch': {
        const m = XENWATCH.exec(summary);
        if (m === null) break;
        const a = actorOf(entry.actor);
        a.ran(seq, entry.actor, m[2] as string);
        a.txOf.set(seq, 0);
        break;
      }
      case 'wakeup': {
        const m = WAKEUP.exec(summary);
        if (m === null) break;
        const actor = m[1] as string;
        const a = actorOf(actor);
        const routine = m[2] as string;
        a.ran(seq, actor, routine);
        if (m[3] !== 'starts') {
          a.wakeups.push({ seq, routine });
          break;
        }
        a.txOf.set(seq, 0);
        const u = users.findIndex((p) => startsHere(p, actor));
        if (u >= 0) {
          const { seq: from, label } = users[u] as PendingUser;
          users.splice(u, 1);
          link(from, seq, 'user', label);
        }
        const started = a.startedAt.get(actor);
        if (started !== undefined) link(started, seq, 'spawn', `${actor} started`);
        a.startedAt.delete(actor);
        break;
      }
      case 'user': {
        const m = USER.exec(summary);
        const type = m?.[1] ?? '';
        if (STARTS_NOTHING.has(type)) break;
        const label = summary.replace(/^user: /, '');
        users.push({ seq, label, actor: STARTS_ON_DOM0[type] ?? null, domid: m?.[2] ?? null });
        break;
      }
    }
    readEffects(entry, actorOf, link, causes);
  }

  // settle what is still open: requests with no reply, then every wakeup's previous step
  for (const a of actors.values()) resolve(a, a.requests.length - 1);
  for (const a of actors.values())
    for (const w of a.wakeups) {
      const prev = a.latestFree(w.routine, w.seq, 0);
      if (prev === null) continue;
      a.spend(prev, w.routine);
      link(prev, w.seq, 'routine', w.routine);
    }
  return causes;
}

/** The effects that feed the matching: fires, lost fires, queued events, callbacks, actors started. */
function readEffects(
  entry: TraceEntry,
  actorOf: (id: string) => ActorCauses,
  link: (from: number, to: number, kind: CauseKind, label: string) => void,
  causes: ReadonlyArray<CauseLink[] | undefined>,
): void {
  const seq = entry.seq;
  for (const e of entry.effects) {
    if (e.k === 'watch-fire') actorOf(e.to).fireQueue(`${e.path}\n${e.token}`).push(seq);
    else if (e.k === 'woken-by') {
      // a start the matching already linked to the same step (a user action, a kernel boot) stays one link
      if (causes[seq]?.some((l) => l.from === e.by)) continue;
      link(e.by, seq, e.how === 'start' ? 'spawn' : 'wake', e.how === 'start' ? 'kthread_run' : 'wake_up');
    } else if (e.k === 'log' && e.actor === 'xenstored') {
      // the fire of this same step never reaches the client
      const m = LOST.exec(e.text);
      if (m !== null)
        actorOf(m[3] as string)
          .fires.get(`${m[1] as string}\n${m[2] as string}`)
          ?.pop();
    } else if (e.k === 'actor' && e.change === 'started') actorOf(e.actor).startedAt.set(e.actor, seq);
    else if (e.k === 'guest') {
      const g = e.e;
      if (g.kind === 'watch-event-queued') {
        const steps = actorOf(e.actor).eventSteps;
        const mine = steps.get(e.actor);
        if (mine === undefined) steps.set(e.actor, new Map([[g.seq, seq]]));
        else mine.set(g.seq, seq);
      } else if (g.kind === 'xenwatch-run') {
        const queued = actorOf(e.actor).eventSteps.get(e.actor)?.get(g.seq);
        if (queued !== undefined) link(queued, seq, 'callback', `${g.path} (${g.token})`);
      } else if (g.kind === 'xenwatch-done') {
        const a = actorOf(e.actor);
        if (a.lastRoutine !== null) a.spend(seq, a.lastRoutine);
      } else if (g.kind === 'xs-blocked') {
        const a = actorOf(e.actor);
        if (a.lastRoutine !== null) a.blocked.push({ seq, routine: a.lastRoutine });
      } else if (g.kind === 'suspend') {
        const a = actorOf(e.actor);
        // xs_suspend(): its caller waits for the drain and goes on in the step that ends it
        if (g.phase === 'draining') a.suspender = a.lastRoutine;
        else if (g.phase === 'suspended' && a.suspender !== null) a.ran(seq, e.actor, a.suspender);
        else if (g.phase === 'unwatching' || g.phase === 'resuming') a.suspendSteps.push(seq);
      }
    }
  }
}
