import { describe, expect, it } from 'vitest';
import { SCORES_KEY, readScores, recordAnswer, scoreKey, totalScore } from './scores';
import { memoryStorage } from '../share/memoryStorage.test-support';

describe('predict scores', () => {
  it('count answers and right answers per scenario and profile, and in total', () => {
    const s = memoryStorage();
    const k = scoreKey('S1', 'linux-modern');
    expect(recordAnswer(s, k, true)).toEqual({ asked: 1, correct: 1 });
    expect(recordAnswer(s, k, false)).toEqual({ asked: 2, correct: 1 });
    recordAnswer(s, scoreKey('S7', 'kexec-patch-2006'), true);
    expect(readScores(s)[k]).toEqual({ asked: 2, correct: 1 });
    expect(totalScore(readScores(s))).toEqual({ asked: 3, correct: 2 });
  });

  it('ignore a damaged store and entries that are not scores', () => {
    const s = memoryStorage();
    s.setItem(SCORES_KEY, '{not json');
    expect(readScores(s)).toEqual({});
    s.setItem(
      SCORES_KEY,
      JSON.stringify({ a: { asked: 1, correct: 2 }, b: { asked: 2, correct: 1 }, c: 'x' }),
    );
    expect(readScores(s)).toEqual({ b: { asked: 2, correct: 1 } });
    expect(recordAnswer(s, 'b', true)).toEqual({ asked: 3, correct: 2 });
  });
});
