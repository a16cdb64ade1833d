import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { exportSession } from '../../sim/session/session';
import {
  AUTOSAVE_KEY,
  MAX_RECENT,
  keepDamaged,
  pushRecent,
  readDamaged,
  readRecent,
  readSaved,
  writeAutosave,
} from './autosave';
import { DEFAULT_VIEW, type ShareState } from './shareState';
import { memoryStorage } from './memoryStorage.test-support';

const session = exportSession(runScenario(findScenario('S1')!, { profile: 'linux-modern' }), 'S1');
const state = (step: number, seed = 1): ShareState => ({
  session: { ...session, seed },
  view: { ...DEFAULT_VIEW, step },
});

describe('autosave', () => {
  it('restores what it saved', () => {
    const s = memoryStorage();
    expect(readSaved(s)).toEqual({ kind: 'none' });
    expect(writeAutosave(s, state(42))).toBeNull();
    expect(readSaved(s)).toEqual({ kind: 'ok', state: state(42) });
  });

  it('reports a damaged save with its text, which is set aside and kept', () => {
    const s = memoryStorage();
    s.setItem(AUTOSAVE_KEY, '{"session":');
    expect(readSaved(s)).toEqual({ kind: 'damaged', error: 'not JSON', raw: '{"session":' });
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ ...state(1), view: { step: -1 } }));
    const damaged = readSaved(s);
    expect(damaged).toMatchObject({ kind: 'damaged', error: expect.stringMatching(/^view\.step/) });
    keepDamaged(s, (damaged as { raw: string }).raw);
    writeAutosave(s, state(3));
    expect(readDamaged(s)).toBe(JSON.stringify({ ...state(1), view: { step: -1 } }));
  });

  it('a full storage gives an error, not a throw', () => {
    expect(writeAutosave(memoryStorage(10), state(1))).toMatch(/^the browser refused to save/);
  });

  it('keeps recent sessions newest first, one entry per session, at most MAX_RECENT', () => {
    const s = memoryStorage();
    for (let i = 0; i < MAX_RECENT + 3; i++) pushRecent(s, state(i, i));
    pushRecent(s, state(99, MAX_RECENT + 1));
    const recent = readRecent(s);
    expect(recent).toHaveLength(MAX_RECENT);
    expect(recent[0]!.state).toEqual(state(99, MAX_RECENT + 1));
    expect(recent[0]!.label).toBe('S1 · linux-modern · seed 9 · 2 actions · step 99');
    expect(new Set(recent.map((r) => r.state.session.seed)).size).toBe(MAX_RECENT);
  });
});
