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
