/**
 * What each user action starts. Toolstack operations run on dom0's toolstack; guest operations
 * (shutdown, kexec) on the domain's running kernel; faults flip a switch in the world.
 */
import type { KernelEnv } from '../../guest/kernel/env';
import { at, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import type { UserAction } from '../world/types';

/** The running kernel of a domain, named by the toolstack's bookkeeping of kexec generations. */
function* guestKernel(domid: number): Routine<string> {
  const current = yield* sys('fact', `kernelOf:${domid}`);
  if (typeof current !== 'string') throw new Error(`domain ${domid} runs no kernel`);
  return current;
}

/** A routine on the domain's running kernel (a process or kernel path of the guest). */
function* onGuest(domid: number, routine: string, args: unknown[]): Routine {
  yield* sys('spawnOn', yield* guestKernel(domid), routine, args);
}

export function* userAct(_env: KernelEnv, action: UserAction): Routine {
  yield* at('xl', 'tools/xl/xl_cmdtable.c');
  switch (action.type) {
    case 'create-domain':
      yield* sys('spawnOn', 'dom0.xl', 'xl.createDomain', [action.domid, action.kind, action.image]);
      return;
    case 'attach-disk':
      yield* sys('spawnOn', 'dom0.xl', 'xl.diskAdd', [action.domid]);
      return;
    case 'attach-nic':
      yield* sys('spawnOn', 'dom0.xl', 'xl.nicAdd', [action.domid]);
      return;
    case 'detach-disk':
      yield* sys('spawnOn', 'dom0.xl', 'xl.deviceRemove', [action.domid, 'vbd', action.force === true]);
      return;
    case 'detach-nic':
      yield* sys('spawnOn', 'dom0.xl', 'xl.deviceRemove', [action.domid, 'vif', false]);
      return;
    case 'guest-shutdown':
      yield* onGuest(action.domid, 'kernel.powerOff', []);
      return;
    case 'kexec':
      yield* onGuest(action.domid, 'kernel.kexec', [action.image, action.mode ?? 'kexec']);
      return;
    case 'kexec-jump':
      yield* onGuest(action.domid, 'kernel.kexecJump', [action.image]);
      return;
    case 'kexec-jump-back':
      yield* onGuest(action.domid, 'kernel.jumpBack', []);
      return;
    case 'net-traffic':
      yield* sys('spawnOn', 'dom0.kernel', 'netback.rxAction', [
        action.domid,
        action.packets,
        action.polled !== false,
      ]);
      return;
    case 'save-domain':
      yield* sys('spawnOn', 'dom0.xl', 'xl.saveDomain', [action.domid, action.checkpoint === true]);
      return;
    case 'guest-tx-start':
      yield* onGuest(action.domid, 'kernel.guestTransaction', [action.name]);
      return;
    case 'guest-tx-end':
      yield* onGuest(action.domid, 'kernel.wakeThread', [`tx:${action.name}`]);
      return;
    case 'guest-read':
      yield* onGuest(action.domid, 'kernel.guestRead', [action.path]);
      return;
    case 'guest-watch':
      yield* onGuest(action.domid, 'kernel.guestWatch', [action.path]);
      return;
    case 'inflight-io':
      yield* sys('spawnOn', 'dom0.kernel', 'blkback.setInflight', [action.domid, action.count]);
      return;
    case 'open-disk':
      yield* onGuest(action.domid, 'kernel.diskUse', [true]);
      return;
    case 'close-disk':
      yield* onGuest(action.domid, 'kernel.diskUse', [false]);
      return;
    case 'close-frontends':
      yield* onGuest(action.domid, 'kernel.closeFrontends', []);
      return;
    case 'guest-write':
      yield* onGuest(action.domid, 'kernel.userWrite', [action.path, action.value]);
      return;
    case 'pause-backend':
      yield* sys('holdXenwatch', 'dom0.kernel', action.paused);
      return;
    case 'hold-xenwatch':
      yield* sys('holdXenwatch', yield* guestKernel(action.domid), action.held);
      return;
    case 'restart-xenstored':
      yield* sys('spawnOn', 'dom0.xl', 'xenstored.restart', []);
      return;
    case 'fault': {
      const problem = yield* sys('setFault', action.name, action.value);
      yield* sys('log', problem ?? `fault: ${action.name} = ${String(action.value)}`);
      return;
    }
    default: {
      const unknown: never = action;
      throw new Error(`no handler for user action ${JSON.stringify(unknown)}`);
    }
  }
}
