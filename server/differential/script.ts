/**
 * Request scripts for the differential test: JSON data files under scripts/, each a list of steps
 * sent in order to the real xenstored and to ours. A step is one request on one named connection:
 *
 *     { "as": "dom1", "type": "WRITE", "args": ["data/x", "1"], "note": "relative write" }
 *
 * - `as`: `dom0` and `dom0b` are privileged tool sockets, `dom1` and `dom2` the domain sockets.
 * - `type`: an xs_wire.h name (`READ`) or a number (unknown types, e.g. 99).
 * - payload: `args` are each NUL-terminated (`a\0b\0`); for WRITE the last arg is the raw value with
 *   no NUL (xs_write()). `raw` gives the exact payload instead (JSON `\u0000` for NUL), `size` a
 *   payload of that many `x` bytes (for oversize frames).
 * - `tx`: header tx_id, either a name bound by an earlier `newTx` on the same connection or a number.
 *   `newTx` on TRANSACTION_START binds the returned id to a name.
 * - `repeat`: send the step N times, with `{i}` in args/raw/tx/newTx replaced by 0..N-1.
 * - `{c*N}` in args/raw stands for the character c repeated N times (long values and paths).
 * - `note`: what the step checks; ignored by the runner.
 * - `deviation`: the id of an entry in DEVIATIONS.md: this step is known to differ, on purpose.
 */
import type { XsMsg } from '../../src/xenstore/types';
import { XsType } from '../../src/xenstore/types';
import { joinStrings, requestPayload, stringToBytes } from '../../src/xenstore';
import { xsTypeNumber } from '../../src/xenstore/wire';

export const CONN_NAMES = ['dom0', 'dom0b', 'dom1', 'dom2'] as const;
export type ConnName = (typeof CONN_NAMES)[number];

export interface Step {
  as: ConnName;
  type: string | number;
  args?: string[];
  raw?: string;
  size?: number;
  tx?: string | number;
  newTx?: string;
  repeat?: number;
  note?: string;
  deviation?: string;
}

/** One request as sent: the step it came from, the repetition, and the message minus its req_id. */
export interface Request {
  step: number;
  rep: number;
  as: ConnName;
  type: number;
  payload: Uint8Array;
  /** tx_id: a transaction name, a literal number, or 0 */
  tx: string | number;
  newTx?: string;
  note: string;
  deviation?: string;
}

const STEP_KEYS = new Set([
  'as',
  'type',
  'args',
  'raw',
  'size',
  'tx',
  'newTx',
  'repeat',
  'note',
  'deviation',
]);

/** Checks the shape of a parsed script; throws with the step index on the first problem. */
export function validateScript(data: unknown, name: string): Step[] {
  if (!Array.isArray(data)) throw new Error(`${name}: a script is a JSON array of steps`);
  return data.map((s: unknown, i) => {
    const where = `${name} step ${i}`;
    if (typeof s !== 'object' || s === null) throw new Error(`${where}: not an object`);
    const step = s as Record<string, unknown>;
    for (const k of Object.keys(step)) if (!STEP_KEYS.has(k)) throw new Error(`${where}: unknown key '${k}'`);
    if (!CONN_NAMES.includes(step.as as ConnName))
      throw new Error(`${where}: 'as' must be one of ${CONN_NAMES.join(', ')}`);
    const t = step.type;
    if (!(typeof t === 'number' || (typeof t === 'string' && xsTypeNumber(t) !== undefined))) {
      throw new Error(`${where}: unknown type ${JSON.stringify(t)}`);
    }
    const shapes = ['args', 'raw', 'size'].filter((k) => step[k] !== undefined);
    if (shapes.length > 1) throw new Error(`${where}: give only one of args, raw, size`);
    if (
      step.args !== undefined &&
      !(Array.isArray(step.args) && step.args.every((a) => typeof a === 'string'))
    ) {
      throw new Error(`${where}: args must be strings`);
    }
    if (step.newTx !== undefined && t !== 'TRANSACTION_START')
      throw new Error(`${where}: newTx only on TRANSACTION_START`);
    return step as unknown as Step;
  });
}

/** `{i}` becomes the repetition number, `{c*N}` the character c repeated N times. */
const sub = (s: string, i: number) =>
  s.replaceAll('{i}', String(i)).replace(/\{(.)\*(\d+)\}/g, (_, c: string, n: string) => c.repeat(Number(n)));

function payloadOf(step: Step, type: number, i: number): Uint8Array {
  if (step.size !== undefined) return new Uint8Array(step.size).fill(0x78);
  if (step.raw !== undefined) return stringToBytes(sub(step.raw, i));
  const args = (step.args ?? []).map((a) => sub(a, i));
  // A WRITE of more than two args keeps its extra NULs in the value (a payload-shape case).
  if (type === XsType.WRITE && args.length > 2) {
    const value = args.pop() as string;
    return new Uint8Array([...joinStrings(args), ...stringToBytes(value)]);
  }
  return requestPayload(type, args);
}

/** Expands a script into the requests to send, in order. */
export function expandScript(steps: readonly Step[]): Request[] {
  const out: Request[] = [];
  steps.forEach((step, index) => {
    const type = typeof step.type === 'number' ? step.type : (xsTypeNumber(step.type) as number);
    for (let rep = 0; rep < (step.repeat ?? 1); rep++) {
      const req: Request = {
        step: index,
        rep,
        as: step.as,
        type,
        payload: payloadOf(step, type, rep),
        tx: typeof step.tx === 'string' ? sub(step.tx, rep) : (step.tx ?? 0),
        note: step.note ?? '',
      };
      if (step.newTx !== undefined) req.newTx = sub(step.newTx, rep);
      if (step.deviation !== undefined) req.deviation = step.deviation;
      out.push(req);
    }
  });
  return out;
}

/**
 * tx_id sent for a transaction name whose TRANSACTION_START failed: no daemon hands out this id, so the
 * request gets the unknown-transaction answer on both sides and the failed start shows in the diff.
 */
export const UNBOUND_TX = 0xffff_fffe;

/** The message to send for `req`, given the transaction names bound so far on its connection. */
export function requestMsg(req: Request, txIds: ReadonlyMap<string, number>): Omit<XsMsg, 'reqId'> {
  const txId = typeof req.tx === 'number' ? req.tx : (txIds.get(req.tx) ?? UNBOUND_TX);
  return { type: req.type, txId, payload: req.payload };
}
