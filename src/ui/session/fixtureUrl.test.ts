import { describe, expect, it } from 'vitest';
import { parseFixtureUrl } from './fixtureUrl';

describe('fixture URLs', () => {
  it('read scenario, profile and seed', () => {
    expect(parseFixtureUrl('?scenario=S1&profile=linux-modern&seed=7')).toEqual({
      kind: 'ok',
      value: { scenario: 'S1', profile: 'linux-modern', seed: 7 },
    });
    expect(parseFixtureUrl('scenario=S10&profile=kexec-patch-2006')).toMatchObject({
      kind: 'ok',
      value: { scenario: 'S10', profile: 'kexec-patch-2006' },
    });
  });

  it('default the profile to the scenario’s first and the seed to its own', () => {
    const r = parseFixtureUrl('?scenario=S1');
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.value.profile).toBe('linux-modern');
      expect(r.value.seed).toBe(1);
    }
  });

  it('ask for nothing without a scenario', () => {
    expect(parseFixtureUrl('')).toEqual({ kind: 'none' });
    expect(parseFixtureUrl('?theme=dark')).toEqual({ kind: 'none' });
  });

  it('name the bad parameter of a corrupt URL', () => {
    const err = (search: string) => {
      const r = parseFixtureUrl(search);
      return r.kind === 'error' ? r.error : null;
    };
    expect(err('?scenario=S99')).toMatch(/^scenario: no scenario "S99"/);
    expect(err('?scenario=<script>')).toMatch(/^scenario: no scenario "<script>"/);
    expect(err('?scenario=S1&profile=linux-1999')).toMatch(/^profile: no profile "linux-1999"/);
    expect(err('?scenario=S1&profile=kexec-merged-2006')).toMatch(/^profile: S1 is written for/);
    expect(err('?scenario=S1&seed=-1')).toMatch(/^seed: must be a whole number/);
    expect(err('?scenario=S1&seed=1e3')).toMatch(/^seed: /);
    expect(err('?scenario=S1&seed=99999999999')).toMatch(/^seed: /);
  });

  it('policy=manual asks for picking by hand; any other policy is refused by name', () => {
    expect(parseFixtureUrl('?scenario=S11&policy=manual')).toMatchObject({
      kind: 'ok',
      value: { scenario: 'S11', policy: 'manual' },
    });
    expect(parseFixtureUrl('?scenario=S11&policy=random')).toMatchObject({
      kind: 'error',
      error: expect.stringMatching(/^policy:/),
    });
  });
});
