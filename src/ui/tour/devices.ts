/**
 * Reading device keys (`<actor>|<relname>`, e.g. `dom1.K1|device/vbd/51712`,
 * `dom0.kernel|backend/vbd/1/51712`, and `dom1.K1|kexec` for a kernel's kexec machine): which driver
 * role a key stands for, which machine draws it, and how to name it in a sentence. Pure.
 */

export type DriverRole = 'blkfront' | 'blkback' | 'netfront' | 'netback' | 'kexec';

const ROLES: Readonly<Record<string, DriverRole>> = {
  'device/vbd': 'blkfront',
  'backend/vbd': 'blkback',
  'device/vif': 'netfront',
  'backend/vif': 'netback',
};

/** The kernel actor and the relative name of a device key. */
export function splitDeviceKey(key: string): { actor: string; rel: string } {
  const bar = key.indexOf('|');
  return bar < 0 ? { actor: key, rel: '' } : { actor: key.slice(0, bar), rel: key.slice(bar + 1) };
}

/** The driver behind a device key, or null for anything else. */
export function roleOf(key: string): DriverRole | null {
  const { rel } = splitDeviceKey(key);
  if (rel === 'kexec') return 'kexec';
  const m = /^(device|backend)\/(vbd|vif)\//.exec(rel);
  return m ? (ROLES[`${m[1]}/${m[2]}`] ?? null) : null;
}

/**
 * The machine name of a device key, as WORLD_DEPS.machines names them ('vbd-frontend',
 * 'vif-backend' …), or 'kexec' for a kernel's kexec machine.
 */
export function machineNameOf(key: string): string | null {
  const { rel } = splitDeviceKey(key);
  if (rel === 'kexec') return 'kexec';
  const m = /^(device|backend)\/(vbd|vif)\//.exec(rel);
  return m ? `${m[2]}-${m[1] === 'device' ? 'frontend' : 'backend'}` : null;
}

/** The domain id of a kernel actor ('dom1.K2' → 1), or null. */
export function domidOf(actor: string): number | null {
  const m = /^dom(\d+)\./.exec(actor);
  return m ? Number(m[1]) : null;
}

/** The domain home of a device's directory: `dom1.K1|device/vbd/51712` → `/local/domain/1/device/vbd/51712`. */
export function deviceNodeOf(key: string): string | null {
  const { actor, rel } = splitDeviceKey(key);
  const domid = domidOf(actor);
  return domid === null || rel === '' || rel === 'kexec' ? null : `/local/domain/${domid}/${rel}`;
}

/**
 * The device pair a key belongs to, named by its frontend directory (what the view's `device`
 * selection holds): a backend `backend/<type>/<fe>/<id>` pairs with `/local/domain/<fe>/device/<type>/<id>`.
 */
export function pairNodeOf(key: string): string | null {
  const { rel } = splitDeviceKey(key);
  const back = /^backend\/(\w+)\/(\d+)\/(\w+)$/.exec(rel);
  if (back) return `/local/domain/${back[2]}/device/${back[1]}/${back[3]}`;
  return rel.startsWith('device/') ? deviceNodeOf(key) : null;
}

/** An actor as a sentence names it: 'dom0.kernel' → 'dom0' (dom0's kernel), 'dom1.K2' as is. */
export function actorLabel(actor: string): string {
  return actor.endsWith('.kernel') ? actor.slice(0, -'.kernel'.length) : actor;
}

/** 'blkfront in dom1.K1', 'blkback in dom0', 'the kexec path of dom1.K1'. */
export function deviceLabel(key: string): string {
  const role = roleOf(key);
  const { actor } = splitDeviceKey(key);
  if (role === 'kexec') return `the kexec path of ${actor}`;
  return role === null ? key : `${role} in ${actorLabel(actor)}`;
}
