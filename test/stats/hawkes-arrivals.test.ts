import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_HAWKES_ARRIVALS_OPTIONS, HawkesArrivals } from '../../src/stats/hawkes-arrivals.js';
import { fitHawkes } from '../../src/stats/hawkes-fit.js';
import { simulateHawkes } from '../../src/stats/hawkes-simulate.js';
import { testOperatorContract } from '../support/contract.js';

describe('HawkesArrivals', () => {
  it('keeps one arrival per market order: same-side executions at one time stamp merge, side 0 is left out', () => {
    const a = new HawkesArrivals();
    expect(a.add(0, 1)).toBe(true);
    expect(a.add(0, 1)).toBe(false); // second fill of the same buy order
    expect(a.add(0, -1)).toBe(true); // a sell at the same time is another order
    expect(a.add(1500, 1)).toBe(true);
    expect(a.update({ ts: 1600 })).toBe(false); // no side: unsigned
    expect(a.update({ ts: 2000, side: -1 })).toBe(true);
    expect(Array.from(a.times(1))).toEqual([0, 1.5]);
    expect(Array.from(a.times(-1))).toEqual([0, 2]);
    expect(a.count(1)).toBe(2);
    expect(a.merged).toBe(1);
    expect(a.unsigned).toBe(1);
  });

  it('merges within mergeWithinMs of the last kept arrival and converts to timeUnitMs', () => {
    expect(DEFAULT_HAWKES_ARRIVALS_OPTIONS).toEqual({ mergeWithinMs: 0, timeUnitMs: 1000 });
    const a = new HawkesArrivals({ mergeWithinMs: 5, timeUnitMs: 1 });
    for (const ts of [0, 3, 5, 6, 12]) a.add(ts, -1);
    // 0 kept; 3, 5 within 5 of 0; 6 kept; 12 kept (6 after 6)
    expect(Array.from(a.times(-1))).toEqual([0, 6, 12]);
    expect(a.merged).toBe(2);
  });

  it('fits each side with fitHawkes on its arrival times (seconds)', () => {
    const buys = simulateHawkes({ mu: 0.5, alpha: 0.8, beta: 1.2 }, { random: new Random(77), n: 5000 });
    const sells = simulateHawkes({ mu: 1, alpha: 0, beta: 1 }, { random: new Random(78), n: 3000 });
    const a = new HawkesArrivals();
    let i = 0;
    let j = 0;
    while (i < buys.length || j < sells.length) {
      if (j >= sells.length || (i < buys.length && buys[i]! <= sells[j]!)) a.add(buys[i++]! * 1000, 1);
      else a.add(sells[j++]! * 1000, -1);
    }
    const fits = a.fitBoth();
    expect(fits.buy.events).toBe(buys.length);
    expect(fits.sell.events).toBe(sells.length);
    expect(fits.buy).toEqual(fitHawkes(a.times(1)));
    expect(fits.sell).toEqual(fitHawkes(a.times(-1)));
    expect(fits.buy.branchingRatio).toBeLessThan(1);
    expect(fits.sell.branchingRatio).toBeLessThan(1);
    expect(new HawkesArrivals().fit(1).mu).toBeNaN();
  });

  it('rejects bad options, times and sides, and foreign states', () => {
    expect(() => new HawkesArrivals({ mergeWithinMs: -1 })).toThrow(InvalidOptionError);
    expect(() => new HawkesArrivals({ timeUnitMs: 0 })).toThrow(InvalidOptionError);
    const a = new HawkesArrivals();
    a.add(10, 1);
    expect(() => a.add(9, 1)).toThrow(InvalidInputError);
    expect(() => a.add(NaN, 1)).toThrow(InvalidInputError);
    expect(() => a.add(11, 2)).toThrow(InvalidInputError);
    a.add(9, -1); // sides are separate streams
    expect(() => new HawkesArrivals({ timeUnitMs: 1 }).restore(a.snapshot())).toThrow(InvalidStateError);
    expect(() => new HawkesArrivals().restore({ ...a.snapshot(), buys: ['x'] } as never)).toThrow(InvalidStateError);
    expect(() => new HawkesArrivals().restore({ ...a.snapshot(), merged: -1 })).toThrow(InvalidStateError);
  });

  testOperatorContract(
    'HawkesArrivals',
    () => new HawkesArrivals({ mergeWithinMs: 1 }),
    fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.constantFrom(-1, 0, 1)), { maxLength: 1500 }),
    (a, [dt, side]) => [a.add((Number.isNaN(a.lastTs) ? 0 : a.lastTs) + dt, side), a.count(1), a.count(-1), a.merged, a.unsigned],
    20,
  );
});
