/**
 * Predict-then-reveal scores, kept in this browser only: per scenario and profile, how many
 * questions were answered and how many rightly. A damaged entry counts as no score.
 */
export const SCORES_KEY = 'xenscope.scores';

export interface Score {
  asked: number;
  correct: number;
}

export type Scores = Record<string, Score>;

export function scoreKey(scenario: string, profile: string): string {
  return `${scenario}/${profile}`;
}

const isScore = (v: unknown): v is Score =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as Score).asked) &&
  Number.isInteger((v as Score).correct) &&
  (v as Score).asked >= (v as Score).correct &&
  (v as Score).correct >= 0;

export function readScores(storage: Storage): Scores {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(SCORES_KEY) ?? '{}');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Scores = {};
  for (const [k, v] of Object.entries(raw)) if (isScore(v)) out[k] = { asked: v.asked, correct: v.correct };
  return out;
}

/** Records one answer; returns the updated score of that scenario and profile. */
export function recordAnswer(storage: Storage, key: string, correct: boolean): Score {
  const scores = readScores(storage);
  const old = scores[key] ?? { asked: 0, correct: 0 };
  const next = { asked: old.asked + 1, correct: old.correct + (correct ? 1 : 0) };
  scores[key] = next;
  try {
    storage.setItem(SCORES_KEY, JSON.stringify(scores));
  } catch {
    // a full or refused storage: the score still shows for this page
  }
  return next;
}

/** All scenarios together. */
export function totalScore(scores: Scores): Score {
  let asked = 0;
  let correct = 0;
  for (const s of Object.values(scores)) {
    asked += s.asked;
    correct += s.correct;
  }
  return { asked, correct };
}
