import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_SPOOFING_OPTIONS, Spoofing, type SpoofingOptions } from '../../src/detectors/spoofing.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, order, scenarioRun, trade } from './helpers.js';

/** A spoofing detector past its warm-up: 500 adds of 100 (baseline mean 100) and a book 99.99 / 100.01. */
function warmed(options: SpoofingOptions = {}): Spoofing {
  const d = new Spoofing({ minSamples: 10, ...options });
  d.onBook(book(0, [[99.99, 500], [99.98, 500]], [[100.01, 500], [100.02, 500]]));
  for (let i = 0; i < 500; i++) d.onOrder(order(i / 10, 'add', 1000 + i, 100, 99.97, 1));
  return d;
}

describe('Spoofing (L3)', () => {
  it('fires when a large order at the touch is deleted unexecuted (minCancels 1)', () => {
    const d = warmed({ minCancels: 1 });
    expect(d.onOrder(order(100, 'add', 1, 1000, 99.99, 1))).toBeNull(); // 1000 >= 5.5 x 100
    expect(d.onOrder(order(900, 'delete', 1, 1000, 99.99, 1))).toEqual({
      kind: 'spoofing',
      severity: 'warning', // critical from 2 x minCancels cancellations
      ts: 900,
      side: 1,
      price: 99.99,
      score: 1,
      evidence: { cancels: 1, size: 1000, baselineSize: 100, lifetimeMs: 800, filled: 0, l3: 1 },
    });
  });

  it('needs minCancels spoof-like cancellations on one side within windowMs (default 2)', () => {
    const d = warmed();
    d.onOrder(order(100, 'add', 1, 1000, 99.99, 1));
    expect(d.onOrder(order(1600, 'delete', 1, 1000, 99.99, 1))).toBeNull(); // the first
    d.onOrder(order(1900, 'add', 2, 1000, 99.98, 1)); // one level behind the touch
    const s = d.onOrder(order(3400, 'delete', 2, 1000, 99.98, 1));
    expect(s?.evidence.cancels).toBe(2);
    expect(s?.severity).toBe('warning');
    // a third within the window: the run already fired
    d.onOrder(order(3600, 'add', 3, 1000, 99.99, 1));
    expect(d.onOrder(order(4000, 'delete', 3, 1000, 99.99, 1))).toBeNull();
    // an ask-side pair is its own run
    d.onOrder(order(4100, 'add', 4, 1000, 100.01, -1));
    d.onOrder(order(4200, 'delete', 4, 1000, 100.01, -1));
    d.onOrder(order(4300, 'add', 5, 1000, 100.01, -1));
    expect(d.onOrder(order(4400, 'delete', 5, 1000, 100.01, -1))?.side).toBe(-1);
  });

  it('benign: a market maker re-quoting large orders on both sides raises nothing', () => {
    const d = warmed();
    let bid = 1;
    let ask = 2;
    d.onOrder(order(100, 'add', bid, 1000, 99.99, 1));
    d.onOrder(order(100, 'add', ask, 1000, 100.01, -1));
    let id = 3;
    for (let k = 0; k < 20; k++) {
      const t = 300 + k * 300;
      // re-quote one side: cancel and re-add (the other side's quote rests)
      if (k % 2 === 0) {
        expect(d.onOrder(order(t, 'delete', bid, 1000, 99.99, 1))).toBeNull();
        bid = id++;
        d.onOrder(order(t, 'add', bid, 1000, 99.99, 1));
      } else {
        expect(d.onOrder(order(t, 'delete', ask, 1000, 100.01, -1))).toBeNull();
        ask = id++;
        d.onOrder(order(t, 'add', ask, 1000, 100.01, -1));
      }
    }
    // and both quotes pulled at the end, one after the other
    expect(d.onOrder(order(7000, 'delete', bid, 1000, 99.99, 1))).toBeNull();
    expect(d.onOrder(order(7001, 'delete', ask, 1000, 100.01, -1))).toBeNull();
    expect(d.fired).toBe(0);
  });

  it('benign: partial fills, a large order that trades, slow cancels and small cancels raise nothing', () => {
    const d = warmed();
    for (let k = 0; k < 5; k++) {
      const t = 100 + k * 1000;
      d.onOrder(order(t, 'add', 10 + k, 1000, 99.99, 1));
      d.onOrder(order(t + 100, 'execute', 10 + k, 300, 99.99, 1)); // partly filled
      expect(d.onOrder(order(t + 500, 'delete', 10 + k, 700, 99.99, 1))).toBeNull();
    }
    for (let k = 0; k < 5; k++) {
      const t = 6000 + k * 1000;
      d.onOrder(order(t, 'add', 20 + k, 1000, 99.99, 1));
      expect(d.onOrder(order(t + 500, 'execute', 20 + k, 1000, 99.99, 1))).toBeNull(); // trades whole
    }
    for (let k = 0; k < 5; k++) {
      const t = 20_000 + k * 10_000;
      d.onOrder(order(t, 'add', 30 + k, 1000, 99.99, 1));
      expect(d.onOrder(order(t + 5000, 'delete', 30 + k, 1000, 99.99, 1))).toBeNull(); // rested 5 s
    }
    for (let k = 0; k < 5; k++) {
      const t = 80_000 + k * 500;
      d.onOrder(order(t, 'add', 40 + k, 300, 99.99, 1)); // 3 x the mean: not large
      expect(d.onOrder(order(t + 200, 'delete', 40 + k, 300, 99.99, 1))).toBeNull();
    }
    expect(d.fired).toBe(0);
  });

  it('benign: an honest iceberg refilling at the touch raises nothing', () => {
    const d = warmed();
    for (let k = 0; k < 10; k++) {
      const t = 100 + k * 200;
      d.onOrder(order(t, 'add', 50 + k, 100, 99.99, 1));
      expect(d.onOrder(order(t + 150, 'execute', 50 + k, 100, 99.99, 1))).toBeNull();
    }
    d.onOrder(order(3000, 'add', 60, 100, 99.99, 1));
    expect(d.onOrder(order(3100, 'delete', 60, 100, 99.99, 1))).toBeNull(); // the last clip pulled
  });

  it('ignores large orders away from the touch', () => {
    const d = warmed();
    for (let k = 0; k < 5; k++) {
      d.onOrder(order(100 + k * 100, 'add', 70 + k, 1000, 99.9, 1)); // 9 ticks behind
      expect(d.onOrder(order(150 + k * 100, 'delete', 70 + k, 1000, 99.9, 1))).toBeNull();
    }
  });
});

describe('Spoofing (L2)', () => {
  const quiet = (ts: number, bidSz = 100) => book(ts, [[99.99, bidSz]], [[100.01, 100]]);

  it('fires when a best level grows past 2x its mean and vanishes under 0.2x without trades', () => {
    const d = new Spoofing({ minSamples: 10, minCancels: 1 });
    for (let t = 0; t < 10; t++) d.onBook(quiet(t));
    expect(d.onBook(quiet(10, 1000))).toBeNull(); // 1000 > 2 x 100: a candidate
    expect(d.onBook(quiet(500, 1000))).toBeNull();
    const s = d.onBook(book(900, [[99.98, 100]], [[100.01, 100]])); // the bid at 99.99 is gone
    expect(s?.evidence).toMatchObject({ cancels: 1, size: 1000, lifetimeMs: 890, filled: 0, l3: 0 });
    expect(s?.price).toBe(99.99);
  });

  it('benign: a level that vanishes because it traded raises nothing', () => {
    const d = new Spoofing({ minSamples: 10, minCancels: 1 });
    for (let t = 0; t < 10; t++) d.onBook(quiet(t));
    d.onBook(quiet(10, 1000));
    d.onTrade(trade(800, 99.99, 900, -1));
    expect(d.onBook(book(800, [[99.99, 10]], [[100.01, 100]]))).toBeNull();
  });
});

describe('Spoofing', () => {
  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new Spoofing({ minSamples: 1, minCancels: 1 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the spoofing episodes (seed 3) and nothing on the normal flow', () => {
    const own = scenarioRun('spoofing', 'spoofing', 3, 900_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'spoofing', 3, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new Spoofing({ vanishRatio: 0 })).toThrow(InvalidOptionError);
    expect(() => new Spoofing({ minCancels: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_SPOOFING_OPTIONS).toMatchObject({ largeRatio: 6.5, nearLevels: 1, minCancels: 2, l1Ratio: 2, vanishRatio: 0.2 });
    expect(() => new Spoofing().restore({ ...new Spoofing().snapshot(), orders: [[1]] })).toThrow(InvalidStateError);
  });

  testOperatorContract('Spoofing', () => new Spoofing({ minSamples: 2, minCancels: 1, largeRatio: 2 }), eventsArb());
});
