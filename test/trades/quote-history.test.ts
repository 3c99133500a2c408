import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import { QuoteHistory } from '../../src/trades/quote-history.js';

describe('QuoteHistory', () => {
  it('finds the quote in effect lagMs before the look-up time', () => {
    const h = new QuoteHistory(5000);
    h.push(1000, 99, 101);
    h.push(4000, 100, 102);
    // cutoff 5999 - 5000 = 999: no quote yet at 999
    expect(h.lookup(5999)).toBe(false);
    expect(h.bid).toBeNaN();
    expect(h.ask).toBeNaN();
    // cutoff 2000: the 1000 ms quote
    expect(h.lookup(7000)).toBe(true);
    expect([h.bid, h.ask]).toEqual([99, 101]);
    // cutoff 4000: the 4000 ms quote (a quote at exactly the cutoff is in effect)
    expect(h.lookup(9000)).toBe(true);
    expect([h.bid, h.ask]).toEqual([100, 102]);
    expect(h.length).toBe(1);
  });

  it('with lag 0 keeps one quote: the latest', () => {
    const h = new QuoteHistory(0, 1);
    for (let t = 0; t < 100; t++) h.push(t, t, t + 1);
    expect(h.length).toBe(1);
    expect(h.capacity).toBe(2); // one doubling: a push finds the single slot full before pruning
    expect(h.lookup(99)).toBe(true);
    expect(h.bid).toBe(99);
  });

  it('grows by doubling when the lag holds more quotes than the ring', () => {
    const h = new QuoteHistory(1000, 2);
    for (let t = 0; t < 10; t++) h.push(t * 10, t, t + 1);
    expect(h.length).toBe(10);
    expect(h.capacity).toBe(16);
    h.reset();
    expect(h.capacity).toBe(2);
    expect(h.length).toBe(0);
  });

  it('matches a naive search over all quotes (last with ts <= t - lag)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 30 }), quote: fc.boolean(), px: fc.integer({ min: 1, max: 9 }) }), { maxLength: 80 }),
        (lag, steps) => {
          const h = new QuoteHistory(lag, 1);
          const all: Array<[number, number]> = [];
          let ts = 0;
          for (const s of steps) {
            ts += s.dt;
            if (s.quote) {
              h.push(ts, s.px, s.px + 1);
              all.push([ts, s.px]);
            } else {
              let expected = NaN;
              for (const [qt, px] of all) if (qt <= ts - lag) expected = px;
              expect(h.lookup(ts)).toBe(!Number.isNaN(expected));
              expect(h.bid).toBe(expected);
            }
          }
        },
      ),
    );
  });

  it('snapshot / restore through JSON keeps the retained quotes', () => {
    const h = new QuoteHistory(100);
    h.push(0, 1, NaN);
    h.push(50, 2, 3);
    const copy = new QuoteHistory(100);
    copy.restore(JSON.parse(JSON.stringify(h.snapshot())));
    expect(copy.lookup(100)).toBe(true);
    expect(copy.bid).toBe(1);
    expect(copy.ask).toBeNaN();
    expect(copy.snapshot()).toEqual(h.snapshot());
  });

  it('rejects a negative lag and a bad capacity', () => {
    expect(() => new QuoteHistory(-1)).toThrow(InvalidOptionError);
    expect(() => new QuoteHistory(0, 0)).toThrow(InvalidOptionError);
  });
});
