/** The base world's devices (spec scenarios.md): vbd 51712 (xvda) and vif 0, backends in dom0. */
import { domainPath } from '../../guest/kernel/xenbusCore';

export const VBD_DEVID = 51712;
export const VIF_DEVID = 0;
export const BACKEND_DOMID = 0;

export interface DevicePaths {
  fe: string;
  be: string;
  libxl: string;
}

export function devicePaths(domid: number, type: 'vbd' | 'vif'): DevicePaths {
  const devid = type === 'vbd' ? VBD_DEVID : VIF_DEVID;
  return {
    fe: `${domainPath(domid)}/device/${type}/${devid}`,
    be: `${domainPath(BACKEND_DOMID)}/backend/${type}/${domid}/${devid}`,
    libxl: `/libxl/${domid}/device/${type}/${devid}`,
  };
}

/** 00:16:3e:00:00:<domid> */
export function macOf(domid: number): string {
  return `00:16:3e:00:00:${domid.toString(16).padStart(2, '0')}`;
}
