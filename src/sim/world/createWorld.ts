/**
 * A world with dom0 ready: the hypervisor's dom0, its kernel (backend bus probed, be_watch set), the
 * toolstack and the hotplug scripts on their own xenstore connections.
 */
import { blkbackMachine } from '../../drivers/blkbackMachine';
import { blkfrontMachine } from '../../drivers/blkfrontMachine';
import { netbackMachine } from '../../drivers/netbackMachine';
import { netfrontMachine } from '../../drivers/netfrontMachine';
import { kexecMachine } from '../../drivers/kexecMachine';
import { dispatch } from '../../drivers/routines/dispatch';
import { createDomain } from '../../hypervisor';
import { ROUTINES } from './registry';
import type { WorldConfig, WorldDeps } from './types';
import { DOM0_KERNEL, HOTPLUG, TOOLSTACK, World } from './world';

export const WORLD_DEPS: WorldDeps = {
  routines: ROUTINES,
  machines: {
    'vbd-frontend': blkfrontMachine,
    'vbd-backend': blkbackMachine,
    'vif-frontend': netfrontMachine,
    'vif-backend': netbackMachine,
  },
  dispatch,
  kexec: kexecMachine,
};

export function createWorld(config: WorldConfig): World {
  const world = new World(config, WORLD_DEPS);
  createDomain(world.hv, { kind: 'PV', domid: 0, name: 'Domain-0' });
  world.addActor(DOM0_KERNEL, 0, 'kernel', 'dom0-kernel');
  world.addActor(TOOLSTACK, 0, 'toolstack', world.profile.toolstack);
  world.addActor(HOTPLUG, 0, 'hotplug', 'hotplug-scripts');
  world.spawnRoutine(DOM0_KERNEL, 'kernel.boot', []);
  return world;
}
