/**
 * Each device's life from the trace: when it was created and freed and the state changes of its
 * machine. Lets the world map keep a kexec'd kernel's frontends on screen, greyed, with the state
 * they were in when that kernel stopped. Pure; built in one pass over the trace.
 */
import type { TraceEntry } from '../../sim/world/trace';

export interface DeviceLife {
  key: string;
  createdAt: number;
  /** the step that freed it, null while it lives */
  freedAt: number | null;
  /** state changes in order: the step and the state entered */
  states: Array<{ seq: number; from: string; to: string }>;
}

export type DeviceHistory = ReadonlyMap<string, DeviceLife[]>;

/** Lives by device key (a key is reused when a device is re-created, hence a list). */
export function createDeviceHistory(trace: readonly TraceEntry[]): DeviceHistory {
  const lives = new Map<string, DeviceLife[]>();
  for (const entry of trace)
    for (const e of entry.effects) {
      if (e.k === 'device') {
        const list = lives.get(e.device) ?? [];
        if (e.change === 'created')
          list.push({ key: e.device, createdAt: entry.seq, freedAt: null, states: [] });
        else {
          const life = list.at(-1);
          if (life !== undefined) life.freedAt = entry.seq;
        }
        lives.set(e.device, list);
      } else if (e.k === 'transition') {
        const life = lives.get(e.device)?.at(-1);
        if (life !== undefined) life.states.push({ seq: entry.seq, from: e.from, to: e.to });
      }
    }
  return lives;
}

/** The life of `key` that was freed last before `cursor`, and the state it was in then. */
export function lastFreedBefore(
  history: DeviceHistory,
  key: string,
  cursor: number,
): { life: DeviceLife; state: string } | null {
  const list = history.get(key);
  if (list === undefined) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const life = list[i]!;
    if (life.freedAt === null || life.freedAt >= cursor) continue;
    const last = life.states.filter((s) => s.seq < life.freedAt!).at(-1);
    return { life, state: last?.to ?? 'Initialising' };
  }
  return null;
}

/** The state changes of device `key` in the steps before `cursor` (every life of it so far), in order. */
export function transitionsBefore(
  history: DeviceHistory,
  key: string,
  cursor: number,
): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (const life of history.get(key) ?? [])
    for (const s of life.states) if (s.seq < cursor) out.push({ from: s.from, to: s.to });
  return out;
}
