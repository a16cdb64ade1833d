/** Model time in integer milliseconds. Only the scheduler advances it; nothing reads a wall clock. */
export type ModelTime = number & { readonly __brand: 'ModelTime' };

export function modelTime(ms: number): ModelTime {
  if (!Number.isInteger(ms) || ms < 0)
    throw new RangeError(`model time must be a non-negative integer: ${ms}`);
  return ms as ModelTime;
}

export const TIME_ZERO = modelTime(0);
