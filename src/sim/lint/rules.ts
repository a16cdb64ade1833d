/**
 * The protocol rules: what each one says (LINT_RULES, for the UI and the docs) and the checkers
 * that find where a trace breaks it. The two state-sequence rules live here; the rules that need
 * more bookkeeping have a file each. Every checker reads each effect once (O(total effects)).
 */
import { XenbusState, isXenbusStateName } from '../../guest/kernel/xenbusState';
import type { TraceEffect } from '../world/trace';
import { parseDeviceKey, stateNodeDir, type Side } from './paths';
import { createPagesNotReturned } from './pagesNotReturned';
import { createResourcesAtClosed } from './resourcesAtClosed';
import { createStateWriteUnseen } from './stateWriteUnseen';
import { RULE_SPEC, type CheckerContext, type LintRule, type RuleChecker } from './types';

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'backend-initialised-early',
    title: 'Backend published Initialised instead of InitWait',
    spec: RULE_SPEC['backend-initialised-early'],
    explanation:
      'A backend tells its frontend "my features are published, go ahead" with InitWait (2); Initialised (3) is ' +
      'the frontend\'s state ("ring refs published"). Frontends that negotiate (modern blkfront, netfront) act ' +
      'only on InitWait and do nothing on Initialised, so a backend whose state becomes 3 without having been 2 ' +
      'since it last (re)started (node created, Initialising or Closed) leaves them waiting for ever. Fires on a ' +
      'write of 3 to a backend state node, or a backend driver transition to Initialised.',
  },
  {
    id: 'connected-to-initialising',
    title: 'Connected → Initialising without Closing',
    spec: RULE_SPEC['connected-to-initialising'],
    explanation:
      'A device leaves Connected only through Closing (5): that is what makes the peer disconnect its ring. ' +
      'Going straight from Connected (4) to Initialising (1), like the cached-state reset of xenbus_dev_resume ' +
      'after a kexec jump or a raw write 4 → 1, hides the close: a backend still Connected ignores the new ' +
      'handshake (blkback: own state Connected → nothing) and keeps serving the old ring. Fires on a driver ' +
      'transition Connected → Initialising or a state node write of 1 over 4.',
  },
  {
    id: 'resources-at-closed',
    title: 'Ring still mapped or port still bound at Closed',
    spec: RULE_SPEC['resources-at-closed'],
    explanation:
      'A backend disconnects before it reports Closed: it closes its interdomain port and unmaps the ring ' +
      'grants (blkback frontend_changed(Closed): xen_blkif_disconnect, then switch Closed). Fires when a ' +
      'backend reaches Closed (state node written 6, or its driver enters Closed) while its domain still maps ' +
      'a grant ref that the paired frontend published in ring-ref* / tx-ring-ref / rx-ring-ref when the map ' +
      'was made, or still has a port bound to the port the frontend published in event-channel*.',
  },
  {
    id: 'state-write-unseen',
    title: 'State write the peer never sees',
    spec: RULE_SPEC['state-write-unseen'],
    explanation:
      'Peer state is learnt by watch event, queued callback, fresh read. A state value is unseen when the ' +
      "peer driver was watching (its otherend watch fired for the write, the peer's device is alive and its " +
      'client knows the token) but none of its reads of the node returned the value before the node changed ' +
      'again or was removed: the event was lost, dropped while another was pending (merged), or its callback ' +
      'read only after the next write (coalesced). A peer whose watch xenstored dropped behind its back (a ' +
      'daemon restart: its client still holds the token) gets no event at all, so its value counts from the ' +
      'write. A value still current when the trace ends counts only if its event was lost or never sent. ' +
      'Level-triggered drivers survive this; the finding shows where a state was skipped.',
  },
  {
    id: 'pages-not-returned',
    title: 'driver_pages not back after a reconnect',
    spec: RULE_SPEC['pages-not-returned'],
    explanation:
      "Rx pages a netfront gives away (page flipping) are counted in the balloon's driver_pages; a teardown " +
      'must give them all back. Each move of driver_pages is charged to the rx ring whose buffers moved in ' +
      'that step, and the ring to the frontend that published its ref. When a frontend device is Connected ' +
      "again after a detach/attach or kexec cycle, pages still charged to its previous connection's rings " +
      'are lost for good. Fires at that reconnect.',
  },
];

/** One checker per rule, in LINT_RULES order. */
export function createRuleCheckers(ctx: CheckerContext): RuleChecker[] {
  return [
    createBackendInitialisedEarly(ctx),
    createConnectedToInitialising(ctx),
    createResourcesAtClosed(ctx),
    createStateWriteUnseen(ctx),
    createPagesNotReturned(ctx),
  ];
}

/** A move of a device's state: a write to its `state` node, or a driver machine transition. */
interface StateChange {
  dir: string;
  side: Side;
  /** the previous value (null: the node was created) */
  from: number | null;
  to: number;
  /** the device key for a transition, the directory for a write */
  device: string;
  what: string;
}

function getStateChange(f: TraceEffect): StateChange | undefined {
  if (f.k === 'node-write') {
    const p = stateNodeDir(f.path);
    if (!p) return undefined;
    const from = f.old === null ? null : Number(f.old);
    const what = `${f.path} written ${f.value} over ${f.old ?? 'no node'}`;
    return { dir: p.dir, side: p.side, from, to: Number(f.value), device: p.dir, what };
  }
  if (f.k !== 'transition' || !isXenbusStateName(f.from) || !isXenbusStateName(f.to)) return undefined;
  const d = parseDeviceKey(f.device);
  if (!d) return undefined;
  const [from, to] = [XenbusState[f.from], XenbusState[f.to]];
  return { dir: d.dir, side: d.side, from, to, device: d.key, what: `${d.key} moved ${f.from} → ${f.to}` };
}

function createBackendInitialisedEarly({ emit }: CheckerContext): RuleChecker {
  /** per backend directory: InitWait published since the last (re)start; reported in this run */
  const sawInitWait = new Map<string, boolean>();
  const reported = new Set<string>();
  return {
    effect(f, e) {
      const c = getStateChange(f);
      if (!c || c.side !== 'backend' || c.from === c.to) return;
      if (c.to === XenbusState.InitWait) sawInitWait.set(c.dir, true);
      else if (c.from === null || c.to === XenbusState.Initialising || c.to === XenbusState.Closed) {
        sawInitWait.set(c.dir, false);
        reported.delete(c.dir);
      }
      if (c.to !== XenbusState.Initialised || sawInitWait.get(c.dir) || reported.has(c.dir)) return;
      reported.add(c.dir);
      emit({
        seq: e.seq,
        rule: 'backend-initialised-early',
        device: c.device,
        message:
          `${c.what}: the backend published Initialised without InitWait since it last started; ` +
          'frontends that wait for InitWait never start their handshake',
        spec: RULE_SPEC['backend-initialised-early'],
      });
    },
  };
}

function createConnectedToInitialising({ emit }: CheckerContext): RuleChecker {
  /** directories whose current 4 → 1 move was reported (its write and its transition are one move) */
  const reported = new Set<string>();
  return {
    effect(f, e) {
      const c = getStateChange(f);
      if (!c || c.from === c.to) return;
      if (c.from !== XenbusState.Connected || c.to !== XenbusState.Initialising) {
        reported.delete(c.dir);
        return;
      }
      if (reported.has(c.dir)) return;
      reported.add(c.dir);
      emit({
        seq: e.seq,
        rule: 'connected-to-initialising',
        device: c.device,
        message:
          `${c.what}: the ${c.side} went Connected → Initialising without Closing; its peer never sees ` +
          'it close, keeps the old ring and ignores the new handshake',
        spec: RULE_SPEC['connected-to-initialising'],
      });
    },
  };
}
