import { describe, expect, it } from 'vitest';
import { classifyActor, sequenceLanes } from './lanes';

describe('sequence chart lanes', () => {
  it('orders user, toolstack, hotplug, xenstored, hypervisor, then kernels by domain and epoch', () => {
    const lanes = sequenceLanes(
      [
        'dom2.K1',
        'xenstored',
        'dom1.K2',
        'dom0.kernel',
        'dom0.hotplug',
        'hypervisor',
        'dom1.K1',
        'user',
        'dom0.xl',
        'dom1.K2',
      ],
      100,
    );
    expect(lanes.map((l) => l.actor)).toEqual([
      'user',
      'dom0.xl',
      'dom0.hotplug',
      'xenstored',
      'hypervisor',
      'dom0.kernel',
      'dom1.K1',
      'dom1.K2',
      'dom2.K1',
    ]);
    expect(lanes.map((l) => l.x)).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850]);
  });

  it('puts a kexec successor right beside the kernel it replaced', () => {
    const lanes = sequenceLanes(['dom10.K1', 'dom9.K1', 'dom10.K2', 'dom9.K3', 'dom9.K2']);
    expect(lanes.map((l) => l.actor)).toEqual(['dom9.K1', 'dom9.K2', 'dom9.K3', 'dom10.K1', 'dom10.K2']);
  });

  it('reads domain and kernel epoch from the actor id', () => {
    expect(classifyActor('dom3.K2')).toEqual({ actor: 'dom3.K2', group: 'kernel', domid: 3, epoch: 2 });
    expect(classifyActor('dom0.kernel')).toMatchObject({ group: 'kernel', domid: 0, epoch: 1 });
    expect(classifyActor('conn7')).toMatchObject({ group: 'other', domid: null });
  });
});
