import { describe, expect, it } from 'vitest';
import { WORLD_DEPS } from '../../sim/world/createWorld';
import { deviceLabel, deviceNodeOf, machineNameOf, pairNodeOf, roleOf } from './devices';

describe('device keys', () => {
  it('name the driver and its machine', () => {
    expect(roleOf('dom1.K1|device/vbd/51712')).toBe('blkfront');
    expect(roleOf('dom0.kernel|backend/vbd/1/51712')).toBe('blkback');
    expect(roleOf('dom1.K2|device/vif/0')).toBe('netfront');
    expect(roleOf('dom0.kernel|backend/vif/1/0')).toBe('netback');
    expect(roleOf('dom1.K1|kexec')).toBe('kexec');
    expect(roleOf('dom1.K1|device/pci/0')).toBeNull();
    for (const key of ['dom1.K1|device/vbd/51712', 'dom0.kernel|backend/vif/1/0'])
      expect(WORLD_DEPS.machines[machineNameOf(key)!]).toBeDefined();
    expect(machineNameOf('dom1.K1|kexec')).toBe('kexec');
  });

  it('find the pair a backend belongs to by its frontend directory', () => {
    expect(pairNodeOf('dom0.kernel|backend/vbd/3/51712')).toBe('/local/domain/3/device/vbd/51712');
    expect(pairNodeOf('dom3.K2|device/vbd/51712')).toBe('/local/domain/3/device/vbd/51712');
    expect(deviceNodeOf('dom0.kernel|backend/vif/1/0')).toBe('/local/domain/0/backend/vif/1/0');
    expect(pairNodeOf('dom1.K1|kexec')).toBeNull();
  });

  it('label a device for a sentence', () => {
    expect(deviceLabel('dom0.kernel|backend/vbd/1/51712')).toBe('blkback in dom0');
    expect(deviceLabel('dom1.K2|device/vif/0')).toBe('netfront in dom1.K2');
  });
});
