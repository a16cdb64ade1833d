/**
 * The guest kernel's xenstore client (Linux drivers/xen/xenbus/xenbus_xs.c): requests and replies,
 * watches and the xenwatch FIFO, suspend gating, xs_reset_watches, the reboot notifier.
 * Plain-data state; every call mutates it and returns what happened as data.
 */
export * from './types';
export {
  cloneXenbusClient,
  createXenbusClient,
  defaultClientOptions,
  getHeldContinuations,
  getXsStateUsers,
} from './client';
export { ERRNO, errnoName, getError } from './errors';
export type { ErrnoName } from './errors';
export { emptyStep, isGateClosed, xsSend, xsSendInto } from './requests';
export type { XsSendInput } from './requests';
export { decodeXenbusReply } from './replies';
export { watchEventMsg, xsDeliver, xsDeliverInto } from './deliver';
export type { DeliverOutcome } from './deliver';
export { findWatch, registerXenbusWatch, unregisterXenbusWatch } from './watches';
export type { WatchInput } from './watches';
export { getXenwatchView, isXenwatchBusy, xenwatchDone, xenwatchNext } from './xenwatch';
export type { XenwatchJob, XenwatchView } from './xenwatch';
export { xsResume, xsSuspend, xsSuspendCancel } from './suspend';
export { isXenbusOk, xsRebootNotify } from './reboot';
export type { SystemState, XenStoreDomainType } from './reboot';
export { readUnsigned, shouldReadResetFeature, shouldResetWatches, xsResetWatches } from './resetWatches';
export type { ResetWatchesDecision, ResetWatchesInput } from './resetWatches';
export {
  getDirectoryNames,
  getTransactionId,
  joinPath,
  xenbusDirectory,
  xenbusMkdir,
  xenbusRead,
  xenbusRm,
  xenbusTransactionEnd,
  xenbusTransactionStart,
  xenbusWrite,
} from './xenbusOps';
