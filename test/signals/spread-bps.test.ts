import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { spreadBps } from '../../src/signals/spread-bps.js';
import { twoSidedBookArb } from './books.js';

describe('spreadBps', () => {
  it('is the spread over the mid in basis points (docstring example)', () => {
    const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
    // (580.23 - 579.40) / ((579.40 + 580.23) / 2) * 1e4 = 0.83 / 579.815 * 1e4
    //   579.815 * 0.00143 = 0.82913545; (0.83 - 0.82913545) / 579.815 = 0.00000149108; so 14.3149108 bps
    expect(spreadBps(book)).toBeCloseTo(14.3149108, 6);
  });

  it('is 1e4 / 100.5 * 1 = 99.50248756... bps for bid 100, ask 101', () => {
    // spread 1, mid 100.5: 1 / 100.5 * 1e4 = 99.50248756218906
    expect(spreadBps(bookFromLevels([[100, 1]], [[101, 1]]))).toBeCloseTo(99.50248756218906, 12);
  });

  it('is 0 when locked, negative when crossed, NaN when a side is empty', () => {
    expect(spreadBps(bookFromLevels([[100, 1]], [[100, 1]]))).toBe(0);
    expect(spreadBps(bookFromLevels([[101, 1]], [[100, 1]]))).toBeLessThan(0);
    expect(spreadBps(createBook(2))).toBeNaN();
    expect(spreadBps(bookFromLevels([[100, 1]], []))).toBeNaN();
    expect(spreadBps(bookFromLevels([], [[100, 1]]))).toBeNaN();
  });

  it('equals spread / mid * 1e4 and is >= 0 on valid books', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const bid = book.bidPx[0]!;
        const ask = book.askPx[0]!;
        const bps = spreadBps(book);
        expect(bps).toBeGreaterThanOrEqual(0);
        expect(bps).toBe(((ask - bid) / ((ask + bid) / 2)) * 1e4);
      }),
    );
  });
});
