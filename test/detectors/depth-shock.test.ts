import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_DEPTH_SHOCK_OPTIONS, DepthShock } from '../../src/detectors/depth-shock.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, scenarioRun } from './helpers.js';

const sized = (ts: number, bid: number, ask: number) => book(ts, [[99, bid]], [[101, ask]]);

describe('DepthShock', () => {
  it('fires at once (minDurationMs 0) when depth falls past both the window maximum and the baseline', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0 });
    for (let t = 0; t <= 2000; t += 100) expect(d.onBook(sized(t, 500, 500))).toBeNull();
    const s = d.onBook(sized(2100, 200, 200));
    // 1000 -> 400: drop 0.6 of the window max; baseline 1000 (all books 1000); 400 <= 0.4 * 1000
    expect(s).toEqual({
      kind: 'depthShock',
      severity: 'critical',
      ts: 2100,
      side: 1, // both sides lost 60%: ties go to the bid
      price: 100,
      score: 2,
      evidence: { depth: 400, windowMax: 1000, baseline: 1000, drop: 0.6, bidDepth: 200, askDepth: 200, durationMs: 0, bidLoss: 0.6, askLoss: 0.6 },
    });
  });

  it('waits minDurationMs of low depth, and stays silent when the depth comes back first', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 1000 });
    for (let t = 0; t <= 2000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(2100, 150, 150))).toBeNull(); // low: 300 <= 400
    expect(d.onBook(sized(2600, 150, 150))).toBeNull();
    expect(d.onBook(sized(3000, 500, 500))).toBeNull(); // refilled within 900 ms: no shock
    expect(d.onBook(sized(3100, 150, 150))).toBeNull(); // a new start
    const s = d.onBook(sized(4100, 180, 150));
    expect(s?.evidence.durationMs).toBe(1000);
    expect(s?.evidence.drop).toBe(0.7); // the fall when it started: 1000 -> 300
    expect(s?.side).toBe(-1); // the ask side lost more (150 of 500) than the bid (180)
  });

  it('gives one signal per shock and re-arms once depth is back to recoverFraction (0.9) of its baseline', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0, mergeWithinMs: 0 });
    for (let t = 0; t <= 2000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(2100, 200, 200))).not.toBeNull();
    expect(d.onBook(sized(2200, 100, 100))).toBeNull();
    expect(d.onBook(sized(2300, 425, 425))).toBeNull(); // 850 < 0.9 x ~1000: a refill within the same shock
    expect(d.onBook(sized(2400, 150, 150))).toBeNull(); // and down again: no second signal
    expect(d.onBook(sized(2500, 500, 500))).toBeNull(); // 1000: recovered
    expect(d.onBook(sized(2600, 150, 150))).not.toBeNull(); // a new shock
    // with the old re-arming level (0.7 of the baseline) the refill to 900 would have ended the shock
    const e = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0, recoverFraction: 0.7, mergeWithinMs: 0 });
    for (let t = 0; t <= 2000; t += 100) e.onBook(sized(t, 500, 500));
    expect(e.onBook(sized(2100, 200, 200))).not.toBeNull();
    expect(e.onBook(sized(2300, 425, 425))).toBeNull();
    expect(e.onBook(sized(2400, 150, 150))).not.toBeNull();
  });

  it('a shock starting within mergeWithinMs (30 s) of the last signalled one continues its episode', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0 });
    for (let t = 0; t <= 2000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(2100, 150, 150))).not.toBeNull();
    expect(d.onBook(sized(2500, 500, 500))).toBeNull(); // recovered: the episode ends at 2.5 s
    // the book drains again 3 s later (as GOOG's opening book does): the same episode, no signal
    expect(d.onBook(sized(5500, 500, 500))).toBeNull();
    expect(d.onBook(sized(5600, 150, 150))).toBeNull();
    expect(d.onBook(sized(6000, 500, 500))).toBeNull(); // its end restarts the 30 s
    for (let u = 6100; u <= 35_800; u += 100) expect(d.onBook(sized(u, 500, 500))).toBeNull();
    expect(d.onBook(sized(35_900, 150, 150))).toBeNull(); // 29.9 s after it: still the same episode
    // a drain more than 30 s after the last end is a new crisis
    let t = 36_000;
    for (; t <= 70_000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(t, 150, 150))?.kind).toBe('depthShock');
    // with minDurationMs, a merged shock waits its duration as any other (a brief dip extends nothing)
    const e = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 500 });
    for (let u = 0; u <= 2000; u += 100) e.onBook(sized(u, 500, 500));
    e.onBook(sized(2100, 150, 150));
    expect(e.onBook(sized(2600, 150, 150))).not.toBeNull();
    expect(e.onBook(sized(2700, 500, 500))).toBeNull();
    expect(e.onBook(sized(4000, 150, 150))).toBeNull(); // merged, silently
    expect(e.onBook(sized(4600, 150, 150))).toBeNull();
  });

  it('a lasting fall ends as the new normal: the baseline learns during a shock, so the detector re-arms', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0, baselineHalfLifeMs: 10_000 });
    for (let t = 0; t <= 2000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(2100, 150, 150))).not.toBeNull();
    // depth stays at 300 for 5 minutes: the baseline falls towards it and the shock ends
    let fired = 0;
    for (let t = 2200; t <= 302_000; t += 100) if (d.onBook(sized(t, 150, 150)) !== null) fired++;
    expect(fired).toBe(0);
    // a new crisis from the new normal (300 -> 60) fires again
    expect(d.onBook(sized(302_100, 30, 30))).not.toBeNull();
  });

  it('benign: a large order cancelled (a spike falling back to normal) raises nothing', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 2000, minDurationMs: 0 });
    for (let t = 0; t <= 5000; t += 100) d.onBook(sized(t, 500, 500));
    expect(d.onBook(sized(5100, 5500, 500))).toBeNull(); // a 5000-share order arrives
    expect(d.onBook(sized(5200, 500, 500))).toBeNull(); // and is cancelled: 6000 -> 1000 is -83%, but normal depth
  });

  it('benign: a slow drain and the partial fills of the touch raise nothing', () => {
    const d = new DepthShock({ warmupMs: 1000, windowMs: 2000 });
    for (let t = 0; t <= 5000; t += 100) d.onBook(sized(t, 500, 500));
    // depth halves over 10 minutes: the baseline follows, the window never sees a 30% fall
    for (let t = 5100; t <= 605_000; t += 100) expect(d.onBook(sized(t, 500 - (t - 5000) / 2400, 500 - (t - 5000) / 2400))).toBeNull();
    const e = new DepthShock({ warmupMs: 1000 });
    for (let t = 0; t <= 5000; t += 100) e.onBook(sized(t, 500, 500));
    for (let k = 1; k <= 5; k++) expect(e.onBook(sized(5000 + k * 100, 500 - k * 40, 500))).toBeNull(); // fills of 40
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new DepthShock({ warmupMs: 0, minDurationMs: 0 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the liquidity crisis (seed 2) and nothing on the normal flow', () => {
    const own = scenarioRun('liquidity-crisis', 'depthShock', 2, 600_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'depthShock', 2, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new DepthShock({ dropFraction: 0 })).toThrow(InvalidOptionError);
    expect(() => new DepthShock({ maxBaselineFraction: 2 })).toThrow(InvalidOptionError);
    expect(DEFAULT_DEPTH_SHOCK_OPTIONS).toMatchObject({ dropFraction: 0.3, maxBaselineFraction: 0.4, minDurationMs: 1000, recoverFraction: 0.9, mergeWithinMs: 30_000 });
    expect(() => new DepthShock({ recoverFraction: 0.4 })).toThrow(InvalidOptionError); // must exceed maxBaselineFraction
    expect(() => new DepthShock({ recoverFraction: 1 })).toThrow(InvalidOptionError); // an EWMA from above never gets there
    expect(() => new DepthShock().restore({ ...new DepthShock().snapshot(), values: [] })).toThrow(InvalidStateError);
    expect(() => new DepthShock({ mergeWithinMs: -1 })).toThrow(InvalidOptionError);
    // a state from before mergeWithinMs (5 values) restores, with no episode to merge into
    const old = new DepthShock().snapshot();
    const d = new DepthShock();
    expect(() => d.restore({ ...old, values: old.values.slice(0, 5) })).not.toThrow();
    expect(d.snapshot().values).toEqual(old.values);
  });

  testOperatorContract('DepthShock', () => new DepthShock({ warmupMs: 1000, windowMs: 2000, minDurationMs: 500, baselineHalfLifeMs: 5000 }), eventsArb());
});
