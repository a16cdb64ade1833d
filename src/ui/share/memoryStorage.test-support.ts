/** A Storage in memory for the tests; `limit` makes setItem refuse longer values, as a full one does. */
export function memoryStorage(limit = Infinity): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => {
      if (String(v).length > limit) throw new Error('QuotaExceededError');
      m.set(k, String(v));
    },
  };
}
