import { describe, expect, it } from 'vitest';
import { matchesGlob } from './pathGlob';

describe('path globs', () => {
  it('* stays within one element, ** crosses them, the rest is literal', () => {
    expect(matchesGlob('/local/domain/*/device/vbd/*/state', '/local/domain/1/device/vbd/51712/state')).toBe(
      true,
    );
    expect(matchesGlob('/local/domain/*/state', '/local/domain/1/device/state')).toBe(false);
    expect(matchesGlob('/local/domain/0/backend/**', '/local/domain/0/backend/vbd/1/51712/state')).toBe(true);
    expect(matchesGlob('/a.b', '/aXb')).toBe(false);
    expect(matchesGlob('**', 'anything/at/all')).toBe(true);
  });
});
