/**
 * A store as the socket server serves it: the engine for a daemon version (which implies its
 * transaction conflict policy), plus the nodes real xenstored creates at start. Shared by the command
 * line, the tests and the benchmark.
 */
import { createXenStore, type XenStore } from '../src/xenstore';
import type { XsVersion } from '../src/xenstore/types';
import { createInitialTree } from './initialTree';

export function createServedStore(version: XsVersion = 'modern'): XenStore {
  const store = createXenStore({ version });
  createInitialTree(store);
  return store;
}
