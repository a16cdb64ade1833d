/** Hand-built traces for the model tests: a xenstored step numbered `seq` with these effects. */
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';

export const step = (seq: number, effects: TraceEffect[]): TraceEntry => ({
  seq,
  time: seq,
  actor: 'xenstored',
  kind: 'xenstored',
  summary: `step ${seq}`,
  effects,
  code: null,
});

/** A trace entry with these fields, the rest a xenstored step 0 with no effects. */
export const traceEntry = (e: Partial<TraceEntry>): TraceEntry => ({
  seq: 0,
  time: 0,
  actor: 'xenstored',
  kind: 'xenstored',
  summary: '',
  effects: [],
  code: null,
  ...e,
});
