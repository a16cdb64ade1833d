/**
 * The xenstore engine: a pure, deterministic model of the C xenstored (modern 4.17 and 2006).
 * `createXenStore()` gives a store; `handle()` answers one wire request with its reply and effects.
 */
export * from './types';
export type { XenStore } from './store';
export { createXenStore, defaultOptions } from './store';
export type { XenStoreOptionsInput } from './options';
export { defaultQuotas } from './options';
export type { RequestArg, XsReply } from './request';
export { decodeReply, request, requestMsg, requestPayload, watchEvents } from './request';
export {
  OK_PAYLOAD,
  binaryToBytes,
  bytesToBinary,
  bytesToString,
  countStrings,
  errorPayload,
  joinStrings,
  oneArg,
  parseErrorPayload,
  splitStrings,
  stringToBytes,
} from './payload';
export { canonicalize, domainPath, getParent, isChild, isValidNodename } from './path';
