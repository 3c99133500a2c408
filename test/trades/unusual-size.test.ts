import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { Ewma } from '../../src/stats/ewma.js';
import { UnusualSize } from '../../src/trades/unusual-size.js';
import { testOperatorContract } from '../support/contract.js';
import { tradesArb } from './arbitraries.js';

describe('UnusualSize', () => {
  it('scores a trade against the baseline of the trades before it', () => {
    // Baseline of 4 trades (ln 100, ln 120, ln 80, ln 110) by the same Ewma; then 5000 shares.
    const d = new UnusualSize({ minTrades: 3, threshold: 3, halfLife: 1000 });
    const baseline = new Ewma({ halfLife: 1000, adjust: true });
    [100, 120, 80, 110].forEach((size, i) => {
      d.update({ ts: i, price: 10, size });
      baseline.update(Math.log(size));
    });
    const z = (Math.log(5000) - baseline.mean) / baseline.std;
    const signal = d.update({ ts: 5, price: 10.5, size: 5000, side: 1 });
    expect(signal).not.toBeNull();
    expect(signal!.kind).toBe('unusualSize');
    expect(signal!.severity).toBe('critical'); // z = 25.8 >= 6
    expect(signal!.score).toBe(z);
    expect(signal!).toMatchObject({ ts: 5, side: 1, price: 10.5 });
    expect(signal!.evidence).toEqual({ size: 5000, logSize: Math.log(5000), baselineMean: baseline.mean, baselineStd: baseline.std, z, trades: 4 });
    expect(d.fired).toBe(1);
  });

  it('never fires before minTrades trades are in the baseline (exact warm-up)', () => {
    const fire = (before: number): boolean => {
      const d = new UnusualSize({ minTrades: 5 });
      for (let i = 0; i < before; i++) expect(d.update({ ts: i, price: 1, size: 100 })).toBeNull();
      return d.update({ ts: before, price: 1, size: 1e6 }) !== null;
    };
    expect(fire(4)).toBe(false); // 5th trade: 4 in the baseline
    expect(fire(5)).toBe(true); // 6th trade: 5 in the baseline
  });

  it('floors the baseline std at minStd: identical sizes, then 10% more, is not unusual', () => {
    const d = new UnusualSize({ minTrades: 10 });
    for (let i = 0; i < 50; i++) d.update({ ts: i, price: 1, size: 100 });
    expect(d.update({ ts: 50, price: 1, size: 110 })).toBeNull(); // z = ln 1.1 / 0.1 = 0.95
    expect(d.update({ ts: 51, price: 1, size: 100 * Math.exp(0.45) })?.severity).toBe('warning'); // z = 4.5
  });

  it('labelled scenario: log-normal sizes stay quiet, the injected blocks fire', () => {
    const rng = new Random(7);
    const d = new UnusualSize();
    const fired: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const block = i === 1500 || i === 2500;
      const size = block ? 200_000 : Math.max(1, Math.round(Math.exp(4 + 0.8 * rng.normal())));
      if (d.update({ ts: i, price: 100, size }) !== null) fired.push(i);
    }
    expect(fired).toEqual([1500, 2500]);
  });

  it('skips and counts zero sizes', () => {
    const d = new UnusualSize();
    expect(d.update({ ts: 0, price: 1, size: 0 })).toBeNull();
    expect(d.skipped).toBe(1);
  });

  it('returns only null or a signal with a score at or above the threshold', () => {
    fc.assert(
      fc.property(tradesArb({ maxLength: 80 }), (trades) => {
        const d = new UnusualSize({ minTrades: 3, threshold: 1.5, criticalThreshold: 2 });
        for (const t of trades) {
          const s = d.update(t);
          if (s !== null) {
            expect(s.score).toBeGreaterThanOrEqual(1.5);
            expect(s.severity).toBe(s.score >= 2 ? 'critical' : 'warning');
          }
        }
      }),
    );
  });

  it('rejects bad options and states', () => {
    expect(() => new UnusualSize({ threshold: 5, criticalThreshold: 4 })).toThrow(InvalidOptionError);
    expect(() => new UnusualSize({ minTrades: 0 })).toThrow(InvalidOptionError);
    expect(() => new UnusualSize({ halfLife: 100 }).restore(new UnusualSize({ halfLife: 10 }).snapshot())).toThrow(InvalidStateError);
  });

  testOperatorContract('UnusualSize', () => new UnusualSize({ minTrades: 3, threshold: 1.5, halfLife: 20 }), tradesArb());
});
