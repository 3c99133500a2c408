import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';

describe('Random', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1) with mean near 1/2 and integers in range', () => {
    const r = new Random(1);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    // standard error of the mean of U(0,1) over 20000 draws is 0.289/sqrt(20000) = 0.002; 5 s.e. = 0.01
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k <= 3).toBe(true);
    }
    const u = r.uniform(5, 6);
    expect(u >= 5 && u < 6).toBe(true);
  });

  it('normal, exponential and Poisson draws have the right means', () => {
    const r = new Random(3);
    const n = 20000;
    let sn = 0;
    let sn2 = 0;
    let se = 0;
    let sp = 0;
    let sp40 = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      se += r.exponential(2);
      sp += r.poisson(3);
      sp40 += r.poisson(40);
      if (r.bernoulli(0.25)) hits++;
    }
    // 5 standard errors: normal mean 5/sqrt(n)=0.035; exp(rate 2) sd 0.5 -> 0.018; Poisson(3) sd 1.73 -> 0.061
    expect(Math.abs(sn / n)).toBeLessThan(0.036);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(se / n - 0.5)).toBeLessThan(0.018);
    expect(Math.abs(sp / n - 3)).toBeLessThan(0.062);
    expect(Math.abs(sp40 / n - 40)).toBeLessThan(0.23);
    expect(Math.abs(hits / n - 0.25)).toBeLessThan(0.016);
    expect(r.poisson(0)).toBe(0);
    expect(r.normal(10, 0)).toBe(10);
  });

  it('restore(snapshot()) through JSON continues the same sequence, including a spare normal', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(50), (seed, skip) => {
        const a = new Random(seed);
        for (let i = 0; i < skip; i++) a.next();
        a.normal(); // leaves a spare
        const b = new Random(0);
        b.restore(JSON.parse(JSON.stringify(a.snapshot())));
        for (let i = 0; i < 10; i++) expect(b.normal()).toBe(a.normal());
        expect(b.next()).toBe(a.next());
      }),
    );
  });

  it('reset() restarts the sequence', () => {
    const r = new Random(42);
    const first = [r.next(), r.normal()];
    r.reset();
    expect([r.next(), r.normal()]).toEqual(first);
  });
});
