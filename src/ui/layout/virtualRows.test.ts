import { describe, expect, it } from 'vitest';
import { scrollToRow, visibleRows } from './virtualRows';

describe('virtual rows', () => {
  it('draws the rows in view and a margin on each side', () => {
    expect(visibleRows(100_000, 20, 20_000, 400, 5)).toEqual({ first: 995, end: 1025 });
    expect(visibleRows(100_000, 20, 0, 400, 5)).toEqual({ first: 0, end: 25 });
    // scrolled past the end (a list that just shrank): nothing beyond the last row
    expect(visibleRows(10, 20, 5_000, 400, 5)).toEqual({ first: 10, end: 10 });
    expect(visibleRows(0, 20, 0, 400)).toEqual({ first: 0, end: 0 });
  });

  it('scrolls a row into view only as far as needed', () => {
    expect(scrollToRow(50, 20, 0, 400)).toBe(620);
    expect(scrollToRow(3, 20, 400, 400)).toBe(60);
    expect(scrollToRow(25, 20, 400, 400)).toBe(400);
  });
});
