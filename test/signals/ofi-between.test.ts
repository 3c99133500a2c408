import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ofiBetween } from '../../src/signals/ofi-between.js';
import { isNegation } from './books.js';

describe('ofiBetween', () => {
  it('counts a shrinking bid queue at an unchanged price as selling (docstring example, data README row 1)', () => {
    // bid 579.40: 496 -> 196; ask unchanged: e = 196 - 496 - 100 + 100 = -300
    expect(ofiBetween(579.4, 496, 580.23, 100, 579.4, 196, 580.23, 100)).toBe(-300);
  });

  it('takes each branch of the Cont-Kukanov-Stoikov formula', () => {
    // bid price up: +qb_n (the new queue), old queue not subtracted: +7
    expect(ofiBetween(100, 5, 102, 3, 101, 7, 102, 3)).toBe(7);
    // bid price down: -qb_n-1 (the old queue gone): -5
    expect(ofiBetween(100, 5, 102, 3, 99, 7, 102, 3)).toBe(-5);
    // ask price down: -qa_n (new selling interest): -4
    expect(ofiBetween(100, 5, 102, 3, 100, 5, 101, 4)).toBe(-4);
    // ask price up: +qa_n-1 (the old ask queue gone): +3
    expect(ofiBetween(100, 5, 102, 3, 100, 5, 103, 4)).toBe(3);
    // unchanged prices: queue changes, bid +2, ask +1 -> 2 - 1 = 1
    expect(ofiBetween(100, 5, 102, 3, 100, 7, 102, 4)).toBe(1);
  });

  it('treats -Infinity / +Infinity as empty bid / ask levels like LOBSTER sentinels', () => {
    // bid level empties: -Inf < 100 -> -qb_n-1 = -5
    expect(ofiBetween(100, 5, 102, 3, -Infinity, 0, 102, 3)).toBe(-5);
    // ask level empties: +Inf > 102 -> +qa_n-1 = +3
    expect(ofiBetween(100, 5, 102, 3, 100, 5, Infinity, 0)).toBe(3);
    // both empty before and after: 0
    expect(ofiBetween(-Infinity, 0, Infinity, 0, -Infinity, 0, Infinity, 0)).toBe(0);
    // both fill from empty: +qb_n - qa_n = 5 - 3
    expect(ofiBetween(-Infinity, 0, Infinity, 0, 100, 5, 102, 3)).toBe(2);
  });

  it('negates exactly when the sides are swapped (prices mirrored)', () => {
    const px = fc.integer({ min: 1, max: 8 });
    const sz = fc.double({ min: 0, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(px, sz, px, sz, px, sz, px, sz, (pbp, pbs, pap, pas, bp, bs, ap, as) => {
        const e = ofiBetween(pbp, pbs, pap, pas, bp, bs, ap, as);
        const mirrored = ofiBetween(-pap, pas, -pbp, pbs, -ap, as, -bp, bs);
        expect(isNegation(e, mirrored)).toBe(true);
      }),
    );
  });
});
