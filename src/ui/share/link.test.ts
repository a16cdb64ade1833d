import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProfileId } from '../../sim/profiles';
import { SCENARIOS } from '../../sim/scenarios/catalogue';
import { findPlayable } from '../../sim/scenarios/demos';
import { runScenario } from '../../sim/scenarios/run';
import { exportSession, type SessionFile } from '../../sim/session/session';
import {
  MAX_INFLATED_BYTES,
  NO_MODES,
  fromBase64Url,
  packShareState,
  packedAddress,
  parseAddress,
  readableAddress,
  toBase64Url,
  unpackShareState,
} from './link';
import { INSPECTOR_TABS } from '../app/viewStore';
import { DEFAULT_VIEW, type ShareState, type ShareView } from './shareState';
import { deflateSync, strToU8 } from 'fflate';

const sessions = new Map<string, SessionFile>();
function sessionOf(id: string, profile?: ProfileId): SessionFile {
  const key = `${id}/${profile ?? ''}`;
  let s = sessions.get(key);
  if (s === undefined) {
    const scenario = findPlayable(id)!;
    const p = profile ?? (scenario.profiles[0] as ProfileId);
    s = exportSession(runScenario(scenario, { profile: p }), id);
    sessions.set(key, s);
  }
  return s;
}

/** Views a user can make: any step of the trace, store paths, devices, slots, tabs, layouts. */
function viewArb(steps: number): fc.Arbitrary<ShareView> {
  const name = fc.stringMatching(/^[a-z0-9|/_.-]{1,40}$/);
  return fc.record({
    step: fc.integer({ min: 0, max: steps }),
    node: fc.option(name.map((n) => `/local/domain/${n}`)),
    device: fc.option(name),
    slot: fc.option(fc.record({ ring: name, index: fc.integer({ min: 0, max: 255 }) })),
    target: fc.integer({ min: 0, max: 64 }),
    tab: fc.constantFrom(...INSPECTOR_TABS),
    maximized: fc.constantFrom(null, 'world-map', 'store-view', 'sequence-chart', 'inspector'),
    collapsed: fc
      .uniqueArray(
        name.map((n) => `/local/${n}`),
        { maxLength: 4 },
      )
      .map((paths) => [...paths].sort()),
    zoom: fc.option(name),
    compare: fc.option(
      fc.record({ scenario: fc.constant('S7'), profile: fc.constant('kexec-patch-2006'), seed: fc.nat() }),
    ),
    breakpoints: fc.array(
      fc.record({
        text: fc.constantFrom('blkback: Connected→Closing', 'write /local/domain/*/device/**', 'eagain'),
        enabled: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    tour: fc.option(
      fc
        .array(
          fc.record({
            step: fc.integer({ min: 0, max: steps }),
            caption: fc.string({ maxLength: 80 }),
          }),
          { maxLength: 4 },
        )
        .map((stops) => ({
          scenario: 'S1',
          title: 'A tour',
          intro: 'Watch the <state> nodes & "watches".',
          stops: stops.sort((a, b) => a.step - b.step),
        })),
    ),
  });
}

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect([...fromBase64Url(text)!]).toEqual([...bytes]);
      }),
    );
  });
  it('refuses text that is not base64url', () => {
    expect(fromBase64Url('ab+c')).toBeNull();
    expect(fromBase64Url('abcde')).toBeNull();
  });
});

describe('packed links', () => {
  it('round-trip any view of a session (property)', () => {
    const session = sessionOf('S1', 'linux-modern');
    fc.assert(
      fc.property(viewArb(session.steps), (view) => {
        const state: ShareState = { session, view };
        const back = unpackShareState(packShareState(state));
        if (!back.ok) throw new Error(back.error);
        expect(back.value).toEqual(state);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trip the session of every catalogue scenario under every profile it is written for', () => {
    for (const s of SCENARIOS)
      for (const profile of s.profiles) {
        const state: ShareState = { session: sessionOf(s.id, profile), view: { ...DEFAULT_VIEW, step: 3 } };
        const back = unpackShareState(packShareState(state));
        if (!back.ok) throw new Error(`${s.id}/${profile}: ${back.error}`);
        expect(back.value).toEqual(state);
      }
  });

  it('stay under 2,000 characters for a typical session: every scenario, with a selection and a few actions', () => {
    const sizes: Array<[string, number]> = [];
    for (const s of SCENARIOS) {
      const session = sessionOf(s.id);
      const edited: SessionFile = {
        ...session,
        actions: [
          ...session.actions,
          { step: session.steps, action: { type: 'fault', name: 'watchFault', value: 'drop' } },
          { step: session.steps, action: { type: 'detach-disk', domid: 1 } },
        ],
      };
      const view: ShareView = {
        ...DEFAULT_VIEW,
        step: Math.floor(session.steps / 2),
        node: '/local/domain/1/device/vbd/51712/state',
        device: '/local/domain/1/device/vbd/51712',
        tab: 'debug',
        breakpoints: [{ text: 'blkback: Connected→Closing', enabled: true }],
      };
      const address = packedAddress({ session: edited, view }, NO_MODES);
      sizes.push([s.id, address.length]);
    }
    const over = sizes.filter(([, n]) => n >= 2000);
    expect(over).toEqual([]);
    // not vacuous: the sessions are real and the packed form does compress them
    expect(Math.max(...sizes.map(([, n]) => n))).toBeGreaterThan(100);
  });

  it('keep a manual session whose every step was picked by hand under 2,000 characters', () => {
    // S12 runs under the manual policy with a hold rule: its unusual picks are what the link carries
    const session = sessionOf('S12');
    expect(session.policy).toBe('manual');
    expect(session.picks.length).toBeGreaterThan(0);
    const address = packedAddress({ session, view: { ...DEFAULT_VIEW, step: session.steps } }, NO_MODES);
    expect(address.length).toBeLessThan(2000);
  });

  it('give an error, never a throw, for any tampering (property)', () => {
    const packed = packShareState({ session: sessionOf('S1', 'linux-modern'), view: DEFAULT_VIEW });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: packed.length - 1 }),
        fc.constantFrom(...'AZaz09-_+/%'),
        fc.boolean(),
        (at, ch, cut) => {
          const tampered = cut ? packed.slice(0, at) : packed.slice(0, at) + ch + packed.slice(at + 1);
          const back = unpackShareState(tampered);
          if (!back.ok) expect(back.error).toMatch(/^s: /);
          else expect(back.value.session.scenario).toBe('S1');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuse a deflate bomb and data that is not a session', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(MAX_INFLATED_BYTES + 10), { level: 9 }));
    expect(unpackShareState(bomb)).toEqual({ ok: false, error: expect.stringMatching(/^s: not a packed/) });
    const notJson = toBase64Url(deflateSync(strToU8('{"session":')));
    expect(unpackShareState(notJson)).toEqual({ ok: false, error: 's: the packed session is not JSON' });
    const wrong = toBase64Url(deflateSync(strToU8(JSON.stringify({ session: { format: 'x' } }))));
    expect(unpackShareState(wrong)).toEqual({
      ok: false,
      error: expect.stringMatching(/^s: session\.format/),
    });
    const step = toBase64Url(
      deflateSync(strToU8(JSON.stringify({ session: sessionOf('S1', 'linux-modern'), view: { step: 1e6 } }))),
    );
    expect(unpackShareState(step)).toEqual({ ok: false, error: expect.stringMatching(/^s: view\.step/) });
  });
});

describe('readable links', () => {
  it('round-trip a catalogue run with any view that has no breakpoints, tour or comparison (property)', () => {
    const request = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;
    fc.assert(
      fc.property(viewArb(200), (v) => {
        const view: ShareView = { ...v, breakpoints: [], tour: null, compare: null, collapsed: [] };
        const parsed = parseAddress(readableAddress(request, view, NO_MODES));
        expect(parsed.error).toBeNull();
        if (parsed.request.kind !== 'fixture') throw new Error('not a fixture link');
        expect(parsed.request.request).toEqual(request);
        expect({ ...DEFAULT_VIEW, ...parsed.request.view }).toEqual(view);
      }),
      { numRuns: 150 },
    );
  });

  it('carry the modes in both forms', () => {
    const modes = { embed: true, present: false, notes: true };
    const request = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;
    expect(parseAddress(readableAddress(request, DEFAULT_VIEW, modes)).modes).toEqual(modes);
    const packed = packedAddress({ session: sessionOf('S1', 'linux-modern'), view: DEFAULT_VIEW }, modes);
    expect(parseAddress(packed).modes).toEqual(modes);
  });

  it('name the parameter at fault', () => {
    const cases: Array<[string, RegExp]> = [
      ['?scenario=S1&step=x', /^step: must be a whole number/],
      ['?scenario=S1&slot=ring', /^slot: must be ring:index/],
      ['?scenario=S1&tab=secret', /^tab: must be one of/],
      ['?scenario=S1&max=sidebar', /^maximized: must be one of/],
      ['?scenario=S1&node=local', /^node: must be an absolute store path/],
      ['?scenario=S99', /^scenario: no scenario "S99"/],
      ['?s=%%%', /^s: not base64url/],
    ];
    for (const [search, error] of cases) {
      const parsed = parseAddress(search);
      expect(parsed.request.kind, search).toBe('none');
      expect(parsed.error, search).toMatch(error);
    }
    expect(parseAddress('?embed=1')).toEqual({
      modes: { embed: true, present: false, notes: false },
      request: { kind: 'none' },
      error: null,
    });
  });
});
