/**
 * The driver dispatcher: one event into a device's machine, then each effect the transition named
 * carried out as a routine, in order; an effect that answers with events sends them at once (the C
 * call nesting: talk_to_blkback returns into blkback_changed, which goes on).
 */
import type { DriverEvent, KernelEnv } from '../../guest/kernel/env';
import { at, wait, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import {
  deviceUnregister,
  xenbusDevError,
  xenbusDevFatal,
  xenbusFrontendClosed,
  xenbusSwitchState,
} from '../../guest/kernel/xenbusCore';
import type { DriverEffect } from '../effects';
import * as blkback from './blkback';
import * as blkfront from './blkfront';
import * as netback from './netback';
import * as netfront from './netfront';

export function* dispatch(env: KernelEnv, key: string, event: DriverEvent): Routine {
  const effects = (yield* sys('devSend', key, event)) as readonly DriverEffect[];
  for (const effect of effects) {
    const answers = yield* runEffect(env, key, effect);
    for (const answer of answers) yield* dispatch(env, key, answer);
  }
}

/** One effect as the kernel carries it out; returns the events that answer it. */
export function* runEffect(env: KernelEnv, key: string, e: DriverEffect): Routine<DriverEvent[]> {
  switch (e.kind) {
    case 'switchState': {
      // fault `backendInitialisedEarly`: a buggy backend probe publishes Initialised for InitWait
      const buggy =
        e.state === 'InitWait' && env.options['backendInitialisedEarly'] === true && env.domid === 0;
      yield* xenbusSwitchState(env, key, buggy ? 'Initialised' : e.state);
      return [];
    }
    case 'devFatal':
      yield* xenbusDevFatal(env, key, e.errno, e.message);
      return [];
    case 'devError':
      yield* xenbusDevError(env, key, e.errno, e.message);
      return [];
    case 'deviceUnregister':
      yield* deviceUnregister(env, key);
      return [];
    case 'log': {
      const dev = yield* sys('devGet', key);
      yield* sys('log', `${dev?.relname ?? key}: ${e.message}`);
      return [];
    }
    case 'frontendClosed':
      yield* xenbusFrontendClosed(env, key);
      return [];
    case 'closingDone':
      // [2006-RFC] xenbus_closing_done()
      yield* at('xenbus_closing_done', 'drivers/xen/xenbus/xenbus_client.c');
      yield* xenbusSwitchState(env, key, e.state);
      yield* sys('complete', `down:${key}`);
      return [];
    case 'armShutdownTimeout': {
      // wait_for_completion_timeout(&dev->down, 5*HZ) in xenbus_dev_shutdown()
      const r = yield* wait(`down:${key}`, e.ms);
      return [{ type: r === 'woken' ? 'DOWN_COMPLETED' : 'SHUTDOWN_TIMEOUT' }];
    }
    case 'cancelShutdownTimeout':
      return [];
    case 'shutdownDone':
      return [];
    // blkback
    case 'watchPhysicalDevice':
      return yield* blkback.watchPhysicalDevice(env, key);
    case 'createVbd':
      return yield* blkback.createVbd(env, key, e);
    case 'blkifDisconnect':
      return yield* blkback.blkifDisconnect(env, key);
    case 'connectRing':
      return yield* blkback.connectRing(env, key);
    case 'connect':
      return yield* blkback.connect(env, key);
    case 'startIoThread':
      return yield* blkback.startIoThread(env, key);
    case 'readOnline':
      return yield* blkback.readOnline(env, key);
    case 'blkbackRemove':
      return yield* blkback.blkbackRemove(env, key);
    // blkfront
    case 'talkToBlkback':
      return yield* blkfront.talkToBlkback(env, key);
    case 'blkfrontConnect':
      return yield* blkfront.blkfrontConnect(env, key);
    case 'addDisk':
      return yield* blkfront.addDisk(env, key);
    case 'blkfrontClosing':
      return yield* blkfront.blkfrontClosing(env, key);
    case 'blkfrontRemove':
      return yield* blkfront.blkfrontRemove(env, key);
    case 'blkfrontResume':
      return yield* blkfront.blkfrontResume(env, key);
    case 'blkifRecover':
      return yield* blkfront.blkifRecover(env, key);
    // netback
    case 'writeNetbackFeatures':
      return yield* netback.writeNetbackFeatures(env, key);
    case 'createVif':
      return yield* netback.createVif(env, key);
    case 'destroyVif':
      return yield* netback.destroyVif(env, key);
    case 'netbackConnect':
      return yield* netback.netbackConnect(env, key);
    case 'backendDisconnect':
      return yield* netback.backendDisconnect(env, key);
    case 'watchHotplugStatus':
      return yield* netback.watchHotplugStatus(env, key);
    case 'unwatchHotplugStatus':
      return yield* netback.unwatchHotplugStatus(env, key);
    case 'netbackRemove':
      return yield* netback.netbackRemove(env, key);
    // netfront
    case 'xennetConnect':
      return yield* netfront.xennetConnect(env, key, e);
    case 'notifyPeers':
      return yield* netfront.notifyPeers(env, key);
    case 'closeNetdev':
      return yield* netfront.closeNetdev(env, key);
    case 'releaseRxBufs':
      return yield* netfront.releaseRxBufs(env, key, e);
    case 'netfrontRemove':
      return yield* netfront.netfrontRemove(env, key);
    case 'netfrontResume':
      return yield* netfront.netfrontResume(env, key);
  }
}
