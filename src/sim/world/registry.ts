/** Every routine a world can run, by the name routines and watches refer to it with. */
import type { RoutineFn } from '../../guest/kernel/env';
import { kernelBoot, kernelPowerOff, shutdownHandler } from '../../guest/kernel/boot';
import {
  kernelJumpBack,
  kernelKexec,
  kernelKexecJump,
  kernelKexecResume,
} from '../../drivers/routines/kexec';
import {
  xenbusDevChanged,
  xenbusOtherendChanged,
  xenbusResetBackendStateChanged,
} from '../../guest/kernel/xenbusCore';
import { doSuspend } from '../../guest/kernel/suspend';
import {
  closeFrontends,
  diskUse,
  guestRead,
  guestTransaction,
  guestWatch,
  userWatchFired,
  userWrite,
  wakeThread,
} from '../../guest/kernel/userspace';
import { backendChanged, setInflight } from '../../drivers/routines/blkback';
import { hotplugStatusChanged } from '../../drivers/routines/netback';
import { netbackRxAction, netfrontPoll } from '../../drivers/routines/netTraffic';
import * as xl from '../toolstack/xl';
import { userAct } from '../toolstack/userActions';
import { restartXenstored } from '../toolstack/xenstoreControl';

export const ROUTINES: Readonly<Record<string, RoutineFn>> = {
  'kernel.boot': kernelBoot,
  'kernel.powerOff': kernelPowerOff,
  'kernel.shutdownHandler': shutdownHandler,
  'kernel.doSuspend': doSuspend,
  'kernel.guestTransaction': guestTransaction as RoutineFn,
  'kernel.wakeThread': wakeThread as RoutineFn,
  'kernel.guestRead': guestRead as RoutineFn,
  'kernel.guestWatch': guestWatch as RoutineFn,
  'kernel.userWatchFired': userWatchFired as RoutineFn,
  'kernel.closeFrontends': closeFrontends,
  'kernel.diskUse': diskUse as RoutineFn,
  'kernel.userWrite': userWrite as RoutineFn,
  'kernel.kexec': kernelKexec as RoutineFn,
  'kernel.kexecJump': kernelKexecJump as RoutineFn,
  'kernel.jumpBack': kernelJumpBack,
  'kernel.kexecResume': kernelKexecResume,
  'xenbus.devChanged': xenbusDevChanged as RoutineFn,
  'xenbus.otherendChanged': xenbusOtherendChanged as RoutineFn,
  'xenbus.resetBackendStateChanged': xenbusResetBackendStateChanged as RoutineFn,
  'blkback.backendChanged': backendChanged as RoutineFn,
  'blkback.setInflight': setInflight as RoutineFn,
  'netback.hotplugStatusChanged': hotplugStatusChanged as RoutineFn,
  'netback.rxAction': netbackRxAction as RoutineFn,
  'netfront.poll': netfrontPoll,
  'xl.createDomain': xl.createDomain as RoutineFn,
  'xl.diskAdd': xl.diskAdd as RoutineFn,
  'xl.nicAdd': xl.nicAdd as RoutineFn,
  'xl.deviceRemove': xl.deviceRemove as RoutineFn,
  'xl.stateWatch': xl.stateWatch as RoutineFn,
  'xl.softReset': xl.softReset as RoutineFn,
  'xl.saveDomain': xl.saveDomain as RoutineFn,
  'hotplug.blockAdd': xl.blockAdd as RoutineFn,
  'hotplug.vifOnline': xl.vifOnline as RoutineFn,
  'hotplug.cleanup': xl.hotplugCleanup as RoutineFn,
  'xenstored.restart': restartXenstored,
  'user.act': userAct as RoutineFn,
};
