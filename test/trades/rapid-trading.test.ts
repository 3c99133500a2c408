import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { RapidTrading } from '../../src/trades/rapid-trading.js';
import { testOperatorContract } from '../support/contract.js';
import { tradesArb } from './arbitraries.js';

describe('RapidTrading', () => {
  it('fires when the window holds threshold times the baseline count', () => {
    // 1 trade/s for 20 s (baseline half-life 10 s); then trades every 10 ms. The baseline over
    // [0, b] of a 1/s flow normalised by its observed weight is about 1/s (expected ~1 per window);
    // the 10th burst trade makes count 10 >= minCount and ratio ~9.5 >= 5: 'warning' (< 10).
    const d = new RapidTrading({ warmupMs: 10_000, baselineHalfLifeMs: 10_000, minCount: 10 });
    for (let t = 0; t <= 20_000; t += 1000) expect(d.update({ ts: t, price: 10, size: 1 })).toBeNull();
    let signal = null;
    let i = 0;
    while (signal === null && i < 50) signal = d.update({ ts: 20_000 + ++i * 10, price: 10, size: 1, side: -1 });
    expect(i).toBe(9); // 20 000 ms trade + 9 burst trades = 10 in (t - 1000, t]
    expect(signal!.kind).toBe('rapidTrading');
    expect(signal!.severity).toBe('warning');
    expect(signal!.side).toBe(-1);
    expect(signal!.evidence.count).toBe(10);
    expect(signal!.evidence.expected).toBeGreaterThan(0.9);
    expect(signal!.evidence.expected).toBeLessThan(1.2);
    expect(signal!.score).toBe(10 / signal!.evidence.expected!);
  });

  it('stays quiet during warm-up and the cooldown', () => {
    const d = new RapidTrading({ warmupMs: 5000, cooldownMs: 500, minCount: 3, threshold: 2 });
    for (let i = 0; i < 100; i++) expect(d.update({ ts: i, price: 1, size: 1 })).toBeNull(); // no history yet
    const quiet = new RapidTrading({ warmupMs: 0, baselineHalfLifeMs: 1000, cooldownMs: 500, minCount: 3, threshold: 2 });
    quiet.update({ ts: 0, price: 1, size: 1 });
    const fired: number[] = [];
    for (let t = 2000; t < 3000; t += 50) if (quiet.update({ ts: t, price: 1, size: 1 }) !== null) fired.push(t);
    // First at the 3rd burst trade (2100); next one at least 500 ms later.
    expect(fired[0]).toBe(2100);
    for (let k = 1; k < fired.length; k++) expect(fired[k]! - fired[k - 1]!).toBeGreaterThanOrEqual(500);
  });

  it('labelled scenario: a Poisson flow stays quiet, the burst fires once', () => {
    const rng = new Random(11);
    const d = new RapidTrading();
    let t = 0;
    const times: number[] = [];
    const fired: number[] = [];
    for (let i = 0; i < 6000; i++) {
      t += i >= 4000 && i < 4050 ? 5 : rng.exponential(1 / 500); // ~2 trades/s, then 50 trades 5 ms apart
      times.push(t);
      if (d.update({ ts: t, price: 100, size: 100 }) !== null) fired.push(i);
    }
    // Expected: the first burst trade whose 1 s window holds minCount = 20 trades (counted naively);
    // against a baseline of ~2 per window that is a ratio of ~10 >= 5. One signal: the cooldown
    // (1 s) outlasts the 250 ms burst.
    const inWindow = (i: number): number => times.filter((s, j) => j <= i && s > times[i]! - 1000).length;
    let first = 4000;
    while (inWindow(first) < 20) first++;
    expect(fired).toEqual([first]);
  });

  it('a lasting rise of activity is the new pace: the fast baseline (30 s) stops it firing every cooldown', () => {
    // 1 trade/s for 10 minutes, then 40 trades/s for 3 minutes (a busier regime, not a burst)
    const run = (d: RapidTrading): number[] => {
      const fired: number[] = [];
      for (let t = 0; t < 600_000; t += 1000) d.update({ ts: t, price: 10, size: 1 });
      for (let t = 600_000; t < 780_000; t += 25) if (d.update({ ts: t, price: 10, size: 1 }) !== null) fired.push(t);
      return fired;
    };
    const slowOnly = run(new RapidTrading({ fastHalfLifeMs: 0 }));
    const both = run(new RapidTrading());
    // the slow baseline (5 min) lags: the ratio stays >= 5 for about a minute and a half, one signal a cooldown
    expect(slowOnly.length).toBeGreaterThan(60);
    // with the fast one the rise fires while it is news (its first seconds) and then no more
    expect(both.length).toBeGreaterThan(0);
    expect(both[0]).toBe(slowOnly[0]);
    expect(both[both.length - 1]! - 600_000).toBeLessThan(60_000);
    expect(both.length).toBeLessThan(slowOnly.length / 2);
  });

  it('restores a state of 5 values (before fastHalfLifeMs) with the fast rate set to the slow one', () => {
    const d = new RapidTrading({ warmupMs: 0 });
    for (let t = 0; t <= 120_000; t += 500) d.update({ ts: t, price: 1, size: 1 }); // 2 per second
    const state = d.snapshot();
    const e = new RapidTrading({ warmupMs: 0 });
    e.restore({ ...state, values: state.values.slice(0, 5) });
    expect(e.baselineRatePerSec).toBeCloseTo(d.baselineRatePerSec, 12);
    // both go on to score the same burst alike (the fast rate of a steady flow equals the slow one)
    let a = null;
    let b = null;
    for (let i = 1; i <= 30 && a === null; i++) {
      a = d.update({ ts: 120_000 + i * 10, price: 1, size: 1 });
      b = e.update({ ts: 120_000 + i * 10, price: 1, size: 1 });
    }
    expect(a).not.toBeNull();
    expect(b!.evidence.count).toBe(a!.evidence.count);
    expect(b!.score).toBeCloseTo(a!.score, 1);
    expect(() => new RapidTrading({ fastHalfLifeMs: -1 })).toThrow(InvalidOptionError);
  });

  it('counts late trades and keeps the baseline rate near the true rate', () => {
    const d = new RapidTrading({ baselineHalfLifeMs: 60_000 });
    for (let t = 0; t <= 600_000; t += 250) d.update({ ts: t, price: 1, size: 1 }); // 4 per second
    expect(d.baselineRatePerSec).toBeCloseTo(4, 1);
    d.update({ ts: 5, price: 1, size: 1 });
    expect(d.lateEvents).toBe(1);
  });

  it('returns only null or a signal at or above the threshold', () => {
    fc.assert(
      fc.property(tradesArb({ maxDtMs: 300, maxLength: 120 }), (trades) => {
        const d = new RapidTrading({ warmupMs: 0, baselineHalfLifeMs: 2000, minCount: 2, threshold: 2, cooldownMs: 0 });
        for (const t of trades) {
          const s = d.update(t);
          if (s !== null) expect(s.score).toBeGreaterThanOrEqual(2);
        }
      }),
    );
  });

  it('rejects bad options and states', () => {
    expect(() => new RapidTrading({ windowMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new RapidTrading({ threshold: 5, criticalThreshold: 2 })).toThrow(InvalidOptionError);
    expect(() => new RapidTrading().restore({ ...new RapidTrading().snapshot(), counts: [0] })).toThrow(InvalidStateError);
  });

  testOperatorContract(
    'RapidTrading',
    () => new RapidTrading({ warmupMs: 500, baselineHalfLifeMs: 2000, minCount: 2, threshold: 2, cooldownMs: 100, initialCapacity: 2 }),
    tradesArb({ maxDtMs: 400 }),
  );
});
