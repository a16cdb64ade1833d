import { describe, expect, it } from 'vitest';
import { parseSimArgs } from './args';

describe('npm run sim arguments', () => {
  it('takes a scenario with its first profile and seed 1 by default', () => {
    const r = parseSimArgs(['--scenario', 'S7']);
    expect(r.kind === 'run' && [r.args.scenario.id, r.args.profile, r.args.seed]).toEqual([
      'S7',
      'kexec-patch-2006',
      1,
    ]);
  });

  it.each([
    [['--scenario', 'S99'], 'unknown scenario "S99"'],
    [
      ['--scenario', 'S7', '--profile', 'linux-modern'],
      'S7 is written for kexec-patch-2006, not linux-modern',
    ],
    [['--scenario', 'S1', '--seed', '1.5'], '--seed must be a non-negative integer, got "1.5"'],
    [['--scenario', 'S1', '--until', 'x'], '--until must be a non-negative integer, got "x"'],
    [['--scenario', 'S1', '--policy', 'random'], '--policy must be fifo, seeded or manual, got "random"'],
    [[], '--scenario is required'],
  ])('%j is an error: %s', (argv, message) => {
    expect(parseSimArgs(argv)).toEqual({ kind: 'error', message });
  });

  it('rejects unknown flags', () => {
    expect(parseSimArgs(['--scenario', 'S1', '--fast']).kind).toBe('error');
  });
});
