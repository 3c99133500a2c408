import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { RollingStats, type RollingStatsOptions } from '../../src/stats/rolling-stats.js';
import { testOperatorContract } from '../support/contract.js';
import { devDay, hasSharedData, loadReference, relClose, skipReason } from '../support/shared-data.js';
import { readLobsterDay } from './lobster-day.js';
import { closeScaled, maxAbs, moderateOrBad, moments, sum } from './naive.js';

/** Compare every getter with a naive recomputation over `win` (tolerances scaled by the window's size). */
function expectMatchesNaive(r: RollingStats, win: number[], tol: number): void {
  const { n, mean, m2 } = moments(win);
  const scale = maxAbs(win);
  let absSum = 0;
  for (const x of win) absSum += Math.abs(x);
  expect(r.count).toBe(n);
  expect(closeScaled(r.sum, sum(win), tol, absSum)).toBe(true);
  expect(closeScaled(r.mean, mean, tol, scale)).toBe(true);
  expect(closeScaled(r.populationVariance, m2 / n, tol, scale * scale)).toBe(true);
  if (n >= 2) expect(closeScaled(r.variance, m2 / (n - 1), tol, scale * scale)).toBe(true);
  else expect(r.variance).toBeNaN();
}

describe('RollingStats', () => {
  it('computes sum, mean and variances over the last 3 values by hand', () => {
    // window 3: [1, 2, 3] -> mean 2; then 10 replaces 1: [2, 3, 10], sum 15, mean 5,
    // deviations -3, -2, 5, squares 9 + 4 + 25 = 38: sample var 38 / 2 = 19, population 38 / 3
    const r = new RollingStats({ window: 3 });
    expect([1, 2, 3, 10].map((x) => r.update(x))).toEqual([NaN, NaN, 2, 5]);
    expect(r.sum).toBe(15);
    expect(r.variance).toBe(19);
    expect(r.std).toBe(Math.sqrt(19));
    expect(r.populationVariance).toBeCloseTo(38 / 3, 14);
    expect(r.populationStd).toBeCloseTo(Math.sqrt(38 / 3), 14);
  });

  it('returns NaN before window values by default, from minSamples on otherwise (warm-up index)', () => {
    const byDefault = new RollingStats({ window: 4 });
    const out = [1, 2, 3, 4, 5].map((x) => byDefault.update(x));
    expect(out.map(Number.isNaN)).toEqual([true, true, true, false, false]);
    expect(out[3]).toBe(2.5);
    expect(byDefault.ready).toBe(true);
    const early = new RollingStats({ window: 4, minSamples: 1 });
    expect(early.update(7)).toBe(7);
    expect(early.variance).toBeNaN();
    expect(early.populationVariance).toBe(0);
    expect(early.sum).toBe(7);
    const empty = new RollingStats({ window: 2, minSamples: 1 });
    expect([empty.sum, empty.mean, empty.variance, empty.populationVariance]).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('equals a naive recomputation over the last N finite values at every step (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(moderateOrBad, { maxLength: 120 }), (window, xs) => {
        const r = new RollingStats({ window, minSamples: 1 });
        const finite: number[] = [];
        for (const x of xs) {
          r.update(x);
          if (Number.isFinite(x)) finite.push(x);
          if (finite.length > 0) expectMatchesNaive(r, finite.slice(-window), 1e-9);
        }
        expect(r.skipped).toBe(xs.length - finite.length);
      }),
    );
  });

  it('keeps integer sums exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 100 }), (window, xs) => {
        const r = new RollingStats({ window, minSamples: 1 });
        xs.forEach((x, i) => {
          r.update(x);
          expect(r.sum).toBe(sum(xs.slice(Math.max(0, i + 1 - window), i + 1)));
        });
      }),
    );
  });

  it('does not drift over a long stream that mixes large and small magnitudes', () => {
    // 200,000 values: blocks of 1e9-sized values, then blocks of values near 1; after each block the
    // window's statistics are checked against a two-pass recomputation
    const rng = new Random(7);
    const window = 50;
    const r = new RollingStats({ window });
    const all: number[] = [];
    for (let block = 0; block < 400; block++) {
      const big = block % 2 === 0;
      for (let i = 0; i < 500; i++) {
        const x = big ? 1e9 + rng.normal() * 1e6 : rng.normal();
        all.push(x);
        r.update(x);
      }
      // the last 500 values are of one kind; the window (50) lies inside the block
      const win = all.slice(-window);
      const { mean, m2 } = moments(win);
      expect(Math.abs(r.mean - mean)).toBeLessThanOrEqual(1e-12 * maxAbs(win));
      expect(Math.abs(r.variance - m2 / (window - 1))).toBeLessThanOrEqual(1e-9 * (m2 / (window - 1)));
    }
  });

  it('rejects bad options with InvalidOptionError naming the option', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ window: 0 }, /RollingStats\.window/],
      [{ window: 2.5 }, /RollingStats\.window/],
      [{}, /RollingStats\.window/],
      [{ window: 3, minSamples: 4 }, /RollingStats\.minSamples/],
      [{ window: 3, minSamples: 0 }, /RollingStats\.minSamples/],
      [{ window: 3, size: 4 }, /RollingStats\.size/],
      [undefined, /RollingStats options/],
    ];
    for (const [options, message] of bad) {
      expect(() => new RollingStats(options as RollingStatsOptions)).toThrow(InvalidOptionError);
      expect(() => new RollingStats(options as RollingStatsOptions)).toThrow(message);
    }
  });

  it('refuses a state taken with another window, or with too many values', () => {
    const r = new RollingStats({ window: 3 });
    [1, 2, 3].forEach((x) => r.update(x));
    expect(() => new RollingStats({ window: 2 }).restore(r.snapshot())).toThrow(/window = 3, this operator has 2/);
    const tooMany = { ...r.snapshot(), values: [1, 2, 3, 4] };
    expect(() => new RollingStats({ window: 3 }).restore(tooMany)).toThrow(InvalidStateError);
    expect(() => new RollingStats({ window: 3 }).restore({ ...r.snapshot(), values: [1, 'x'] })).toThrow(/values\[1\]/);
  });

  testOperatorContract('RollingStats window 5', () => new RollingStats({ window: 5 }), fc.array(moderateOrBad, { maxLength: 40 }));
  testOperatorContract(
    'RollingStats window 3, minSamples 1 (through the recomputation)',
    () => new RollingStats({ window: 3, minSamples: 1 }),
    fc.array(moderateOrBad, { maxLength: 40 }),
    (op, x) => [op.update(x), op.sum, op.variance, op.populationVariance],
  );
});

describe.skipIf(!hasSharedData)(`RollingStats on the GOOG dev day ${skipReason}`, () => {
  it('reproduces the reference mid and spread statistics of the whole day, and a 1000-row window', () => {
    // reference: book.mid / book.spread over all 147,916 rows (all valid): mean, population std, sum
    const day = readLobsterDay(devDay.message, devDay.orderbook);
    const ref = loadReference(devDay.reference).book;
    const mid = new RollingStats({ window: day.rows });
    const spread = new RollingStats({ window: day.rows });
    const recent = new RollingStats({ window: 1000 });
    const mids: number[] = [];
    for (let i = 0; i < day.rows; i++) {
      const m = (day.askPx[i]! + day.bidPx[i]!) / 2 / 1e4;
      mid.update(m);
      recent.update(m);
      spread.update(day.askPx[i]! / 1e4 - day.bidPx[i]! / 1e4);
      mids.push(m);
    }
    expect(mid.count).toBe(ref.mid.n);
    expect(relClose(mid.mean, ref.mid.mean, 1e-9)).toBe(true);
    expect(relClose(mid.populationStd, ref.mid.std, 1e-9)).toBe(true);
    expect(relClose(mid.sum, ref.mid.sum, 1e-9)).toBe(true);
    expect(relClose(spread.mean, ref.spread.mean, 1e-9)).toBe(true);
    expect(relClose(spread.populationStd, ref.spread.std, 1e-9)).toBe(true);
    // after 147 wraps of a 1000-row window: a two-pass recomputation of the last 1000 mids
    const { mean, m2 } = moments(mids.slice(-1000));
    expect(relClose(recent.mean, mean, 1e-12)).toBe(true);
    expect(relClose(recent.variance, m2 / 999, 1e-9)).toBe(true);
  });
});
