/** Small helpers the driver routines share: reading numbers, transactions with the EAGAIN loop. */
import { transactionEnd, transactionStart, xenbusWrite } from '../../guest/kernel/xenbusCore';
import type { Routine } from '../../guest/kernel/routine';
import { sys, type XenbusDeviceInfo } from '../../guest/kernel/sys';

/**
 * A transaction writing `nodes` under `dir`, redone from the start on EAGAIN (the drivers' `again:`
 * label). Returns 'ok' or the error of the step that failed.
 */
export function* writeTransaction(dir: string, nodes: ReadonlyArray<[string, string]>): Routine<string> {
  for (;;) {
    const tx = yield* transactionStart();
    if (tx === null) return 'EIO';
    let failed: string | null = null;
    for (const [name, value] of nodes) {
      const w = yield* xenbusWrite(`${dir}/${name}`, value, tx);
      if (!w.ok) {
        failed = w.error;
        break;
      }
    }
    if (failed !== null) {
      yield* transactionEnd(tx, true);
      return failed;
    }
    const end = yield* transactionEnd(tx, false);
    if (end === 'EAGAIN') continue;
    return end;
  }
}

/** A number from a node (xenbus_scanf "%u"), or `dflt` when missing or unparsable. */
export function toNumber(raw: string | null, dflt: number): number {
  if (raw === null) return dflt;
  const m = /^\s*(\d+)/.exec(raw);
  return m?.[1] === undefined ? dflt : Number(m[1]);
}

/** A number option of the world, or `dflt`. */
export function numberOption(options: Readonly<Record<string, unknown>>, name: string, dflt: number): number {
  const v = options[name];
  return typeof v === 'number' ? v : dflt;
}

/** The device object behind `key`; a routine only runs on a device that exists. */
export function* requireDevice(key: string): Routine<XenbusDeviceInfo> {
  const dev = yield* sys('devGet', key);
  if (dev === null) throw new Error(`no device ${key}`);
  return dev;
}
