/**
 * The sequence chart's marks for one step: which lanes it joins and how. Pure, from the trace entry
 * alone: a xenstored step is a request from the client named at the start of its summary (and the
 * watch events it queued, to each watcher); a reply or a watch event goes from xenstored to its
 * client; a step with hypervisor effects calls the hypervisor; anything else happens on its lane.
 */
import type { TraceEntry } from '../../sim/world/trace';

export type ArrowKind = 'request' | 'reply' | 'watch' | 'hypercall' | 'action';

export interface StepArrow {
  kind: ArrowKind;
  from: string;
  to: string;
}

export interface StepMarks {
  /** the lane the step runs on (a dot) */
  lane: string;
  arrows: StepArrow[];
}

/** `dom0.xl: WRITE …` → `dom0.xl`; null if the summary names no client. */
export function clientOfSummary(summary: string): string | null {
  const colon = summary.indexOf(':');
  if (colon <= 0) return null;
  const head = summary.slice(0, colon);
  // `dom1.K1 xenwatch: …` names the client then the thread
  const space = head.indexOf(' ');
  return space < 0 ? head : head.slice(0, space);
}

export function stepMarks(entry: TraceEntry): StepMarks {
  const arrows: StepArrow[] = [];
  let lane = entry.actor;
  switch (entry.kind) {
    case 'xenstored': {
      const client = clientOfSummary(entry.summary);
      if (client !== null) arrows.push({ kind: 'request', from: client, to: 'xenstored' });
      for (const e of entry.effects)
        if (e.k === 'watch-fire') arrows.push({ kind: 'watch', from: 'xenstored', to: e.to });
      lane = 'xenstored';
      break;
    }
    case 'reply':
      arrows.push({ kind: 'reply', from: 'xenstored', to: entry.actor });
      break;
    case 'watch-event':
      arrows.push({ kind: 'watch', from: 'xenstored', to: entry.actor });
      break;
    case 'user':
      arrows.push({ kind: 'action', from: 'user', to: 'dom0.xl' });
      lane = 'user';
      break;
    default:
      break;
  }
  if (entry.effects.some((e) => e.k === 'hv'))
    arrows.push({ kind: 'hypercall', from: lane, to: 'hypervisor' });
  return { lane, arrows };
}

/** Every lane a trace needs: its actors, the clients its summaries name, and the hypervisor if called. */
export function traceActors(trace: readonly TraceEntry[]): Set<string> {
  const actors = new Set<string>();
  for (const entry of trace) {
    const m = stepMarks(entry);
    actors.add(m.lane);
    for (const a of m.arrows) {
      actors.add(a.from);
      actors.add(a.to);
    }
  }
  return actors;
}
