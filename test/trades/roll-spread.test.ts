import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { RollSpread } from '../../src/trades/roll-spread.js';
import { testOperatorContract } from '../support/contract.js';
import { tradesArb } from './arbitraries.js';

/** numpy-style cov(dp[1:], dp[:-1]) with ddof = 1. */
function naiveCov(prices: readonly number[]): number {
  const dp = prices.slice(1).map((p, i) => p - prices[i]!);
  const x = dp.slice(1);
  const y = dp.slice(0, -1);
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let c = 0;
  for (let i = 0; i < n; i++) c += (x[i]! - mx) * (y[i]! - my);
  return c / (n - 1);
}

describe('RollSpread', () => {
  it('is 2 sqrt(-cov) of consecutive price changes', () => {
    // 100, 101, 100, 101: dp = 1, -1, 1; pairs (x, y) = (-1, 1), (1, -1): cov = (-1 - 1) / 1 = -2,
    // roll = 2 sqrt(2). One more trade at 100 adds the pair (-1, 1): x = [-1, 1, -1], y = [1, -1, 1],
    // means -1/3 and 1/3, products of deviations -4/9, -16/9, -4/9 (sum -8/3), cov = -8/3 / 2 = -4/3,
    // roll = 2 sqrt(4/3) = 2.3094010767585034.
    const roll = new RollSpread();
    const out = [100, 101, 100, 101, 100].map((price, i) => roll.update({ ts: i, price, size: 1 }));
    expect(out.slice(0, 3)).toEqual([NaN, NaN, NaN]);
    expect(out[3]).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(out[4]).toBeCloseTo(2 * Math.sqrt(4 / 3), 14);
    expect(roll.priceChanges).toBe(4);
    expect(roll.count).toBe(3);
    expect(roll.bps).toBeCloseTo((2 * Math.sqrt(4 / 3)) / 100.4 * 1e4, 10);
  });

  it('is NaN when the serial covariance is not negative (trending prices)', () => {
    const roll = new RollSpread();
    [1, 2, 4, 7, 11].forEach((price, i) => roll.update({ ts: i, price, size: 1 }));
    expect(roll.cov).toBeGreaterThan(0);
    expect(roll.value).toBeNaN();
  });

  it('equals the two-pass sample covariance', () => {
    fc.assert(
      fc.property(tradesArb({ maxLength: 80 }), (trades) => {
        const roll = new RollSpread();
        for (const t of trades) roll.update(t);
        const want = naiveCov(trades.map((t) => t.price));
        if (Number.isNaN(want)) expect(roll.cov).toBeNaN();
        else expect(roll.cov).toBeCloseTo(want, 12);
      }),
    );
  });

  it('restore rejects a malformed state', () => {
    expect(() => new RollSpread().restore({ type: 'RollSpread', version: 1, values: [1, 2] } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract('RollSpread', () => new RollSpread(), tradesArb(), (op, t) => [op.update(t), op.cov, op.bps]);
});
