import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_STREAMING_OLS_OPTIONS, StreamingOls, type StreamingOlsOptions } from '../../src/stats/streaming-ols.js';
import { testOperatorContract } from '../support/contract.js';
import { devDay, hasSharedData, loadReference, relClose, skipReason, tinyDay } from '../support/shared-data.js';
import { readLobsterDay, type LobsterDay } from './lobster-day.js';
import { maxAbs, moderateOrBad, naiveOls, noTiny } from './naive.js';

/** Random regressions: x in [-1e3, 1e3], y = a + b x + noise (no values below 1e-100 in size: no underflow). */
const regression = fc
  .record({
    a: fc.double({ min: -100, max: 100, noNaN: true }),
    b: fc.double({ min: -10, max: 10, noNaN: true }),
    points: fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }).map(noTiny), fc.double({ min: -50, max: 50, noNaN: true }).map(noTiny)), {
      minLength: 3,
      maxLength: 60,
    }),
  })
  .map(({ a, b, points }) => ({ xs: points.map((p) => p[0]), ys: points.map((p) => noTiny(a + b * p[0] + p[1])) }));

/**
 * Whether the data are far from degenerate, so that two float algorithms must agree to 1e-9: x and y
 * vary relative to their size (no large offset with tiny variations), and the fit is neither perfect nor
 * empty (R^2 away from 0 and 1, where SSE or Sxy cancel).
 */
function wellConditioned(xs: number[], ys: number[]): boolean {
  const ref = naiveOls(xs, ys);
  const mx = maxAbs(xs);
  const my = maxAbs(ys);
  return ref.sxx > 1e-4 * xs.length * mx * mx && ref.syy > 1e-4 * ys.length * my * my && ref.r2 < 1 - 1e-6 && ref.r2 > 1e-6;
}

function expectMatchesNaive(ols: StreamingOls, xs: number[], ys: number[]): void {
  const ref = naiveOls(xs, ys);
  expect(ols.count).toBe(xs.length);
  expect(relClose(ols.slope, ref.slope, 1e-9)).toBe(true);
  expect(Math.abs(ols.intercept - ref.intercept)).toBeLessThanOrEqual(1e-9 * (Math.abs(ref.intercept) + Math.abs(ref.slope) * maxAbs(xs) + maxAbs(ys)));
  expect(Math.abs(ols.r2 - ref.r2)).toBeLessThanOrEqual(1e-9);
  expect(relClose(ols.stdErr, ref.stdErr, 1e-7)).toBe(true);
  expect(relClose(ols.tStat, ref.tStat, 1e-7)).toBe(true);
}

describe('StreamingOls', () => {
  it('fits the textbook example x = 1..5, y = 2, 4, 5, 4, 5 worked by hand', () => {
    // mean x = 3, mean y = 4; deviations x: -2 -1 0 1 2, y: -2 0 1 0 1
    // Sxx = 4+1+0+1+4 = 10, Sxy = 4+0+0+0+2 = 6, Syy = 4+0+1+0+1 = 6
    // slope = 6/10 = 0.6, intercept = 4 - 0.6*3 = 2.2, R^2 = 36 / 60 = 0.6
    // SSE = 6 - 0.6*6 = 2.4, s^2 = 2.4 / 3 = 0.8, se = sqrt(0.8 / 10) = sqrt(0.08), t = 0.6 / sqrt(0.08) = 1.5 sqrt(2)
    const ols = new StreamingOls();
    const out = [[1, 2], [2, 4], [3, 5], [4, 4], [5, 5]].map(([x, y]) => ols.update(x!, y!));
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    // after 3 points: mean x 2, mean y 11/3, Sxx 2, Sxy = (-1)(-5/3) + (1)(4/3) = 3: slope 1.5
    expect(out[2]).toBeCloseTo(1.5, 14);
    // after 4 points: mean x 2.5, mean y 3.75, Sxx 5, Sxy = 2.625 - 0.125 + 0.625 + 0.375 = 3.5: slope 0.7
    expect(out[3]).toBeCloseTo(0.7, 14);
    expect(out[4]).toBeCloseTo(0.6, 14);
    expect(ols.intercept).toBeCloseTo(2.2, 14);
    expect(ols.r2).toBeCloseTo(0.6, 14);
    expect(ols.sse).toBeCloseTo(2.4, 14);
    expect(ols.stdErr).toBeCloseTo(Math.sqrt(0.08), 14);
    expect(ols.tStat).toBeCloseTo(1.5 * Math.SQRT2, 13);
    expect(ols.meanX).toBe(3);
    expect(ols.meanY).toBe(4);
    expect(ols.count).toBe(5);
  });

  it('returns the slope from minSamples points on; stdErr needs 3 (warm-up index)', () => {
    const two = new StreamingOls({ minSamples: 2 });
    expect(two.update(0, 1)).toBeNaN();
    expect(two.update(1, 3)).toBe(2);
    expect(two.intercept).toBe(1);
    expect(two.r2).toBe(1);
    expect(two.stdErr).toBeNaN();
    expect(two.tStat).toBeNaN();
    const empty = new StreamingOls();
    expect([empty.slope, empty.intercept, empty.r2, empty.stdErr, empty.tStat, empty.meanX, empty.sse]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(DEFAULT_STREAMING_OLS_OPTIONS).toEqual({ window: Infinity, minSamples: 3 });
  });

  it('equals the closed-form OLS on random data at every step (property)', () => {
    fc.assert(
      fc.property(regression, ({ xs, ys }) => {
        const ols = new StreamingOls();
        xs.forEach((x, i) => {
          ols.update(x, ys[i]!);
          const hx = xs.slice(0, i + 1);
          const hy = ys.slice(0, i + 1);
          if (i >= 2 && wellConditioned(hx, hy)) expectMatchesNaive(ols, hx, hy);
        });
      }),
    );
  });

  it('over a window equals the closed-form OLS of the last N points at every step (property)', () => {
    fc.assert(
      fc.property(regression, fc.integer({ min: 3, max: 10 }), ({ xs, ys }, window) => {
        const ols = new StreamingOls({ window });
        xs.forEach((x, i) => {
          ols.update(x, ys[i]!);
          const from = Math.max(0, i + 1 - window);
          const wx = xs.slice(from, i + 1);
          const wy = ys.slice(from, i + 1);
          expect(ols.count).toBe(wx.length);
          if (wx.length >= 3 && wellConditioned(wx, wy)) expectMatchesNaive(ols, wx, wy);
        });
      }),
    );
  });

  it('over a window does not drift on a long stream mixing large and small magnitudes', () => {
    const rng = new Random(11);
    const window = 40;
    const ols = new StreamingOls({ window });
    const xs: number[] = [];
    const ys: number[] = [];
    for (let block = 0; block < 200; block++) {
      const scale = block % 2 === 0 ? 1e6 : 1;
      for (let i = 0; i < 500; i++) {
        const x = scale * rng.normal();
        const y = 3 + 0.5 * x + scale * rng.normal();
        xs.push(x);
        ys.push(y);
        ols.update(x, y);
      }
      const wx = xs.slice(-window);
      const wy = ys.slice(-window);
      expectMatchesNaive(ols, wx, wy);
    }
  });

  it('handles degenerate data: constant x, constant y, a perfect fit', () => {
    const constX = new StreamingOls();
    [[2, 1], [2, 5], [2, 3]].forEach(([x, y]) => constX.update(x!, y!));
    expect([constX.slope, constX.intercept, constX.r2, constX.stdErr, constX.tStat]).toEqual([NaN, NaN, NaN, NaN, NaN]);
    const constY = new StreamingOls();
    [[1, 4], [2, 4], [3, 4]].forEach(([x, y]) => constY.update(x!, y!));
    expect([constY.slope, constY.intercept, constY.stdErr]).toEqual([0, 4, 0]);
    expect(constY.r2).toBeNaN();
    expect(constY.tStat).toBeNaN();
    // y = 2x + 1 exactly (binary-exact means): SSE = 0, se = 0, t = +Infinity
    const perfect = new StreamingOls();
    [1, 2, 3, 4, 5].forEach((x) => perfect.update(x, 2 * x + 1));
    expect([perfect.slope, perfect.intercept, perfect.r2, perfect.stdErr, perfect.tStat]).toEqual([2, 1, 1, 0, Infinity]);
  });

  it('accepts the [x, y] pair form and skips non-finite pairs, counting them', () => {
    const a = new StreamingOls();
    const b = new StreamingOls();
    const pts = [[1, 2], [NaN, 3], [2, 4], [3, Infinity], [3, 5], [4, 4]] as const;
    for (const p of pts) expect(a.update(p)).toBe(b.update(p[0], p[1]));
    expect(a.skipped).toBe(2);
    expect(a.count).toBe(4);
  });

  it('rejects bad options with InvalidOptionError naming the option', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ window: 1 }, /StreamingOls\.window/],
      [{ window: 2.5 }, /StreamingOls\.window/],
      [{ minSamples: 1 }, /StreamingOls\.minSamples/],
      [{ window: 4, minSamples: 5 }, /StreamingOls\.minSamples/],
      [{ size: 3 }, /StreamingOls\.size/],
      [null, /StreamingOls options/],
    ];
    for (const [options, message] of bad) {
      expect(() => new StreamingOls(options as StreamingOlsOptions)).toThrow(InvalidOptionError);
      expect(() => new StreamingOls(options as StreamingOlsOptions)).toThrow(message);
    }
    expect(new StreamingOls({ window: 2 }).window).toBe(2);
  });

  it('refuses a state taken with another window or with inconsistent points', () => {
    const a = new StreamingOls({ window: 3 });
    [[1, 2], [2, 3]].forEach(([x, y]) => a.update(x!, y!));
    expect(() => new StreamingOls().restore(a.snapshot() as never)).toThrow(InvalidStateError);
    expect(() => new StreamingOls({ window: 3 }).restore({ ...a.snapshot(), xs: [1] })).toThrow(/must hold n = 2 points/);
    expect(() => new StreamingOls({ window: 3 }).restore({ ...a.snapshot(), sxx: null as never })).toThrow(/sxx must be a number or an encoded number/);
  });

  const pairs = fc.array(fc.tuple(moderateOrBad, moderateOrBad), { maxLength: 40 });
  const outputs = (op: StreamingOls, [x, y]: [number, number]) => [op.update(x, y), op.intercept, op.r2, op.tStat];
  testOperatorContract('StreamingOls expanding', () => new StreamingOls(), pairs, outputs);
  testOperatorContract('StreamingOls window 4', () => new StreamingOls({ window: 4 }), pairs, outputs);
});

/**
 * Regression buckets as defined in ../shared/data/reference/README.md: nonempty buckets of rows by
 * message time; y = change of the mid from the last row of the previous nonempty bucket (first: row 0)
 * to the last row of this bucket; x = a per-row quantity summed over the bucket.
 */
function buckets(day: LobsterDay, seconds: number, perRow: (i: number) => number, midUnit: number): Array<[number, number]> {
  const mid = (i: number) => (day.askPx[i]! + day.bidPx[i]!) / 2 / midUnit;
  const out: Array<[number, number]> = [];
  let prevEnd = 0;
  let k = Math.floor((day.time[0]! - 34200) / seconds);
  let x = 0;
  for (let i = 0; i < day.rows; i++) {
    const ki = Math.floor((day.time[i]! - 34200) / seconds);
    if (ki !== k) {
      out.push([x, mid(i - 1) - mid(prevEnd)]);
      prevEnd = i - 1;
      k = ki;
      x = 0;
    }
    x += perRow(i);
  }
  out.push([x, mid(day.rows - 1) - mid(prevEnd)]);
  return out;
}

/** Signed volume of row i: true side (-direction) x size for executions (types 4, 5). */
const signedVolume = (day: LobsterDay) => (i: number) => (day.type[i] === 4 || day.type[i] === 5 ? -day.direction[i]! * day.size[i]! : 0);

/** Cont, Kukanov & Stoikov (2014) level-1 order-flow imbalance e_n (0 for the first row). */
const ofi = (day: LobsterDay) => (n: number) => {
  if (n === 0) return 0;
  const pb = day.bidPx, qb = day.bidSz, pa = day.askPx, qa = day.askSz;
  return (
    (pb[n]! >= pb[n - 1]! ? qb[n]! : 0) -
    (pb[n]! <= pb[n - 1]! ? qb[n - 1]! : 0) -
    (pa[n]! <= pa[n - 1]! ? qa[n]! : 0) +
    (pa[n]! >= pa[n - 1]! ? qa[n - 1]! : 0)
  );
};

describe.skipIf(!hasSharedData)(`StreamingOls on the GOOG dev day ${skipReason}`, () => {
  it("reproduces the reference Kyle's lambda regression (5-minute buckets) to 1e-6", () => {
    const day = readLobsterDay(devDay.message, devDay.orderbook);
    const ref = loadReference(devDay.reference).kyle_lambda;
    const ols = new StreamingOls();
    for (const [s, dmid] of buckets(day, 300, signedVolume(day), 1e4)) ols.update(s, dmid);
    expect(ols.count).toBe(ref.n);
    expect(relClose(ols.slope, ref.lambda, 1e-6)).toBe(true);
    expect(relClose(ols.intercept, ref.intercept, 1e-6)).toBe(true);
    expect(relClose(ols.r2, ref.r2, 1e-6)).toBe(true);
    expect(relClose(ols.tStat, ref.t_slope, 1e-6)).toBe(true);
    expect(relClose(ols.stdErr, ref.se_slope, 1e-6)).toBe(true);

    // the OFI regression, 10-second buckets, mid changes in ticks of $0.01 (raw / 100)
    const refOfi = loadReference(devDay.reference).ofi.regression_10s;
    const olsOfi = new StreamingOls();
    for (const [e, dmid] of buckets(day, 10, ofi(day), 100)) olsOfi.update(e, dmid);
    expect(olsOfi.count).toBe(refOfi.n);
    expect(relClose(olsOfi.slope, refOfi.slope, 1e-6)).toBe(true);
    expect(relClose(olsOfi.intercept, refOfi.intercept, 1e-6)).toBe(true);
    expect(relClose(olsOfi.r2, refOfi.r2, 1e-6)).toBe(true);
    expect(relClose(olsOfi.tStat, refOfi.t_slope, 1e-6)).toBe(true);
    expect(relClose(olsOfi.stdErr, refOfi.se_slope, 1e-6)).toBe(true);
  });

  it('gives NaN where the reference has too few buckets (200-row slice: one 5-minute bucket)', () => {
    const day = readLobsterDay(tinyDay.message, tinyDay.orderbook);
    const ref = loadReference(tinyDay.reference).kyle_lambda;
    const ols = new StreamingOls();
    for (const [s, dmid] of buckets(day, 300, signedVolume(day), 1e4)) ols.update(s, dmid);
    expect(ols.count).toBe(ref.n);
    expect(ref.lambda).toBeNull();
    expect([ols.slope, ols.tStat, ols.r2]).toEqual([NaN, NaN, NaN]);
  });
});
