import type { Profile } from '../../sim/profiles';
import type { Routine } from './routine';

/** An event for a driver machine: `type` plus its fields. */
export type DriverEvent = { type: string } & Record<string, unknown>;

/**
 * What a routine knows without asking: the profile, who it runs as, and how to hand a device event
 * to its driver (the driver layer's dispatcher: send the event to the machine, then carry out the
 * effects it names, answering with more events). Immutable.
 */
export interface KernelEnv {
  profile: Profile;
  /** the actor running the routine: `dom1.K1`, `dom0.kernel`, `dom0.xl` … */
  actor: string;
  domid: number;
  /** the kernel image; identical images register identical static watch tokens */
  image: string;
  /** scenario options and faults (e.g. `frontendMaxOrder`, `naiveBackend`) */
  options: Readonly<Record<string, string | number | boolean>>;
  dispatch(env: KernelEnv, key: string, event: DriverEvent): Routine;
}

/** A routine as the registry names it: the environment first, then its JSON arguments. */
export type RoutineFn = (env: KernelEnv, ...args: never[]) => Routine<unknown>;
