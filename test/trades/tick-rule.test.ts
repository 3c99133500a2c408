import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidStateError } from '../../src/core/errors.js';
import { TickRule } from '../../src/trades/tick-rule.js';
import { testOperatorContract } from '../support/contract.js';
import { tradesArb } from './arbitraries.js';

/** Naive tick rule: sign of price minus the last earlier different price, searched backwards. */
function naiveTick(prices: readonly number[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (prices[j] !== prices[i]) return Math.sign(prices[i]! - prices[j]!);
  return 0;
}

describe('TickRule', () => {
  it('signs the first trades of the dev day as the reference does', () => {
    // Reference first_trades rows 0..6 (price x 1e4): 5794000, 5794000, 5795100, 5795000, 5794900,
    // 5794800, 5794000 -> no earlier different price (0, 0), uptick (+1), then downticks (-1).
    const tick = new TickRule();
    const prices = [579.4, 579.4, 579.51, 579.5, 579.49, 579.48, 579.4];
    expect(prices.map((p) => tick.classify(p))).toEqual([0, 0, 1, -1, -1, -1, -1]);
  });

  it('carries the last sign through zero ticks (zero-uptick is a buy)', () => {
    const tick = new TickRule();
    expect([10, 10.01, 10.01, 10.01, 10].map((p) => tick.update({ ts: 0, price: p, size: 1 }))).toEqual([0, 1, 1, 1, -1]);
  });

  it('peek gives the side of a hypothetical trade without recording it', () => {
    const tick = new TickRule();
    tick.classify(10);
    expect(tick.peek(11)).toBe(1);
    expect(tick.peek(10)).toBe(0);
    expect(tick.classify(9)).toBe(-1);
  });

  it('equals the naive definition and returns only -1, 0, 1', () => {
    fc.assert(
      fc.property(tradesArb(), (trades) => {
        const tick = new TickRule();
        const prices = trades.map((t) => t.price);
        trades.forEach((t, i) => {
          const s = tick.update(t);
          expect([-1, 0, 1]).toContain(s);
          expect(s).toBe(naiveTick(prices, i));
        });
      }),
    );
  });

  it('throws InvalidInputError for a non-finite price', () => {
    expect(() => new TickRule().classify(NaN)).toThrow(InvalidInputError);
  });

  it('restore rejects a state of another type or with a bad side', () => {
    const tick = new TickRule();
    expect(() => tick.restore({ type: 'Vpin', version: 1 } as never)).toThrow(InvalidStateError);
    expect(() => tick.restore({ type: 'TickRule', version: 1, lastPrice: 1, lastSign: 2 } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract('TickRule', () => new TickRule(), tradesArb());
});
