import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_ICEBERG_OPTIONS, Iceberg } from '../../src/detectors/iceberg.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, order, scenarioRun, trade } from './helpers.js';

/** Clip k of an iceberg selling at 10: added at `t`, executed in full at `t + 40`, refilled then. */
function clips(d: Iceberg, n: number, clip = 100, t0 = 0, firstId = 1) {
  const out = [];
  d.onOrder(order(t0, 'add', firstId, clip, 10, -1));
  for (let k = 0; k < n; k++) {
    const t = t0 + 40 * (k + 1);
    out.push(d.onOrder(order(t, 'execute', firstId + k, clip, 10, -1)));
    out.push(d.onOrder(order(t, 'add', firstId + k + 1, clip, 10, -1)));
  }
  return out;
}

describe('Iceberg (L3)', () => {
  it('fires at the minRefills-th refill of one clip size at one price, as info', () => {
    const d = new Iceberg({ minRefills: 2 });
    const out = clips(d, 2);
    expect(out.slice(0, 3)).toEqual([null, null, null]);
    expect(out[3]).toEqual({
      kind: 'iceberg',
      severity: 'info',
      ts: 80,
      side: -1,
      price: 10,
      score: 2,
      evidence: { refills: 2, clip: 100, executedVolume: 200, spanMs: 40, hidden: 0 },
    });
    expect(clips(new Iceberg(), 3).filter((s) => s !== null).map((s) => s!.evidence.refills)).toEqual([3]);
  });

  it('sees the refill of a clip emptied in the middle of a sweep (several orders emptied at one time)', () => {
    const d = new Iceberg({ minRefills: 2 });
    let id = 100;
    const other = () => id++;
    d.onOrder(order(0, 'add', 1, 100, 10, -1));
    for (let k = 0; k < 2; k++) {
      const t = 100 * (k + 1);
      const after = other();
      d.onOrder(order(t - 50, 'add', after, 250, 10, -1)); // queued behind the clip
      d.onOrder(order(t, 'execute', 1 + k, 100, 10, -1));
      d.onOrder(order(t, 'execute', after, 250, 10, -1)); // the sweep goes on
      const s = d.onOrder(order(t, 'add', 2 + k, 100, 10, -1));
      if (k === 1) expect(s?.evidence.refills).toBe(2);
    }
  });

  it('benign: honest limit orders joining the level (other times, other sizes) raise nothing', () => {
    const d = new Iceberg({ minRefills: 2 });
    d.onOrder(order(0, 'add', 1, 100, 10, -1));
    d.onOrder(order(40, 'execute', 1, 100, 10, -1));
    expect(d.onOrder(order(60, 'add', 2, 100, 10, -1))).toBeNull(); // 20 ms later
    d.onOrder(order(80, 'execute', 2, 100, 10, -1));
    expect(d.onOrder(order(80, 'add', 3, 120, 10, -1))).toBeNull(); // another size
    d.onOrder(order(120, 'execute', 3, 120, 10, -1));
    expect(d.onOrder(order(120, 'add', 4, 120, 10.01, -1))).toBeNull(); // another price
    d.onOrder(order(150, 'execute', 4, 60, 10.01, -1)); // partly filled: not emptied
    expect(d.onOrder(order(150, 'add', 5, 120, 10.01, -1))).toBeNull();
    expect(d.fired).toBe(0);
  });

  it('benign: a market maker re-quoting a filled side while quoting the other raises nothing', () => {
    const d = new Iceberg({ minRefills: 2 });
    d.onBook(book(0, [[9.99, 300]], [[10, 300]]));
    d.onOrder(order(0, 'add', 1000, 300, 9.99, 1)); // its bid
    d.onOrder(order(0, 'add', 1, 300, 10, -1)); // its ask
    for (let k = 0; k < 5; k++) {
      const t = 100 * (k + 1);
      d.onOrder(order(t, 'execute', 1 + k, 300, 10, -1));
      expect(d.onOrder(order(t, 'add', 2 + k, 300, 10, -1))).toBeNull();
    }
    // without the two-sided test it would read as an iceberg
    const e = new Iceberg({ minRefills: 2, ignoreTwoSided: false });
    e.onBook(book(0, [[9.99, 300]], [[10, 300]]));
    e.onOrder(order(0, 'add', 1000, 300, 9.99, 1));
    expect(clips(e, 2, 300).some((s) => s !== null)).toBe(true);
  });

  it('with minHiddenExecutions, fires on repeated hidden executions at one price (one per instant)', () => {
    const d = new Iceberg({ minHiddenExecutions: 3 });
    expect(d.onOrder(order(0, 'executeHidden', 0, 100, 10, -1))).toBeNull();
    expect(d.onOrder(order(0, 'executeHidden', 0, 50, 10, -1))).toBeNull(); // same instant
    expect(d.onOrder(order(10, 'executeHidden', 0, 100, 10, -1))).toBeNull();
    const s = d.onOrder(order(20, 'executeHidden', 0, 100, 10, -1));
    expect(s?.evidence).toEqual({ refills: 3, clip: 0, executedVolume: 350, spanMs: 20, hidden: 1 });
    expect(new Iceberg().onOrder(order(0, 'executeHidden', 0, 100, 10, -1))).toBeNull(); // off by default
  });
});

describe('Iceberg (L2)', () => {
  it('counts a refill when the level grows back right after a trade at its price', () => {
    const d = new Iceberg({ minRefills: 2 });
    let s = null;
    for (let k = 0; k < 2; k++) {
      const t = 100 * (k + 1);
      d.onTrade(trade(t, 10, 100, 1)); // a buy hits the ask at 10
      d.onBook(book(t, [[9.99, 500]], [[10, 200]])); // the level after the fill
      s = d.onBook(book(t, [[9.99, 500]], [[10, 300]])); // refilled by 100
    }
    expect(s?.evidence).toMatchObject({ refills: 2, clip: 100, hidden: 0 });
  });

  it('benign: a level that only shrinks after trades raises nothing', () => {
    const d = new Iceberg({ minRefills: 1 });
    for (let k = 0; k < 5; k++) {
      d.onTrade(trade(100 * k, 10, 10, 1));
      expect(d.onBook(book(100 * k, [[9.99, 500]], [[10, 300 - 10 * k]]))).toBeNull();
      expect(d.onBook(book(100 * k + 50, [[9.99, 500]], [[10, 300 - 10 * k]]))).toBeNull();
    }
  });
});

describe('Iceberg', () => {
  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new Iceberg({ minRefills: 1 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds icebergs (seed 8) and nothing on the normal flow, where a market maker re-quotes', () => {
    const own = scenarioRun('iceberg', 'iceberg', 8, 1_200_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'iceberg', 8, 900_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new Iceberg({ minRefills: 0 })).toThrow(InvalidOptionError);
    expect(() => new Iceberg({ refillMs: -1 })).toThrow(InvalidOptionError);
    expect(DEFAULT_ICEBERG_OPTIONS).toMatchObject({ minRefills: 3, refillMs: 5, sizeTolerance: 0, minHiddenExecutions: 0, ignoreTwoSided: true });
    expect(() => new Iceberg().restore({ ...new Iceberg().snapshot(), full: [] })).toThrow(InvalidStateError);
  });

  testOperatorContract('Iceberg', () => new Iceberg({ minRefills: 1, refillMs: 3000, minHiddenExecutions: 2 }), eventsArb());
});
