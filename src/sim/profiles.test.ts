import { describe, expect, it } from 'vitest';
import { PROFILES, PROFILE_IDS, getProfile, isProfileId } from './profiles';

describe('profiles', () => {
  it('are the four of the spec, each keyed by its own id', () => {
    expect(PROFILE_IDS).toEqual(['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006', 'linux-modern']);
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
    expect(new Set(PROFILE_IDS.map((id) => PROFILES[id].label)).size).toBe(4);
  });

  it('run the 2006 daemon (global conflicts) in every 2006 profile and the modern one (read-set) today', () => {
    for (const id of ['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006'] as const) {
      expect(PROFILES[id].store).toEqual({ version: '2006', conflictPolicy: 'global' });
    }
    expect(PROFILES['linux-modern'].store).toEqual({ version: 'modern', conflictPolicy: 'read-set' });
  });

  it('reconnect backends from Closing in the RFC, from Closed once merged, never before', () => {
    expect(PROFILE_IDS.map((id) => PROFILES[id].blkback.reconnectFrom)).toEqual([
      'none',
      'Closing',
      'Closed',
      'Closed',
    ]);
  });

  it('keep a closed backend only where the toolstack writes `online`', () => {
    for (const id of PROFILE_IDS) {
      const p = PROFILES[id];
      expect(p.blkback.unregisterOnPeerClosed === 'unless-online').toBe(p.onlineNode);
    }
  });

  it('flip receive pages in 2006 and copy them today', () => {
    expect(PROFILE_IDS.map((id) => PROFILES[id].netfront.rxMode)).toEqual(['flip', 'flip', 'flip', 'copy']);
  });

  it('resolve ids and name the valid ones for a bad id', () => {
    expect(getProfile('linux-modern').label).toBe('[modern]');
    expect(isProfileId('linux-2007')).toBe(false);
    expect(() => getProfile('linux-2007')).toThrow(
      /unknown profile "linux-2007"; expected one of linux-2006/,
    );
  });
});
