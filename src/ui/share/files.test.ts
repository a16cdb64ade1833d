import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { exportSession } from '../../sim/session/session';
import { importFileText, sessionFileText, traceFileText } from './files';
import { DEFAULT_VIEW, type ShareState } from './shareState';

function s7(): { state: ShareState; trace: string } {
  const world = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' });
  world.act({ type: 'fault', name: 'watchFault', value: 'delay' });
  world.act({ type: 'detach-disk', domid: 1 });
  world.run();
  return {
    state: { session: exportSession(world, 'S7'), view: { ...DEFAULT_VIEW, step: 700, tab: 'debug' } },
    trace: JSON.stringify(world.trace),
  };
}

describe('session and trace files', () => {
  const { state, trace } = s7();

  it('a session file imports back to the same state and trace', () => {
    const back = importFileText(sessionFileText(state));
    if (!back.ok) throw new Error(back.error);
    expect(back.value.kind).toBe('session');
    expect(back.value.state).toEqual(state);
    expect(JSON.stringify(back.value.world.trace)).toBe(trace);
  });

  it('a trace file imports to an identical trace; an edited step is refused by number', () => {
    const text = traceFileText(state, JSON.parse(trace));
    const back = importFileText(text);
    if (!back.ok) throw new Error(back.error);
    expect(back.value.kind).toBe('trace');
    expect(JSON.stringify(back.value.world.trace)).toBe(trace);
    const edited = JSON.parse(text);
    edited.trace[40].summary = 'something else';
    expect(importFileText(JSON.stringify(edited))).toEqual({
      ok: false,
      error: 'trace: step 40 differs from what its session replays (was the file edited?)',
    });
    edited.trace = edited.trace.slice(0, 10);
    expect(importFileText(JSON.stringify(edited))).toEqual({
      ok: false,
      error: expect.stringMatching(/^trace: step 10 differs|^trace: has 10 steps/),
    });
  });

  it('a bare core session imports with the default view', () => {
    const back = importFileText(JSON.stringify(state.session));
    if (!back.ok) throw new Error(back.error);
    expect(back.value.state.view).toEqual(DEFAULT_VIEW);
  });

  it('names what is wrong with a file that is not one', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /^file: not JSON/],
      ['[1,2]', /^file: not a XenScope session or trace/],
      ['{"format":"pcap"}', /^format: "pcap" is not a XenScope file/],
      ['{"format":"xenscope-trace","version":2}', /^version: must be 1/],
      [JSON.stringify({ ...state, extra: 1 }), /^extra: not a field/],
      [JSON.stringify({ ...state, view: { ...state.view, step: 1e7 } }), /^view\.step: must be an integer/],
      [JSON.stringify({ session: { ...state.session, seed: -1 } }), /^session\.seed:/],
      [
        JSON.stringify({ ...state, session: { ...state.session, steps: state.session.steps + 50 } }),
        /^session\.steps: the session ends after/,
      ],
    ];
    for (const [text, error] of cases) {
      const r = importFileText(text);
      expect(r.ok, text.slice(0, 60)).toBe(false);
      if (!r.ok) expect(r.error, text.slice(0, 60)).toMatch(error);
    }
  });
});
