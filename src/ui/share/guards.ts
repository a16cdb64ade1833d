/** Checks for values read from JSON (links, saves, files): each says whether a value is usable. */

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A whole number 0 … max. */
export const isIndex = (v: unknown, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** Any text of at most `max` characters. */
export const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** A name: non-empty text of at most `max` characters, no control characters. */
export const isText = (v: unknown, max: number): v is string =>
  isString(v, max) && v.length > 0 && ![...v].some((c) => c < ' ');

/** Ring slot indices: a ring has at most 4096 slots. */
export const MAX_SLOT = 4095;
