import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { obi } from '../../src/signals/obi.js';
import { DEFAULT_WEIGHTED_OBI_OPTIONS, WeightedObi } from '../../src/signals/weighted-obi.js';
import { testOperatorContract } from '../support/contract.js';
import { hasSharedData, loadReference, relClose, skipReason, tinyDay } from '../support/shared-data.js';
import { bookArb, isNegation, mirrorBook, readLobsterBooks } from './books.js';

describe('WeightedObi', () => {
  const book = bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]]);

  it('weights level i by exp(-decay (i - 1)) (docstring example)', () => {
    // w = [1, exp(-0.5) = 0.60653066]; B = 496 + 400 * 0.60653066 = 738.61226, A = 100 + 100 * 0.60653066 = 160.65307
    // (B - A) / (B + A) = 577.95920 / 899.26533 = 0.6427015
    const w = Math.exp(-0.5);
    const B = 496 + 400 * w;
    const A = 100 + 100 * w;
    const x = new WeightedObi({ levels: 2 }).update(book);
    expect(x).toBeCloseTo(0.6427015, 7);
    expect(x).toBeCloseTo((B - A) / (B + A), 15);
  });

  it('with decay 0 is the plain depth imbalance over the levels', () => {
    // (496 + 400 - 100 - 100) / (496 + 400 + 100 + 100) = 696 / 1096
    expect(new WeightedObi({ decay: 0 }).update(book)).toBe(696 / 1096);
  });

  it('with levels 1 equals obi', () => {
    fc.assert(
      fc.property(bookArb(), (b) => {
        const x = new WeightedObi({ levels: 1 }).update(b);
        expect(Object.is(x, obi(b)) || (Number.isNaN(x) && Number.isNaN(obi(b)))).toBe(true);
      }),
    );
  });

  it('uses the levels the book holds when levels exceeds its depth or level count', () => {
    const deep = new WeightedObi({ levels: 50 });
    const two = new WeightedObi({ levels: 2 });
    expect(deep.update(book)).toBe(two.update(book));
    // one ask level in a depth-3 book: A = 100 only
    const partial = bookFromLevels([[100, 10], [99, 20]], [[101, 100]], { depth: 3 });
    const B = 10 + 20 * Math.exp(-0.5);
    expect(deep.update(partial)).toBeCloseTo((B - 100) / (B + 100), 15);
  });

  it('is NaN when a side is empty or all weighted sizes are 0', () => {
    const op = new WeightedObi();
    expect(op.update(createBook(3))).toBeNaN();
    expect(op.update(bookFromLevels([[100, 1]], []))).toBeNaN();
    expect(op.update(bookFromLevels([], [[101, 1]]))).toBeNaN();
    expect(op.update(bookFromLevels([[100, 0]], [[101, 0]]))).toBeNaN();
  });

  it('exposes its weights; the defaults are those of the reference', () => {
    const op = new WeightedObi();
    expect(op.levels).toBe(10);
    expect(op.decay).toBe(0.5);
    expect(op.weight(1)).toBe(1);
    expect(op.weight(2)).toBe(Math.exp(-0.5));
    expect(op.weight(10)).toBe(Math.exp(-4.5));
    expect(op.weight(0)).toBeNaN();
    expect(op.weight(11)).toBeNaN();
    expect(DEFAULT_WEIGHTED_OBI_OPTIONS).toEqual({ levels: 10, decay: 0.5 });
    expect(Object.isFrozen(DEFAULT_WEIGHTED_OBI_OPTIONS)).toBe(true);
  });

  it('rejects bad options with InvalidOptionError naming the option', () => {
    expect(() => new WeightedObi({ levels: 0 })).toThrow(InvalidOptionError);
    expect(() => new WeightedObi({ levels: 2.5 })).toThrow(/option "levels" must be an integer >= 1; got 2.5/);
    expect(() => new WeightedObi({ decay: -0.1 })).toThrow(/option "decay"/);
    expect(() => new WeightedObi({ decay: NaN })).toThrow(InvalidOptionError);
    expect(() => new WeightedObi({ levles: 3 } as never)).toThrow(/WeightedObi\.levles/);
  });

  it('lies in [-1, 1], NaN exactly when a side is empty, and negates when the sides are swapped', () => {
    fc.assert(
      fc.property(bookArb(), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 3, noNaN: true }), (b, levels, decay) => {
        const op = new WeightedObi({ levels, decay });
        const x = op.update(b);
        if (b.bidLevels === 0 || b.askLevels === 0) {
          expect(x).toBeNaN();
        } else {
          expect(x).toBeGreaterThanOrEqual(-1);
          expect(x).toBeLessThanOrEqual(1);
        }
        expect(isNegation(x, op.update(mirrorBook(b)))).toBe(true);
      }),
    );
  });

  it('restore rejects a state of another operator', () => {
    expect(() => new WeightedObi().restore({ type: 'Ofi', version: 1 } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract('WeightedObi', () => new WeightedObi({ levels: 5, decay: 0.3 }), fc.array(bookArb(), { maxLength: 20 }));

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('row 0 by hand with 2 levels, and the reference spot rows with the defaults', () => {
      const books = readLobsterBooks(tinyDay.orderbook);
      // row 0, levels 1-2: bids 496, 400; asks 100, 100: the docstring example's book
      expect(new WeightedObi({ levels: 2 }).update(books[0]!)).toBeCloseTo(0.6427015, 7);
      const ref = loadReference(tinyDay.reference);
      const weights = ref.book.dwobi_weights as number[];
      expect(weights).toHaveLength(10);
      weights.forEach((w, i) => expect(relClose(new WeightedObi().weight(i + 1), w, 1e-15)).toBe(true));
      const op = new WeightedObi();
      for (const spot of ref.spot_rows as Array<{ row: number; dwobi: number }>) {
        expect(op.update(books[spot.row]!)).toBeCloseTo(spot.dwobi, 12);
      }
    });
  });
});
