/**
 * Worlds to play that are not in the spec's catalogue: larger set-ups for demos and for measuring
 * the UI (the state matrix appears above 16 device pairs). Same shape as a catalogue scenario, so
 * the picker, fixture URLs and sessions treat them alike; `playable` lists both.
 */
import type { UserAction } from '../world/types';
import { SCENARIOS, type Scenario } from './catalogue';

/** Guests in the many-devices world: each gets a disk and a nic, so twice as many device pairs. */
export const MANY_GUESTS = 32;

const manyDevices: Scenario = {
  id: 'many-devices',
  title: `Many devices: ${MANY_GUESTS} guests, each with a disk and a nic (${2 * MANY_GUESTS} pairs), then each kexecs`,
  profiles: ['linux-modern'],
  domainKind: 'HVM',
  options: {},
  // each action once the world settled: the guests boot, get their disk and nic, then each kexecs
  // and its successor reconnects both devices (the 64 pairs stay on the map throughout)
  script: [
    ...Array.from({ length: MANY_GUESTS }, (_, i): UserAction => ({
      type: 'create-domain',
      domid: i + 1,
      kind: 'HVM',
      image: 'vmlinuz-guest',
    })),
    ...Array.from({ length: MANY_GUESTS }, (_, i): UserAction[] => [
      { type: 'attach-disk', domid: i + 1 },
      { type: 'attach-nic', domid: i + 1 },
    ]).flat(),
    ...Array.from({ length: MANY_GUESTS }, (_, i): UserAction => ({
      type: 'kexec',
      domid: i + 1,
      image: 'vmlinuz-guest',
    })),
  ],
};

export const DEMOS: readonly Scenario[] = [manyDevices];

/** Every world the UI can open: the catalogue, then the demos. */
export const PLAYABLE: readonly Scenario[] = [...SCENARIOS, ...DEMOS];

export function findPlayable(id: string): Scenario | undefined {
  return PLAYABLE.find((s) => s.id === id);
}
