import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../sim/profiles';
import { getXenbusStateName, parseXenbusState, XenbusState } from './xenbusState';

describe('XenbusState (xenbus.md §1)', () => {
  it('numbers Unknown 0 … Reconfigured 8', () => {
    expect(XenbusState.Unknown).toBe(0);
    expect(XenbusState.Connected).toBe(4);
    expect(XenbusState.Reconfigured).toBe(8);
    expect(getXenbusStateName(6)).toBe('Closed');
    expect(getXenbusStateName(9)).toBeUndefined();
  });

  it('parses the decimal string of a state node', () => {
    expect(parseXenbusState('4', PROFILES['linux-modern'].xenbus)).toEqual({
      kind: 'state',
      name: 'Connected',
      value: 4,
    });
  });

  it('a missing node reads as Unknown [modern] and as Closed [2006] (xen@e7b9a93ed4)', () => {
    expect(parseXenbusState(null, PROFILES['linux-modern'].xenbus)).toMatchObject({ name: 'Unknown' });
    expect(parseXenbusState(null, PROFILES['linux-2006'].xenbus)).toMatchObject({ name: 'Closed' });
    expect(parseXenbusState('', PROFILES['kexec-merged-2006'].xenbus)).toMatchObject({ name: 'Unknown' });
  });

  it('a number no state carries is reported as invalid', () => {
    expect(parseXenbusState('42', PROFILES['linux-modern'].xenbus)).toEqual({ kind: 'invalid', value: 42 });
    expect(parseXenbusState('9', PROFILES['linux-modern'].xenbus)).toStrictEqual({
      kind: 'invalid',
      value: 9,
    });
  });

  it('reads a single digit as %d does: like the same digit with a sign or padding', () => {
    const xenbus = PROFILES['linux-modern'].xenbus;
    for (let d = 0; d <= 9; d++) {
      expect(parseXenbusState(String(d), xenbus)).toStrictEqual(parseXenbusState(` +${d}`, xenbus));
    }
    expect(parseXenbusState('x', xenbus)).toStrictEqual(parseXenbusState(null, xenbus));
  });
});
