import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, copyBook, createBook } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { BookSnapshot } from '../../src/core/events.js';
import { DEFAULT_MULTI_LEVEL_OFI_OPTIONS, MultiLevelOfi } from '../../src/signals/multi-level-ofi.js';
import { Ofi } from '../../src/signals/ofi.js';
import { testOperatorContract } from '../support/contract.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { bookStreamArb, closeToFlow, isNegation, mirrorBook, readLobsterBooks } from './books.js';

const SENTINEL = 9999999999;

/**
 * The reference's multi-level e_n, written from its README: LOBSTER sentinel prices (+-9999999999,
 * size 0) for empty levels, used as they are in the comparisons; 0 for the first row and for pairs
 * where a row lacks a best bid or ask. Returns [e_n, magnitude of its terms] per level.
 */
function referenceLevels(prev: BookSnapshot | undefined, cur: BookSnapshot, levels: number): Array<[number, number]> {
  const valid = (b: BookSnapshot): boolean => b.bidLevels > 0 && b.askLevels > 0;
  if (prev === undefined || !valid(prev) || !valid(cur)) return Array.from({ length: levels }, () => [0, 0]);
  const I = (c: boolean): number => (c ? 1 : 0);
  const level = (b: BookSnapshot, m: number): [number, number, number, number] => [
    m < b.bidLevels ? b.bidPx[m]! : -SENTINEL,
    m < b.bidLevels ? b.bidSz[m]! : 0,
    m < b.askLevels ? b.askPx[m]! : SENTINEL,
    m < b.askLevels ? b.askSz[m]! : 0,
  ];
  const out: Array<[number, number]> = [];
  for (let m = 0; m < levels; m++) {
    const [pb0, qb0, pa0, qa0] = level(prev, m);
    const [pb, qb, pa, qa] = level(cur, m);
    out.push([I(pb >= pb0) * qb - I(pb <= pb0) * qb0 - I(pa <= pa0) * qa + I(pa >= pa0) * qa0, qb + qb0 + qa + qa0]);
  }
  return out;
}

describe('MultiLevelOfi', () => {
  it('applies e_n per level and returns the sum (docstring example)', () => {
    const op = new MultiLevelOfi({ levels: 2 });
    expect(op.update(bookFromLevels([[100, 5], [99, 7]], [[101, 4], [102, 6]]))).toBe(0);
    // level 1: bid 100 x 5 -> 100 x 8: 8 - 5 = +3, ask unchanged: 0
    // level 2: bid 99 x 7 -> empty (-Infinity): -qb_n-1 = -7, ask unchanged: 0; sum 3 - 7 = -4
    expect(op.update(bookFromLevels([[100, 8]], [[101, 4], [102, 6]], { depth: 2 }))).toBe(-4);
    expect(op.level(1)).toBe(3);
    expect(op.level(2)).toBe(-7);
    expect(Array.from(op.values)).toEqual([3, -7]);
  });

  it('counts an emptied ask level as +qa_n-1, a refilled level as its new size, an always-empty level as 0', () => {
    const op = new MultiLevelOfi({ levels: 3 });
    op.update(bookFromLevels([[100, 5], [99, 7]], [[101, 4], [102, 6]], { depth: 3 }));
    // level 2 ask 102 x 6 -> empty (+Infinity >= 102): +6; level 3 empty both times: 0
    op.update(bookFromLevels([[100, 5], [99, 7]], [[101, 4]], { depth: 3 }));
    expect(Array.from(op.values)).toEqual([0, 6, 0]);
    // level 2 ask refills at 103 x 2: 103 <= +Infinity -> -qa_n = -2
    op.update(bookFromLevels([[100, 5], [99, 7]], [[101, 4], [103, 2]], { depth: 3 }));
    expect(Array.from(op.values)).toEqual([0, -2, 0]);
  });

  it('treats levels past the book depth as empty', () => {
    const op = new MultiLevelOfi({ levels: 5 });
    op.update(bookFromLevels([[100, 5]], [[101, 4]]));
    // depth-1 books: levels 2-5 are empty in both: only level 1 counts (+2)
    expect(op.update(bookFromLevels([[100, 7]], [[101, 4]]))).toBe(2);
    expect(Array.from(op.values)).toEqual([2, 0, 0, 0, 0]);
  });

  it('returns 0 on every level when a book lacks a side, and for the first valid book after one', () => {
    const op = new MultiLevelOfi({ levels: 2 });
    const a = bookFromLevels([[100, 5], [99, 7]], [[101, 4], [102, 6]]);
    op.update(a);
    expect(op.update(bookFromLevels([[100, 5], [99, 7]], [], { depth: 2 }))).toBe(0);
    expect(Array.from(op.values)).toEqual([0, 0]);
    expect(op.update(a)).toBe(0);
  });

  it('gives level 1 equal to Ofi on any stream', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const ml = new MultiLevelOfi({ levels: 3 });
        const ofi = new Ofi();
        for (const b of books) {
          ml.update(b);
          expect(ml.level(1)).toBe(ofi.update(b));
        }
      }),
    );
  });

  it('gives the same values as the reference sentinel convention on any stream', () => {
    fc.assert(
      fc.property(bookStreamArb(), fc.integer({ min: 1, max: 12 }), (books, levels) => {
        const op = new MultiLevelOfi({ levels });
        books.forEach((b, n) => {
          const expected = referenceLevels(books[n - 1], b, levels);
          const total = op.update(b);
          let sum = 0;
          let magnitude = 0;
          expected.forEach(([e, mag], m) => {
            expect(closeToFlow(op.values[m]!, e, mag), `level ${m + 1}: ${op.values[m]} vs ${e}`).toBe(true);
            sum += e;
            magnitude += mag;
          });
          expect(closeToFlow(total, sum, (levels + 2) * magnitude)).toBe(true);
        });
      }),
    );
  });

  it('negates every level when the bid and ask sides are swapped', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const op = new MultiLevelOfi();
        const mirrored = new MultiLevelOfi();
        for (const b of books) {
          expect(isNegation(op.update(b), mirrored.update(mirrorBook(b)))).toBe(true);
          for (let m = 1; m <= 10; m++) expect(isNegation(op.level(m), mirrored.level(m))).toBe(true);
        }
      }),
    );
  });

  it('copies the previous levels: a borrowed book reused and overwritten gives the same outputs', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const fresh = new MultiLevelOfi();
        const borrowedOp = new MultiLevelOfi();
        const borrowed = createBook(10);
        for (const b of books) expect(borrowedOp.update(copyBook(b, borrowed))).toBe(fresh.update(b));
      }),
    );
  });

  it('level(m) rejects m outside 1..levels', () => {
    const op = new MultiLevelOfi({ levels: 2 });
    expect(() => op.level(0)).toThrow(InvalidInputError);
    expect(() => op.level(3)).toThrow(/"m" must be an integer in \[1, 2\]; got 3/);
  });

  it('has documented defaults and rejects bad options', () => {
    expect(new MultiLevelOfi().levels).toBe(10);
    expect(DEFAULT_MULTI_LEVEL_OFI_OPTIONS).toEqual({ levels: 10 });
    expect(Object.isFrozen(DEFAULT_MULTI_LEVEL_OFI_OPTIONS)).toBe(true);
    expect(() => new MultiLevelOfi({ levels: 0 })).toThrow(InvalidOptionError);
    expect(() => new MultiLevelOfi({ levels: '3' as never })).toThrow(/option "levels"/);
    expect(() => new MultiLevelOfi({ decay: 1 } as never)).toThrow(/MultiLevelOfi\.decay/);
  });

  it('restore rejects a state of another shape or level count', () => {
    const two = new MultiLevelOfi({ levels: 2 });
    const state = new MultiLevelOfi({ levels: 3 }).snapshot();
    expect(() => two.restore(state)).toThrow(/prevBidPx must be an array of exactly 2 encoded numbers/);
    expect(() => two.restore({ ...two.snapshot(), prevValid: 'yes' } as never)).toThrow(InvalidStateError);
    expect(() => two.restore({ ...two.snapshot(), values: [0, 'x'] })).toThrow(/values\[1\]/);
    expect(() => two.restore({ type: 'Ofi', version: 1 } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract('MultiLevelOfi', () => new MultiLevelOfi({ levels: 4 }), bookStreamArb(20));
  testOperatorContract(
    'MultiLevelOfi (per-level values)',
    () => new MultiLevelOfi({ levels: 3 }),
    bookStreamArb(20),
    (op, book) => {
      op.update(book);
      return Array.from(op.values);
    },
  );

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('level 2 over rows 0-10 by hand', () => {
      const books = readLobsterBooks(tinyDay.orderbook).slice(0, 11);
      // level 2 (bid px x sz | ask px x sz):
      //  0-7: 578.70 x 400 | 580.43 x 100       0
      //  8:   579.12 x 100 (bid price up)         +qb_n = +100
      //  9:   unchanged                           0
      // 10:   ask 580.43 x 100 -> 580.23 x 100    ask price down: -qa_n = -100
      const op = new MultiLevelOfi({ levels: 2 });
      const level2 = books.map((b) => {
        op.update(b);
        return op.level(2);
      });
      expect(level2).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 100, 0, -100]);
    });
  });
});
