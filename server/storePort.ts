/**
 * The part of the store engine (src/xenstore createXenStore()) that the socket server drives:
 * connections come and go, domains are introduced, requests are handled. Narrow on purpose, so tests
 * can stand in for the engine (testing.ts EchoStore).
 */
import type { XenStore } from '../src/xenstore';

export type StorePort = Pick<XenStore, 'connect' | 'introduceDomain' | 'disconnect' | 'handle'>;
