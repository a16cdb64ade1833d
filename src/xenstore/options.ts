/**
 * Engine options and their defaults (spec xenstore.md §3, §6, §8.2; quota defaults of xenstored
 * 4.17 as printed by `xenstore-control quota`).
 */
import type { XenStoreOptions, XsQuotas, XsVersion } from './types';

/** Quota defaults: the same numbers for both daemon generations. */
export function defaultQuotas(): XsQuotas {
  return {
    nodes: 1000,
    nodeSize: 2048,
    watches: 128,
    transactions: 10,
    permissions: 5,
    pathMax: 2048,
    transactionNodes: 1024,
  };
}

/** Defaults for a daemon generation: [modern] read-set conflicts, [2006] global conflicts. */
export function defaultOptions(version: XsVersion = 'modern'): XenStoreOptions {
  return {
    version,
    conflictPolicy: version === 'modern' ? 'read-set' : 'global',
    quotas: defaultQuotas(),
    storeDomid: 0,
    keepOrphans: false,
  };
}

/** Options given to createXenStore(), completed from the defaults of their version. */
export type XenStoreOptionsInput = Partial<Omit<XenStoreOptions, 'quotas'>> & { quotas?: Partial<XsQuotas> };

export function resolveOptions(input: XenStoreOptionsInput = {}): XenStoreOptions {
  const base = defaultOptions(input.version ?? 'modern');
  return {
    version: base.version,
    conflictPolicy: input.conflictPolicy ?? base.conflictPolicy,
    quotas: { ...base.quotas, ...input.quotas },
    storeDomid: input.storeDomid ?? base.storeDomid,
    keepOrphans: input.keepOrphans ?? base.keepOrphans,
  };
}
