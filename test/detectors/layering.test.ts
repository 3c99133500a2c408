import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_LAYERING_OPTIONS, Layering, type LayeringOptions } from '../../src/detectors/layering.js';
import { testOperatorContract } from '../support/contract.js';
import { booksArb, eventsArb, expectFound, order, scenarioRun } from './helpers.js';

const price = (i: number) => Math.round(9998 - i) / 100; // 99.98, 99.97, ...

/** 200 adds of 100 shares: the baseline mean is 100. */
function warmed(options: LayeringOptions = {}): Layering {
  const d = new Layering({ minSamples: 50, ...options });
  for (let i = 0; i < 200; i++) d.onOrder(order(i / 10, 'add', 1000 + i, 100, 99.9, 1));
  return d;
}

/** Stack `n` orders of `size` behind the touch, 20 ms apart from `t0`. */
function stack(d: Layering, t0: number, n: number, size = 500, side: 1 | -1 = 1, firstId = 1): void {
  for (let i = 0; i < n; i++) d.onOrder(order(t0 + 20 * i, 'add', firstId + i, size, side > 0 ? price(i) : price(-i - 4), side));
}

describe('Layering', () => {
  it('fires when 4 large stacked orders, added together, are cancelled together', () => {
    const d = warmed();
    stack(d, 100, 4);
    for (let i = 0; i < 3; i++) expect(d.onOrder(order(2000 + 5 * i, 'delete', 1 + i, 500, price(i), 1))).toBeNull();
    const s = d.onOrder(order(2015, 'delete', 4, 500, price(3), 1));
    expect(s?.kind).toBe('layering');
    expect(s?.side).toBe(1);
    expect(s?.price).toBe(99.95);
    expect(s?.score).toBe(4);
    expect(s?.severity).toBe('warning');
    expect(s?.evidence).toMatchObject({ layers: 4, totalSize: 2000, cancelSpanMs: 15, addSpanMs: 60 });
    expect(s?.evidence.baselineSize).toBeGreaterThan(100);
  });

  it('fires once per cancelWindowMs, when minOrders layers are in', () => {
    const d = warmed({ minOrders: 3 });
    stack(d, 100, 6);
    const out = [];
    for (let i = 0; i < 6; i++) out.push(d.onOrder(order(2000 + 5 * i, 'delete', 1 + i, 500, price(i), 1)));
    expect(out.map((s) => s?.evidence.layers ?? 0)).toEqual([0, 0, 3, 0, 0, 0]);
  });

  it('is critical when the layers hold twice the smallest qualifying stack', () => {
    const d = warmed();
    stack(d, 100, 4, 3000); // 12 000 shares >= 2 x 4 x 3.5 x ~100
    let s = null;
    for (let i = 0; i < 4; i++) s = d.onOrder(order(2000 + i, 'delete', 1 + i, 3000, price(i), 1)) ?? s;
    expect(s?.severity).toBe('critical');
  });

  it('benign: a market maker re-quoting one order a side raises nothing', () => {
    const d = warmed();
    let id = 1;
    for (let k = 0; k < 50; k++) {
      const t = 100 + 200 * k;
      d.onOrder(order(t, 'add', id, 500, 99.99, 1));
      d.onOrder(order(t, 'add', id + 1, 500, 100.01, -1));
      expect(d.onOrder(order(t + 150, 'delete', id, 500, 99.99, 1))).toBeNull();
      expect(d.onOrder(order(t + 150, 'delete', id + 1, 500, 100.01, -1))).toBeNull();
      id += 2;
    }
  });

  it('benign: partial fills, slow cancels, small orders and orders not added together raise nothing', () => {
    const d = warmed();
    stack(d, 100, 4, 500, 1, 1);
    d.onOrder(order(500, 'execute', 1, 100, price(0), 1)); // one layer partly filled
    for (let i = 0; i < 4; i++) expect(d.onOrder(order(2000 + i, 'delete', 1 + i, i === 0 ? 400 : 500, price(i), 1))).toBeNull();
    stack(d, 3000, 4, 500, 1, 11);
    for (let i = 0; i < 4; i++) expect(d.onOrder(order(5000 + 100 * i, 'delete', 11 + i, 500, price(i), 1))).toBeNull(); // 100 ms apart
    stack(d, 6000, 4, 200, 1, 21); // 2 x the mean: not large
    for (let i = 0; i < 4; i++) expect(d.onOrder(order(8000 + i, 'delete', 21 + i, 200, price(i), 1))).toBeNull();
    for (let i = 0; i < 4; i++) d.onOrder(order(9000 + 500 * i, 'add', 31 + i, 500, price(i), 1)); // 1.5 s to stack
    for (let i = 0; i < 4; i++) expect(d.onOrder(order(12_000 + i, 'delete', 31 + i, 500, price(i), 1))).toBeNull();
    expect(d.fired).toBe(0);
  });

  it('counts distinct prices: several orders at one level are not a stack', () => {
    const d = warmed();
    for (let i = 0; i < 4; i++) d.onOrder(order(100 + i, 'add', 1 + i, 500, 99.98, 1));
    for (let i = 0; i < 4; i++) expect(d.onOrder(order(2000 + i, 'delete', 1 + i, 500, 99.98, 1))).toBeNull();
  });

  it('never throws on any valid book (books are not its input)', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new Layering({ minSamples: 1 });
        for (const b of books) expect(d.onBook(b)).toBeNull();
      }),
    );
  });

  it('finds the layering episodes (seed 4) and nothing on the normal flow', () => {
    const own = scenarioRun('layering', 'layering', 4, 900_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'layering', 4, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new Layering({ minOrders: 1 })).toThrow(InvalidOptionError);
    expect(() => new Layering({ minOrders: 17 })).toThrow(InvalidOptionError);
    expect(() => new Layering({ cancelWindowMs: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_LAYERING_OPTIONS).toMatchObject({ minOrders: 4, largeRatio: 3.5, cancelWindowMs: 50, addWindowMs: 200 });
    expect(() => new Layering().restore({ ...new Layering().snapshot(), bid: [1, 2, 3] })).toThrow(InvalidStateError);
  });

  testOperatorContract('Layering', () => new Layering({ minSamples: 2, minOrders: 2, largeRatio: 1.5, cancelWindowMs: 3000, addWindowMs: 3000 }), eventsArb());
});
