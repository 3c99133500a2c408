import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_HEAVY_IMBALANCE_OPTIONS, HeavyImbalance } from '../../src/detectors/heavy-imbalance.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, scenarioRun } from './helpers.js';

const balanced = (ts: number) => book(ts, [[99, 100]], [[101, 100]]);
// one level a side: dwobi = (1900 - 100) / 2000 = 0.9
const bidHeavy = (ts: number) => book(ts, [[99, 1900]], [[101, 100]]);

describe('HeavyImbalance', () => {
  it('fires once a run of |dwobi| >= threshold has lasted minDurationMs (raw values)', () => {
    const d = new HeavyImbalance({ minBooks: 2, minDurationMs: 100, zThreshold: 0, smoothingMs: 0 });
    expect(d.onBook(balanced(0))).toBeNull();
    expect(d.onBook(balanced(10))).toBeNull();
    expect(d.onBook(bidHeavy(20))).toBeNull(); // run starts
    expect(d.onBook(bidHeavy(119))).toBeNull(); // 99 ms
    const s = d.onBook(bidHeavy(120));
    // mid = (99 + 101) / 2; baseline = two balanced books: mean 0, std 0
    expect(s).toEqual({
      kind: 'heavyImbalance',
      severity: 'warning',
      ts: 120,
      side: 1,
      price: 100,
      score: 0.9,
      evidence: { dwobi: 0.9, rawDwobi: 0.9, baselineMean: 0, baselineStd: 0, durationMs: 100 },
    });
    expect(d.onBook(bidHeavy(500))).toBeNull(); // one signal per run
  });

  it('time-averages dwobi: each value weighted by the time it stood (half-life smoothingMs)', () => {
    const d = new HeavyImbalance({ minBooks: 1, minDurationMs: 0, zThreshold: 0, smoothingMs: 1000, threshold: 0.6, releaseThreshold: 0.4 });
    d.onBook(balanced(0)); // x = 0
    d.onBook(bidHeavy(1000)); // the 0 stood 1000 ms: x = 0
    // 0.9 stood 1000 ms = one half-life: x = 0 + (1 - 2^-1) (0.9 - 0) = 0.45 (< 0.6)
    expect(d.onBook(bidHeavy(2000))).toBeNull();
    // again: x = 0.45 + 0.5 (0.9 - 0.45) = 0.675 >= 0.6
    const s = d.onBook(bidHeavy(3000));
    expect(s?.evidence.dwobi).toBeCloseTo(0.675, 12);
    expect(s?.evidence.rawDwobi).toBe(0.9);
  });

  it('is critical from criticalThreshold, and signals ask-side pressure as side -1', () => {
    const d = new HeavyImbalance({ minBooks: 1, minDurationMs: 0, zThreshold: 0, smoothingMs: 0 });
    d.onBook(balanced(0));
    const s = d.onBook(book(1, [[99, 10]], [[101, 1990]])); // dwobi = -1980 / 2000 = -0.99
    expect(s?.side).toBe(-1);
    expect(s?.severity).toBe('critical');
  });

  it('needs the imbalance to stand out from the baseline (zThreshold)', () => {
    // a book that is always bid-heavy: the baseline learns it
    const d = new HeavyImbalance({ minBooks: 50, minDurationMs: 0, smoothingMs: 0, zThreshold: 3 });
    for (let t = 0; t < 200; t++) expect(d.onBook(book(t * 10, [[99, t % 2 === 0 ? 1900 : 1700]], [[101, 100]]))).toBeNull();
  });

  it('ends a run when the imbalance falls under releaseThreshold or flips side', () => {
    const d = new HeavyImbalance({ minBooks: 1, minDurationMs: 100, zThreshold: 0, smoothingMs: 0 });
    d.onBook(balanced(0));
    d.onBook(bidHeavy(10));
    d.onBook(balanced(50)); // run over
    d.onBook(bidHeavy(60)); // a new run
    expect(d.onBook(bidHeavy(150))).toBeNull(); // 90 ms of the new run
    expect(d.onBook(bidHeavy(160))?.evidence.durationMs).toBe(100);
  });

  it('benign: a brief lopsided moment (a large order that trades at once) raises nothing', () => {
    const d = new HeavyImbalance({ minBooks: 10 });
    for (let t = 0; t < 100; t++) d.onBook(book(t * 100, [[99, 100 + (t % 3) * 10]], [[101, 100]]));
    // 300 ms of 0.9, then balanced again: the 2 s time average stays under 0.6
    for (let t = 0; t < 3; t++) expect(d.onBook(bidHeavy(10_000 + t * 100))).toBeNull();
    for (let t = 0; t < 50; t++) expect(d.onBook(balanced(10_300 + t * 100))).toBeNull();
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new HeavyImbalance({ minBooks: 1, minDurationMs: 0, zThreshold: 0 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the imbalance scenario (seed 2, tuning set) and nothing on the normal flow', () => {
    const own = scenarioRun('imbalance', 'heavyImbalance', 2, 900_000);
    expectFound(own);
    expect(scenarioRun('normal', 'heavyImbalance', 2, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new HeavyImbalance({ threshold: 0.5, releaseThreshold: 0.6 })).toThrow(InvalidOptionError);
    expect(() => new HeavyImbalance({ threshold: 1.5 })).toThrow(InvalidOptionError);
    expect(() => new HeavyImbalance({ levels: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_HEAVY_IMBALANCE_OPTIONS.threshold).toBe(0.6);
    expect(Object.isFrozen(DEFAULT_HEAVY_IMBALANCE_OPTIONS)).toBe(true);
    expect(() => new HeavyImbalance().restore({ ...new HeavyImbalance().snapshot(), run: [0] })).toThrow(InvalidStateError);
  });

  testOperatorContract('HeavyImbalance', () => new HeavyImbalance({ minBooks: 2, minDurationMs: 500, zThreshold: 1, smoothingMs: 500 }), eventsArb());
});
