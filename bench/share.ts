/**
 * Sessions as links and files. For every catalogue scenario, as the user typically shares it (the
 * scenario's run plus a fault and a detach given at the end, a store node and a device selected,
 * the Debug tab, one breakpoint), the packed link is built; and the S7 link is opened the way a
 * page opens one (decode, check, replay). Prints:
 *
 *   share.link_chars_median: <n> chars   the packed address (`?s=…`), median over the catalogue
 *   share.link_chars_max: <n> chars      the longest of them (the bound: under 2,000)
 *   share.open_link_ms: <ms> ms          decoding, checking and replaying S7's link; median of 21
 *   share.trace_file_kb: <n> kB          S7's trace file (session, view and every step) as JSON
 *
 * Usage: npx tsx bench/share.ts
 */
import { performance } from 'node:perf_hooks';
import type { ProfileId } from '../src/sim/profiles';
import { SCENARIOS } from '../src/sim/scenarios/catalogue';
import { runScenario } from '../src/sim/scenarios/run';
import { exportSession, loadSession } from '../src/sim/session/session';
import { traceFileText } from '../src/ui/share/files';
import { NO_MODES, packedAddress, unpackShareState } from '../src/ui/share/link';
import { DEFAULT_VIEW, type ShareState } from '../src/ui/share/shareState';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function typical(id: string, profile: ProfileId): ShareState {
  const scenario = SCENARIOS.find((s) => s.id === id)!;
  const world = runScenario(scenario, { profile });
  world.act({ type: 'fault', name: 'watchFault', value: 'drop' });
  world.act({ type: 'detach-disk', domid: 1 });
  world.run();
  return {
    session: exportSession(world, id),
    view: {
      ...DEFAULT_VIEW,
      step: Math.floor(world.trace.length / 2),
      node: '/local/domain/1/device/vbd/51712/state',
      device: '/local/domain/1/device/vbd/51712',
      tab: 'debug',
      breakpoints: [{ text: 'blkback: Connected→Closing', enabled: true }],
    },
  };
}

const sizes: number[] = [];
let s7: { state: ShareState; address: string } | null = null;
for (const s of SCENARIOS) {
  const state = typical(s.id, s.profiles[0] as ProfileId);
  const address = packedAddress(state, NO_MODES);
  sizes.push(address.length);
  if (s.id === 'S7') s7 = { state, address };
}
console.log(`share.link_chars_median: ${median(sizes)} chars`);
console.log(`share.link_chars_max: ${Math.max(...sizes)} chars`);

const times: number[] = [];
const packed = s7!.address.slice('?s='.length);
for (let i = 0; i < 21; i++) {
  const t0 = performance.now();
  const state = unpackShareState(packed);
  if (!state.ok) throw new Error(state.error);
  const world = loadSession(state.value.session);
  if (!world.ok) throw new Error(world.error);
  times.push(performance.now() - t0);
}
console.log(`share.open_link_ms: ${median(times).toFixed(1)} ms`);
const world = loadSession(s7!.state.session);
if (!world.ok) throw new Error(world.error);
console.log(
  `share.trace_file_kb: ${(traceFileText(s7!.state, world.value.trace).length / 1000).toFixed(0)} kB`,
);
