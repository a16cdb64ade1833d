/**
 * Rule `state-write-unseen` (xenbus.md §3.6, xenstore.md §7.4): a value written to a device's
 * `state` node that the peer driver was watching for but never read.
 *
 * Shape of the bookkeeping, per state node path:
 *   write v at seq s (a change) ──watch-fire to actor A──▶ expectation {s, v, A, fate}
 * An expectation is made only when A is the peer: A drives a live device whose other end is this
 * node's directory, and A's xenstore client has the fired token registered (a stale token left by a
 * previous kernel is dropped unread, nobody waits on it). It is cleared when A reads the node and
 * gets v, or when A's device is freed (no peer left). When the node changes again or is removed,
 * every expectation still open is a finding. Its fate says why: `lost` (fault log of xenstored),
 * `merged` (A's client dropped the event while another was pending), else the callback came too
 * late (coalesced). A peer whose watch xenstored dropped behind its back (a daemon restart: the
 * client still holds the token, xenstored no longer has it) gets no event at all; a change it
 * cannot see makes an expectation of fate `unwatched` straight from the write. At the end of the
 * trace only lost and unwatched ones count: a queued event may still run.
 */
import { getXenbusStateName } from '../../guest/kernel/xenbusState';
import { absolutePath, parseDeviceKey, stateNodeDir } from './paths';
import { RULE_SPEC, type CheckerContext, type LintFinding, type RuleChecker } from './types';

interface Expectation {
  seq: number;
  value: string;
  actor: string;
  token: string;
  deviceKey: string;
  fate: 'queued' | 'lost' | 'merged' | 'unwatched';
}

const LOST = /^fault: watch event (\S+) \((.*)\) for (\S+) lost$/;

const stateName = (v: string) => getXenbusStateName(Number(v)) ?? v;

export function createStateWriteUnseen({ emit, topo }: CheckerContext): RuleChecker {
  /** per state node path: expectations not yet settled */
  const open = new Map<string, Expectation[]>();
  /** state nodes whose value changed in the current step (the fires that follow belong to it) */
  const changed = new Map<string, { dir: string; value: string }>();
  /** `${actor}\n${otherend dir}` → key of the live device the actor drives against that directory */
  const peerDevice = new Map<string, string>();
  /** per actor: the client's watches, token → absolute path */
  const clientWatches = new Map<string, Map<string, string>>();
  /** per actor: watches its client holds that xenstored dropped without an UNWATCH, token → path */
  const unwatched = new Map<string, Map<string, string>>();

  const finding = (path: string, x: Expectation, why: string, after: string): LintFinding => ({
    seq: x.seq,
    rule: 'state-write-unseen',
    device: path.slice(0, -'/state'.length),
    message:
      `${path} = ${x.value} (${stateName(x.value)}) was never read by ${x.actor}: ${why}, ` +
      `${after}; the peer skipped that state`,
    spec: RULE_SPEC['state-write-unseen'],
  });
  const why = (x: Expectation) =>
    x.fate === 'lost'
      ? 'its watch event was lost'
      : x.fate === 'unwatched'
        ? 'xenstored no longer had its watch (dropped by a daemon restart), so no event was sent'
        : x.fate === 'merged'
          ? 'its watch event was dropped while an earlier one was pending (merged)'
          : 'its watch event was not handled before the node changed (coalesced)';

  /** The node changed at `seq`: every open expectation is unseen. */
  const settle = (path: string, seq: number, after: string) => {
    for (const x of open.get(path) ?? []) emit(finding(path, x, why(x), `${after} at seq ${seq}`));
    open.delete(path);
  };

  /** The node changed: peers whose watch on it xenstored dropped will not hear of it. */
  const expectUnwatched = (path: string, dir: string, value: string, seq: number) => {
    for (const [actor, lost] of unwatched) {
      let covered = false;
      for (const p of lost.values()) if (path === p || path.startsWith(`${p}/`)) covered = true;
      const deviceKey = covered ? peerDevice.get(`${actor}\n${dir}`) : undefined;
      if (deviceKey === undefined) continue;
      const list = open.get(path) ?? [];
      list.push({ seq, value, actor, token: '', deviceKey, fate: 'unwatched' });
      open.set(path, list);
    }
  };

  const clientWatch = (actor: string, token: string, path: string | null) => {
    let m = clientWatches.get(actor);
    if (!m) clientWatches.set(actor, (m = new Map()));
    if (path === null) {
      m.delete(token);
      unwatched.get(actor)?.delete(token);
    } else m.set(token, path);
  };

  return {
    effect(f, e) {
      switch (f.k) {
        case 'node-write':
        case 'node-remove': {
          const p = stateNodeDir(f.path);
          if (!p) return;
          if (f.k === 'node-remove') return settle(f.path, e.seq, 'and the node was removed');
          if (f.old === f.value) return;
          settle(f.path, e.seq, `and it became ${f.value} (${stateName(f.value)})`);
          changed.set(f.path, { dir: p.dir, value: f.value });
          if (unwatched.size > 0) expectUnwatched(f.path, p.dir, f.value, e.seq);
          return;
        }
        case 'watch-add':
          unwatched.get(f.actor)?.delete(f.token);
          return;
        case 'watch-remove': {
          // the client did not ask (unregister takes the token off its list first)
          const path = clientWatches.get(f.actor)?.get(f.token);
          if (path === undefined) return;
          let m = unwatched.get(f.actor);
          if (!m) unwatched.set(f.actor, (m = new Map()));
          m.set(f.token, path);
          return;
        }
        case 'watch-fire': {
          const path = absolutePath(f.path, f.to);
          const write = path === undefined ? undefined : changed.get(path);
          if (path === undefined || !write || !clientWatches.get(f.to)?.has(f.token)) return;
          const deviceKey = peerDevice.get(`${f.to}\n${write.dir}`);
          const list = open.get(path) ?? [];
          if (deviceKey === undefined || list.some((x) => x.seq === e.seq && x.actor === f.to)) return;
          list.push({
            seq: e.seq,
            value: write.value,
            actor: f.to,
            token: f.token,
            deviceKey,
            fate: 'queued',
          });
          open.set(path, list);
          return;
        }
        case 'log': {
          const m = LOST.exec(f.text);
          const path = m && absolutePath(m[1] as string, m[3] as string);
          const x = path ? open.get(path)?.find((x) => x.seq === e.seq && x.actor === m?.[3]) : undefined;
          if (x) x.fate = 'lost';
          return;
        }
        case 'guest': {
          const g = f.e;
          if (g.kind === 'watch-added') {
            clientWatch(f.actor, g.token, absolutePath(g.path, f.actor) ?? g.path);
          } else if (g.kind === 'watch-removed') {
            clientWatch(f.actor, g.token, null);
          } else if (g.kind === 'watch-register-failed' && !g.kept) {
            clientWatch(f.actor, g.token, null);
          } else if (g.kind === 'watch-event-dropped' && g.reason === 'pending') {
            const path = absolutePath(g.path, f.actor);
            const list = path === undefined ? [] : (open.get(path) ?? []);
            const x = list.findLast((x) => x.actor === f.actor && x.token === g.token && x.fate === 'queued');
            if (x) x.fate = 'merged';
          }
          return;
        }
        case 'device': {
          const d = parseDeviceKey(f.device);
          const other = d && topo.otherend(d.dir);
          if (!d || other === undefined) return;
          if (f.change === 'created') return void peerDevice.set(`${d.actor}\n${other}`, d.key);
          peerDevice.delete(`${d.actor}\n${other}`);
          const list = open.get(`${other}/state`);
          if (list)
            open.set(
              `${other}/state`,
              list.filter((x) => x.deviceKey !== d.key),
            );
          return;
        }
      }
    },
    endStep() {
      changed.clear();
    },
    read(r) {
      const list = open.get(r.path);
      if (!list) return;
      const left = list.filter((x) => !(x.actor === r.actor && x.value === r.value));
      if (left.length) open.set(r.path, left);
      else open.delete(r.path);
    },
    atEnd() {
      const out: LintFinding[] = [];
      for (const [path, list] of open)
        for (const x of list)
          if (x.fate === 'lost' || x.fate === 'unwatched')
            out.push(finding(path, x, why(x), 'and nothing made the peer read it again'));
      return out;
    },
  };
}
