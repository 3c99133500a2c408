import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Ewma } from '../../src/stats/ewma.js';
import { RollingStats } from '../../src/stats/rolling-stats.js';
import { TimeRollingStats } from '../../src/stats/time-rolling-stats.js';
import { DEFAULT_Z_SCORE_OPTIONS, ZScore, type ZScoreOptions } from '../../src/stats/z-score.js';
import { testOperatorContract } from '../support/contract.js';
import { moderate, moderateOrBad } from './naive.js';

/** Expected score from a baseline's mean and std, NaN when not scorable. */
function expectedScore(x: number, count: number, mean: number, std: number, minSamples = 2): number {
  return count >= minSamples && std > 0 && Number.isFinite(x) ? (x - mean) / std : NaN;
}

describe('ZScore', () => {
  it('scores against the rolling baseline before adding the value (worked example)', () => {
    // window 3: 1 -> empty baseline NaN; 2 -> {1}: one value (< minSamples 2) NaN;
    // 3 -> {1, 2}: mean 1.5, sample std sqrt(0.5): 1.5 / sqrt(0.5) = 2.1213...;
    // 10 -> {1, 2, 3}: mean 2, sample std 1: 8
    const z = new ZScore({ window: 3 });
    const out = [1, 2, 3, 10].map((x) => z.update(x));
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    expect(out[2]).toBeCloseTo(1.5 / Math.sqrt(0.5), 14);
    expect(out[3]).toBe(8);
    expect(z.mean).toBe(5);
    expect(z.count).toBe(3);
  });

  it('with includeCurrent scores against a baseline that already holds the value', () => {
    // window 3: 1 -> {1} NaN; 2 -> {1, 2}: (2 - 1.5) / sqrt(0.5); 3 -> {1, 2, 3}: (3 - 2) / 1 = 1;
    // 10 -> {2, 3, 10}: mean 5, sample var (9 + 4 + 25) / 2 = 19: 5 / sqrt(19)
    const z = new ZScore({ window: 3, includeCurrent: true });
    const out = [1, 2, 3, 10].map((x) => z.update(x));
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeCloseTo(0.5 / Math.sqrt(0.5), 14);
    expect(out[2]).toBe(1);
    expect(out[3]).toBeCloseTo(5 / Math.sqrt(19), 14);
  });

  it('against an EWMA baseline equals (x - mean) / std of an Ewma fed the same values (property)', () => {
    fc.assert(
      fc.property(fc.array(moderateOrBad, { maxLength: 60 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.boolean(), (xs, alpha, adjust) => {
        const z = new ZScore({ alpha, adjust });
        const e = new Ewma({ alpha, adjust });
        for (const x of xs) {
          const expected = expectedScore(x, e.count, e.mean, e.std);
          e.update(x);
          expect(z.update(x)).toBe(expected);
        }
        expect(z.skipped).toBe(e.skipped);
      }),
    );
  });

  it('against a rolling baseline equals the score from a RollingStats (property)', () => {
    fc.assert(
      fc.property(fc.array(moderateOrBad, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), (xs, window, minSamples) => {
        const z = new ZScore({ window, minSamples });
        const r = new RollingStats({ window, minSamples: 1 });
        for (const x of xs) {
          const expected = expectedScore(x, r.count, r.mean, r.std, minSamples);
          r.update(x);
          expect(z.update(x)).toBe(expected);
        }
      }),
    );
  });

  it('against a time window moves the window to ts before scoring', () => {
    // windowMs 100: (1, 0) and (3, 50) score NaN (baselines of 0 and 1 values); (10, 120): at 120 the
    // value at 0 is out, leaving {3}: one value, NaN; (5, 140): baseline {3, 10}: mean 6.5, sample std sqrt(24.5): (5 - 6.5) / sqrt(24.5)
    const z = new ZScore({ windowMs: 100 });
    const r = new TimeRollingStats({ windowMs: 100 });
    expect([z.update(1, 0), z.update(3, 50), z.update(10, 120)]).toEqual([NaN, NaN, NaN]);
    expect(z.update(5, 140)).toBeCloseTo(-1.5 / Math.sqrt(24.5), 14);
    expect(z.lastTs).toBe(140);
    for (const [x, ts] of [[1, 0], [3, 50], [10, 120], [5, 140]] as const) r.update(x, ts);
    expect(z.mean).toBe(r.mean);
    expect(() => z.update(1, 100)).toThrow(InvalidInputError);
    expect(() => z.update(1)).toThrow(InvalidInputError);
  });

  it('is NaN while the baseline is constant (std 0) (property)', () => {
    fc.assert(
      fc.property(moderate, fc.integer({ min: 1, max: 30 }), (c, n) => {
        const zs = [new ZScore({ window: 4 }), new ZScore({ halfLife: 3 }), new ZScore({ windowMs: 5 }), new ZScore({ alpha: 0.5, includeCurrent: true })];
        for (let i = 0; i < n; i++) for (const z of zs) expect(z.update(c, i)).toBeNaN();
      }),
    );
  });

  it('scores a non-finite value NaN and counts it as skipped', () => {
    const z = new ZScore({ halfLife: 2 });
    [1, 2, 3].forEach((x) => z.update(x));
    expect(z.update(NaN)).toBeNaN();
    expect(z.update(Infinity)).toBeNaN();
    expect(z.skipped).toBe(2);
    expect(z.count).toBe(3);
  });

  it('rejects bad options with InvalidOptionError naming the option', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{}, /exactly one of alpha, halfLife, halfLifeMs, window, windowMs \(got none\)/],
      [{ window: 3, halfLife: 2 }, /got halfLife, window/],
      [{ window: 3, adjust: false }, /ZScore\.adjust/],
      [{ window: 3, includeCurrent: 1 }, /ZScore\.includeCurrent/],
      [{ window: 3, minSamples: 0 }, /ZScore\.minSamples/],
      [{ window: 0 }, /RollingStats\.window/],
      [{ alpha: 2 }, /Ewma\.alpha/],
      [{ windowMs: -1 }, /TimeRollingStats\.windowMs/],
      [{ window: 3, span: 2 }, /ZScore\.span/],
      [undefined, /ZScore options/],
    ];
    for (const [options, message] of bad) {
      expect(() => new ZScore(options as ZScoreOptions)).toThrow(InvalidOptionError);
      expect(() => new ZScore(options as ZScoreOptions)).toThrow(message);
    }
    expect(DEFAULT_Z_SCORE_OPTIONS).toEqual({ adjust: true, includeCurrent: false, minSamples: 2 });
  });

  it('refuses a state of another baseline', () => {
    const a = new ZScore({ window: 3 });
    a.update(1);
    expect(() => new ZScore({ halfLife: 3 }).restore(a.snapshot())).toThrow(InvalidStateError);
    expect(() => new ZScore({ window: 4 }).restore(a.snapshot())).toThrow(/window/);
    expect(() => new ZScore({ window: 3 }).restore({ type: 'ZScore', version: 1 } as never)).toThrow(/baseline/);
  });

  testOperatorContract('ZScore halfLife 4', () => new ZScore({ halfLife: 4 }), fc.array(moderateOrBad, { maxLength: 40 }));
  testOperatorContract('ZScore window 4, includeCurrent', () => new ZScore({ window: 4, includeCurrent: true }), fc.array(moderateOrBad, { maxLength: 40 }));
  testOperatorContract(
    'ZScore windowMs 500',
    () => new ZScore({ windowMs: 500 }),
    fc.array(fc.tuple(moderateOrBad, fc.integer({ min: 0, max: 300 })), { maxLength: 40 }),
    (op, [x, dt]) => op.update(x, (Number.isNaN(op.lastTs) ? 0 : op.lastTs) + dt),
  );
  testOperatorContract(
    'ZScore halfLifeMs 200',
    () => new ZScore({ halfLifeMs: 200 }),
    fc.array(fc.tuple(moderateOrBad, fc.integer({ min: 0, max: 300 })), { maxLength: 40 }),
    (op, [x, dt]) => op.update(x, (Number.isNaN(op.lastTs) ? 0 : op.lastTs) + dt),
  );
});
