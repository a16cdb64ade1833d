/**
 * Checking user actions that come from outside (imported sessions, shared URLs): every field typed
 * and bounded, unknown fields refused. Errors name the field, e.g. `actions[2].action.domid`.
 */
import type { UserAction } from '../world/types';
import { checkOption } from '../world/options';

/** DOMID_FIRST_RESERVED - 1: the largest ordinary domain id. */
export const MAX_DOMID = 0x7fef;
const MAX_NAME = 64;

type Fields = Record<string, unknown>;
type Check = (v: unknown) => string | null;

const domU: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_DOMID
    ? null
    : `must be a domain id 1…${MAX_DOMID}`;
const anyDomain: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_DOMID
    ? null
    : `must be a domain id 0…${MAX_DOMID}`;
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const name: Check = (v) =>
  typeof v === 'string' && v.length >= 1 && v.length <= MAX_NAME && /^[\x21-\x7e]+$/.test(v)
    ? null
    : `must be 1…${MAX_NAME} printable characters without spaces`;
/** A path relative to the domain's home: plain node names, no leading slash. */
const relPath: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(v) && v.length <= 256
    ? null
    : 'must be a relative path of node names (letters, digits, _ . -), at most 256 characters';
const text: Check = (v) =>
  typeof v === 'string' && v.length <= 4096 ? null : 'must be text of at most 4096 characters';
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const count: Check = (v) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1024 ? null : 'must be an integer 0…1024';
const optionValue: Check = (v) =>
  typeof v === 'boolean' || typeof v === 'string' || Number.isFinite(v)
    ? null
    : 'must be a number, string or boolean';

/** Per action type: required fields, then optional ones. */
const SHAPES: Record<
  UserAction['type'],
  { required: Record<string, Check>; optional?: Record<string, Check> }
> = {
  'create-domain': { required: { domid: domU, kind: oneOf('PV', 'HVM'), image: name } },
  'attach-disk': { required: { domid: domU } },
  'detach-disk': { required: { domid: domU }, optional: { force: bool } },
  'attach-nic': { required: { domid: domU } },
  'detach-nic': { required: { domid: domU } },
  'guest-shutdown': { required: { domid: domU } },
  'close-frontends': { required: { domid: domU } },
  kexec: { required: { domid: domU, image: name }, optional: { mode: oneOf('kexec', 'kdump') } },
  'kexec-jump': { required: { domid: domU, image: name } },
  'kexec-jump-back': { required: { domid: domU } },
  'save-domain': { required: { domid: domU }, optional: { checkpoint: bool } },
  'guest-tx-start': { required: { domid: domU, name } },
  'guest-tx-end': { required: { domid: domU, name } },
  'guest-read': { required: { domid: domU, path: relPath } },
  'guest-watch': { required: { domid: domU, path: relPath } },
  'guest-write': { required: { domid: domU, path: relPath, value: text } },
  'net-traffic': { required: { domid: domU, packets: count }, optional: { polled: bool } },
  'pause-backend': { required: { domid: anyDomain, paused: bool } },
  'hold-xenwatch': { required: { domid: domU, held: bool } },
  'open-disk': { required: { domid: domU } },
  'close-disk': { required: { domid: domU } },
  'inflight-io': { required: { domid: domU, count } },
  'restart-xenstored': { required: {} },
  fault: {
    required: { name: (v) => (typeof v === 'string' ? null : 'must be an option name'), value: optionValue },
  },
};

/** The action, or an error naming the offending field under `at`. */
export function parseUserAction(
  raw: unknown,
  at: string,
): { ok: true; action: UserAction } | { ok: false; error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: `${at}: must be an object with a "type"` };
  const fields = raw as Fields;
  const type = fields['type'];
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type))
    return { ok: false, error: `${at}.type: must be one of ${Object.keys(SHAPES).join(', ')}` };
  const shape = SHAPES[type as UserAction['type']];
  for (const [field, check] of Object.entries(shape.required)) {
    if (!Object.hasOwn(fields, field)) return { ok: false, error: `${at}.${field}: missing` };
    const problem = check(fields[field]);
    if (problem) return { ok: false, error: `${at}.${field}: ${problem}` };
  }
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'type' || Object.hasOwn(shape.required, field)) continue;
    const check = shape.optional?.[field];
    if (!check) return { ok: false, error: `${at}.${field}: not a field of a ${type} action` };
    const problem = check(value);
    if (problem) return { ok: false, error: `${at}.${field}: ${problem}` };
  }
  if (type === 'fault') {
    const problem = checkOption(fields['name'] as string, fields['value']);
    if (problem) return { ok: false, error: `${at}: ${problem}` };
  }
  return { ok: true, action: { ...fields } as UserAction };
}
