import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_EWMA_OPTIONS, Ewma, type EwmaOptions } from '../../src/stats/ewma.js';
import { testOperatorContract } from '../support/contract.js';
import { closeScaled, maxAbs, moderate, moderateOrBad } from './naive.js';

/** Feed `[x, dt]` pairs to a time-decayed Ewma, ts = previous ts + dt (0 for the first). */
function feedTimed(e: Ewma, x: number, dt: number): number {
  return e.update(x, (Number.isNaN(e.lastTs) ? 0 : e.lastTs) + dt);
}

describe('Ewma', () => {
  it('with adjust (default) weighs 1, 2, 3 at alpha 0.5 as 0.25, 0.5, 1', () => {
    // mean after 2: (0.5*1 + 2) / 1.5 = 5/3; after 3: (0.25*1 + 0.5*2 + 3) / 1.75 = 4.25 / 1.75 = 17/7
    // variance after 3, mean 17/7: deviations -10/7, -3/7, 4/7, squares 100/49, 9/49, 16/49,
    // weighted (0.25*100 + 0.5*9 + 16) / 49 = 45.5/49, divided by the weight 1.75: 26/49
    const e = new Ewma({ alpha: 0.5 });
    const out = [1, 2, 3].map((x) => e.update(x));
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(5 / 3, 15);
    expect(out[2]).toBeCloseTo(17 / 7, 15);
    expect(e.variance).toBeCloseTo(26 / 49, 15);
    expect(e.std).toBeCloseTo(Math.sqrt(26 / 49), 15);
    expect(e.count).toBe(3);
  });

  it('without adjust runs the textbook recursion mean += alpha (x - mean)', () => {
    // alpha 0.5: 1; 1 + 0.5*(2-1) = 1.5; 1.5 + 0.5*(3-1.5) = 2.25
    // variance: 0; 0.5*(0 + 0.5*1) = 0.25; 0.5*(0.25 + 0.5*1.5^2) = 0.6875
    const e = new Ewma({ alpha: 0.5, adjust: false });
    expect([1, 2, 3].map((x) => e.update(x))).toEqual([1, 1.5, 2.25]);
    expect(e.variance).toBe(0.6875);
  });

  it('starts with the first value as the mean and variance 0', () => {
    for (const options of [{ alpha: 0.1 }, { alpha: 0.1, adjust: false }, { halfLife: 10 }, { halfLifeMs: 100 }] as EwmaOptions[]) {
      const e = new Ewma(options);
      expect(e.mean).toBeNaN();
      expect(e.variance).toBeNaN();
      expect(e.update(42, 0)).toBe(42);
      expect(e.variance).toBe(0);
    }
  });

  it('halfLife h in events is alpha = 1 - 2^(-1/h)', () => {
    // h = 1: alpha = 0.5; h = 2: alpha = 1 - 1/sqrt(2) = 0.29289321881345254
    const xs = [3, -1, 4, 1, -5, 9, 2, 6];
    for (const adjust of [true, false]) {
      const byAlpha = new Ewma({ alpha: 1 - Math.SQRT1_2, adjust });
      const byHalfLife = new Ewma({ halfLife: 2, adjust });
      const half = new Ewma({ alpha: 0.5, adjust });
      const one = new Ewma({ halfLife: 1, adjust });
      for (const x of xs) {
        expect(byHalfLife.update(x)).toBeCloseTo(byAlpha.update(x), 13);
        expect(one.update(x)).toBeCloseTo(half.update(x), 13);
      }
      expect(byHalfLife.variance).toBeCloseTo(byAlpha.variance, 12);
    }
  });

  it('halfLifeMs decays by elapsed time and weighs equal time stamps equally (adjust)', () => {
    // halfLifeMs 1000; (10, t=0), (20, t=1000), (30, t=1000), (40, t=3000)
    // after 2: weights 0.5, 1 -> (5 + 20) / 1.5 = 16.666...
    // after 3 (dt = 0): weights 0.5, 1, 1 -> (5 + 20 + 30) / 2.5 = 22
    // after 4 (dt = 2000, factor 0.25): weights 0.125, 0.25, 0.25, 1 -> (1.25 + 5 + 7.5 + 40) / 1.625
    const e = new Ewma({ halfLifeMs: 1000 });
    expect(e.update(10, 0)).toBe(10);
    expect(e.update(20, 1000)).toBeCloseTo(50 / 3, 13);
    expect(e.update(30, 1000)).toBeCloseTo(22, 13);
    expect(e.update(40, 3000)).toBeCloseTo(53.75 / 1.625, 13);
  });

  it('halfLifeMs without adjust gives a value at the same time stamp no weight', () => {
    // a = 1 - 2^(-dt/1000): 10; a = 0.5 -> 15; dt = 0, a = 0 -> 15; a = 0.75 -> 15 + 0.75 * 25 = 33.75
    const e = new Ewma({ halfLifeMs: 1000, adjust: false });
    expect([e.update(10, 0), e.update(20, 1000), e.update(30, 1000), e.update(40, 3000)]).toEqual([10, 15, 15, 33.75]);
    expect(e.count).toBe(4);
  });

  it('with regular spacing, halfLifeMs = h * spacing equals halfLife = h', () => {
    fc.assert(
      fc.property(
        fc.array(moderate, { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.boolean(),
        (xs, h, spacing, adjust) => {
          const byEvents = new Ewma({ halfLife: h, adjust });
          const byTime = new Ewma({ halfLifeMs: h * spacing, adjust });
          const scale = maxAbs(xs);
          xs.forEach((x, i) => {
            const a = byEvents.update(x);
            const b = byTime.update(x, i * spacing);
            expect(closeScaled(b, a, 1e-9, scale)).toBe(true);
          });
        },
      ),
    );
  });

  it('an EWMA of a constant is that constant, with variance 0 (property)', () => {
    const options = fc.oneof(
      fc.record({ alpha: fc.double({ min: 1e-6, max: 1, noNaN: true }), adjust: fc.boolean() }),
      fc.record({ halfLife: fc.double({ min: 1e-3, max: 1e4, noNaN: true }), adjust: fc.boolean() }),
      fc.record({ halfLifeMs: fc.double({ min: 1e-3, max: 1e6, noNaN: true }), adjust: fc.boolean() }),
    );
    const dts = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(options, fc.double({ noNaN: true, noDefaultInfinity: true }), dts, (opts, c, dtList) => {
        const e = new Ewma(opts);
        for (const dt of dtList) {
          // === (not Object.is): -0 in, +0 out is the same constant
          expect(feedTimed(e, c, dt) === c).toBe(true);
          expect(e.variance).toBe(0);
        }
      }),
    );
  });

  it('with adjust equals the normalised weighted mean and variance sum w_i x_i / sum w_i (property)', () => {
    fc.assert(
      fc.property(fc.array(moderate, { minLength: 1, maxLength: 80 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (xs, alpha) => {
        const e = new Ewma({ alpha });
        xs.forEach((x, n) => {
          const got = e.update(x);
          // weights (1 - alpha)^(n - i) for i = 0..n
          let sw = 0;
          let swx = 0;
          for (let i = 0; i <= n; i++) {
            const w = (1 - alpha) ** (n - i);
            sw += w;
            swx += w * xs[i]!;
          }
          const mean = swx / sw;
          let swd = 0;
          for (let i = 0; i <= n; i++) swd += (1 - alpha) ** (n - i) * (xs[i]! - mean) ** 2;
          const scale = maxAbs(xs.slice(0, n + 1));
          expect(closeScaled(got, mean, 1e-9, scale)).toBe(true);
          expect(closeScaled(e.variance, swd / sw, 1e-9, scale * scale)).toBe(true);
        });
      }),
    );
  });

  it('without adjust equals the closed form (1-a)^(n-1) x_1 + sum a (1-a)^(n-i) x_i (property)', () => {
    fc.assert(
      fc.property(fc.array(moderate, { minLength: 1, maxLength: 80 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (xs, alpha) => {
        const e = new Ewma({ alpha, adjust: false });
        xs.forEach((x, n) => {
          let expected = (1 - alpha) ** n * xs[0]!;
          for (let i = 1; i <= n; i++) expected += alpha * (1 - alpha) ** (n - i) * xs[i]!;
          expect(closeScaled(e.update(x), expected, 1e-9, maxAbs(xs.slice(0, n + 1)))).toBe(true);
        });
      }),
    );
  });

  it('returns NaN until minSamples values, then the mean (warm-up index)', () => {
    const e = new Ewma({ alpha: 0.5, minSamples: 3 });
    const out = [1, 2, NaN, 3].map((x) => e.update(x));
    expect(out.slice(0, 3)).toEqual([NaN, NaN, NaN]);
    expect(out[3]).toBeCloseTo(17 / 7, 15);
    expect(e.variance).toBeCloseTo(26 / 49, 15);
    expect(e.count).toBe(3);
    expect(DEFAULT_EWMA_OPTIONS.minSamples).toBe(1);
  });

  it('skips and counts non-finite values without touching the state (property)', () => {
    fc.assert(
      fc.property(fc.array(moderateOrBad, { maxLength: 60 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (xs, alpha) => {
        const withBad = new Ewma({ alpha });
        const clean = new Ewma({ alpha });
        let bad = 0;
        for (const x of xs) {
          const got = withBad.update(x);
          if (Number.isFinite(x)) expect(got).toBe(clean.update(x));
          else {
            bad++;
            expect(got).toBe(clean.mean);
          }
        }
        expect(withBad.skipped).toBe(bad);
        expect(withBad.count).toBe(clean.count);
      }),
    );
  });

  it('in time mode a skipped value keeps the decay reference at the last used value', () => {
    // adjust: false, halfLifeMs 1000: (10, 0), (NaN, 500), (20, 1000): a = 1 - 2^-1 = 0.5 -> 15
    const e = new Ewma({ halfLifeMs: 1000, adjust: false });
    e.update(10, 0);
    expect(e.update(NaN, 500)).toBe(10);
    expect(e.update(20, 1000)).toBe(15);
    expect(e.skipped).toBe(1);
    expect(e.lastTs).toBe(1000);
  });

  it('requires a finite, non-decreasing ts with halfLifeMs and ignores ts otherwise', () => {
    const e = new Ewma({ halfLifeMs: 100 });
    expect(() => e.update(1)).toThrow(InvalidInputError);
    expect(() => e.update(1, NaN)).toThrow(/finite number of ms/);
    e.update(1, 50);
    expect(() => e.update(1, 49)).toThrow(/>= the previous ts 50/);
    expect(() => e.update(NaN, 10)).toThrow(InvalidInputError);
    expect(e.update(3, 50)).toBe(2);
    const byEvents = new Ewma({ alpha: 0.5 });
    byEvents.update(1, 100);
    expect(byEvents.update(3, 0)).toBeCloseTo(7 / 3, 15);
    expect(byEvents.lastTs).toBeNaN();
  });

  it('rejects bad options with InvalidOptionError naming the option', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{}, /exactly one of alpha, halfLife, halfLifeMs \(got none\)/],
      [{ alpha: 0.5, halfLife: 3 }, /got alpha, halfLife/],
      [{ alpha: 0 }, /Ewma\.alpha/],
      [{ alpha: 1.5 }, /Ewma\.alpha/],
      [{ alpha: NaN }, /Ewma\.alpha/],
      [{ halfLife: -1 }, /Ewma\.halfLife/],
      [{ halfLifeMs: Infinity }, /Ewma\.halfLifeMs/],
      [{ alpha: 0.5, adjust: 'yes' }, /Ewma\.adjust/],
      [{ alpha: 0.5, minSamples: 0 }, /Ewma\.minSamples/],
      [{ alpha: 0.5, window: 3 }, /Ewma\.window/],
      [undefined, /Ewma options/],
    ];
    for (const [options, message] of bad) {
      expect(() => new Ewma(options as EwmaOptions)).toThrow(InvalidOptionError);
      expect(() => new Ewma(options as EwmaOptions)).toThrow(message);
    }
    expect(new Ewma({ alpha: 1 }).update(5)).toBe(5);
  });

  it('has the documented bias: steady-state E[variance] = sigma^2 2 (1 - alpha) / (2 - alpha)', () => {
    // i.i.d. N(0, 1), alpha 0.1: the factor is 1.8 / 1.9 = 0.947; averaged over 200,000 steps after a
    // 1,000-step burn-in (seeded, so deterministic; the average's standard error is about 0.003)
    for (const adjust of [true, false]) {
      const rng = new Random(3);
      const e = new Ewma({ alpha: 0.1, adjust });
      let total = 0;
      for (let i = 0; i < 201_000; i++) {
        e.update(rng.normal());
        if (i >= 1000) total += e.variance;
      }
      expect(Math.abs(total / 200_000 - 1.8 / 1.9)).toBeLessThan(0.015);
    }
  });

  it('refuses a state of another type or taken with other options', () => {
    const a = new Ewma({ alpha: 0.5 });
    a.update(1);
    expect(() => new Ewma({ alpha: 0.25 }).restore(a.snapshot())).toThrow(InvalidStateError);
    expect(() => new Ewma({ alpha: 0.5, adjust: false }).restore(a.snapshot())).toThrow(/adjust/);
    expect(() => new Ewma({ alpha: 0.5 }).restore({ ...a.snapshot(), mean: 'abc' })).toThrow(/mean must be a number or an encoded number/);
    expect(() => new Ewma({ alpha: 0.5 }).restore({ ...a.snapshot(), options: undefined as never })).toThrow(/field "options"/);
    expect(() => new Ewma({ alpha: 0.5 }).restore({ type: 'RollingStats', version: 1 } as never)).toThrow(InvalidStateError);
    const b = new Ewma({ alpha: 0.5, minSamples: 4 });
    b.restore(a.snapshot());
    expect(b.count).toBe(1);
  });

  testOperatorContract('Ewma alpha 0.3', () => new Ewma({ alpha: 0.3 }), fc.array(moderateOrBad, { maxLength: 40 }));
  testOperatorContract(
    'Ewma halfLife 5 without adjust, minSamples 3',
    () => new Ewma({ halfLife: 5, adjust: false, minSamples: 3 }),
    fc.array(moderateOrBad, { maxLength: 40 }),
  );
  testOperatorContract(
    'Ewma halfLifeMs 250',
    () => new Ewma({ halfLifeMs: 250 }),
    fc.array(fc.tuple(moderateOrBad, fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true }))), { maxLength: 40 }),
    (op, [x, dt]) => feedTimed(op, x, dt),
  );
});

describe('Ewma: the cached weight once the adjusted sum has converged', () => {
  it('gives bit for bit the values of the plain recursion, through convergence and after a restore', () => {
    const halfLife = 3;
    const d = Math.exp(-Math.LN2 / halfLife);
    const e = new Ewma({ halfLife });
    let m = 0;
    let w = 0;
    const xs = Array.from({ length: 400 }, (_, i) => Math.sin(i) * 10 + i / 7);
    xs.forEach((x, i) => {
      if (i === 0) {
        m = x;
        w = 1;
      } else {
        w = d * w + 1;
        const a = 1 / w; // the recursion as the class computes it, with 1 / w recomputed every time
        m += a * (x - m);
      }
      if (i === 200) {
        // a restore in the converged regime must not reuse a weight from before it
        const f = new Ewma({ halfLife });
        f.update(123);
        f.update(-5);
        f.restore(e.snapshot());
        expect(f.update(x)).toBe(m);
      }
      expect(e.update(x)).toBe(m);
    });
    expect(d * w + 1).toBe(w); // converged within the 400 values
  });
});
