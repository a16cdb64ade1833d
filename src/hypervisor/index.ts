/**
 * The hypervisor layer: domains, grant tables, event channels, shared rings and memory accounting,
 * as pure functions over plain data that return their effects. Operations mutate the state they are
 * given; take a `cloneHypervisor` snapshot first to keep the old one.
 */
export * from './types';
export * from './effects';
export * from './errors';
export * from './constants';
export { createHypervisor, getDomain, allocFrame } from './state';
export { cloneHypervisor } from './clone';
export { createDomain, destroyDomain, type CreateDomainArgs } from './domains';
export {
  gnttabAllocGrantReferences,
  gnttabFreeGrantReferences,
  grantForeignAccess,
  grantForeignAccessRef,
  grantForeignTransfer,
  grantForeignTransferRef,
  endForeignAccessRef,
  endForeignAccess,
  gnttabHandleDeferred,
  endForeignTransferRef,
  endForeignTransfer,
  queryForeignAccess,
  type EndAccessPolicy,
  type GrantAccessArgs,
} from './grantTable';
export { grantFlags, readEntry as getGrantEntry } from './grantEntry';
export { mapGrantRef, unmapGrantRef, gnttabTransfer, gnttabCopy, type MapGrantArgs } from './grantOps';
export { xenbusGrantRing, xenbusMapRingValloc, xenbusUnmapRingVfree, type MapRingErr } from './ringMapping';
export {
  allocUnbound,
  bindInterdomain,
  notifyRemoteViaEvtchn,
  clearEvtchn,
  maskEvtchn,
  unmaskEvtchn,
  closeEvtchn,
  evtchnReset,
  evtchnStatus,
} from './eventChannel';
export * from './ringMath';
export {
  sharedRingInit,
  backRingAttach,
  frontRingRelease,
  findRingByGrant,
  type SharedRingInitArgs,
} from './sharedRing';
export {
  ringPutRequest,
  ringPushRequests,
  ringPushRequestsAndCheckNotify,
  ringTakeResponse,
  ringFinalCheckForResponses,
} from './ringFront';
export {
  ringTakeRequest,
  ringPutResponse,
  ringPushResponses,
  ringPushResponsesAndCheckNotify,
  ringFinalCheckForRequests,
} from './ringBack';
export {
  decreaseReservation,
  increaseReservation,
  balloonUpdateDriverAllowance,
  balloonReleaseDriverPage,
  balloonSetTarget,
  balloonCurrentTarget,
  balloonProcess,
  balloonRead,
} from './balloon';
export { netfrontAllocRxBuffers, netfrontPollRx, type RxMode, type AllocRxArgs } from './netfrontRx';
export { netbackRxDeliver, NETIF_RSP, type RxDeliverArgs } from './netbackRx';
export {
  netifReleaseRxBufs,
  netfrontRxOutstanding,
  type RxOutstanding,
  type RxReleaseResult,
} from './rxRelease';
export { auditGrants, checkInvariants, type GrantHolding, type OutstandingGrant } from './audit';
