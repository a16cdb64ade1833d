import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { exportSession } from '../../sim/session/session';
import type { FrameHost } from '../playback/frameLoop';
import { createXenScope } from '../app/xenscope';
import { hasUserContent } from './autosave';
import { currentShareState, isCatalogueRun, openFixture, openShareState } from './sessionOps';
import { DEFAULT_VIEW } from './shareState';

const idleHost: FrameHost = { requestAnimationFrame: () => 1, cancelAnimationFrame: () => {} };
const S1 = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;

describe('opening sessions on the page', () => {
  it('a catalogue run is told from one the user changed', () => {
    const world = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    const own = exportSession(world, 'S1');
    expect(isCatalogueRun(own)).toBe(true);
    world.act({ type: 'detach-disk', domid: 1 });
    world.run();
    expect(isCatalogueRun(exportSession(world, 'S1'))).toBe(false);
  });

  it('a session opens with its view; the page says whether it is the catalogue run', () => {
    const app = createXenScope(idleHost);
    expect(openFixture(app, S1, { step: 120, node: '/local/domain/1', tab: 'device' })).toBeNull();
    expect(app.timeline.getState().edited).toBe(false);
    const state = currentShareState(app)!;
    expect(state.view).toMatchObject({ step: 120, node: '/local/domain/1', tab: 'device' });
    app.act({ type: 'detach-disk', domid: 1 });
    expect(app.timeline.getState().edited).toBe(true);
    const changed = currentShareState(app)!;
    // elsewhere, the changed one opens as changed, the catalogue's as the catalogue's
    const other = createXenScope(idleHost);
    expect(openShareState(other, changed)).toBeNull();
    expect(other.timeline.getState().edited).toBe(true);
    expect(currentShareState(other)).toEqual(changed);
    expect(openShareState(other, state)).toBeNull();
    expect(other.timeline.getState().edited).toBe(false);
  });

  it('a step past the end or a session that does not replay changes nothing', () => {
    const app = createXenScope(idleHost);
    openFixture(app, S1, { step: 50 });
    const before = currentShareState(app);
    expect(openFixture(app, S1, { step: 1e6 })).toMatch(
      /^step: S1 under linux-modern has \d+ steps, not 1000000/,
    );
    const broken = { ...before!, session: { ...before!.session, steps: before!.session.steps + 10 } };
    expect(openShareState(app, broken)).toMatch(/^session\.steps: the session ends after/);
    expect(currentShareState(app)).toEqual(before);
  });

  it('a view with breakpoints, a tour or a comparison holds what the user made', () => {
    const session = exportSession(runScenario(findScenario('S1')!, { profile: 'linux-modern' }), 'S1');
    expect(hasUserContent({ session, view: DEFAULT_VIEW })).toBe(false);
    expect(
      hasUserContent({
        session,
        view: { ...DEFAULT_VIEW, breakpoints: [{ text: 'eagain', enabled: true }] },
      }),
    ).toBe(true);
    expect(
      hasUserContent({
        session,
        view: { ...DEFAULT_VIEW, tour: { scenario: 'S1', title: 't', intro: '', stops: [] } },
      }),
    ).toBe(true);
  });
});
