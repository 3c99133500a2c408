import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_FLASH_CRASH_OPTIONS, FlashCrash } from '../../src/detectors/flash-crash.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, round2, scenarioRun, trade } from './helpers.js';

const at = (ts: number, mid: number) => book(ts, [[round2(mid - 0.01), 100]], [[round2(mid + 0.01), 100]]);

describe('FlashCrash', () => {
  it('fires when the mid drops more than minMoveBps within the window', () => {
    const d = new FlashCrash({ windowMs: 1000, minWindows: 2, minMoveBps: 50, zThreshold: 0 });
    for (let t = 0; t <= 3000; t += 100) expect(d.onBook(at(t, 100))).toBeNull();
    const s = d.onBook(at(3100, 99)); // (100 - 99) / 100 = 1% = 100 bps in 100 ms
    expect(s?.kind).toBe('flashCrash');
    expect(s?.side).toBe(-1);
    expect(s?.price).toBe(99);
    expect(s?.evidence).toEqual({ moveBps: 100, fromPrice: 100, sigmaBps: 0, thresholdBps: 50, windowMs: 1000 });
    expect(s?.score).toBe(2); // 100 / 50
    expect(s?.severity).toBe('critical'); // >= criticalMoveBps 100
    expect(d.onBook(at(3200, 98.9))).toBeNull(); // one signal per crash
  });

  it('fires a spike as side +1, and re-arms once the move falls under half the threshold', () => {
    const d = new FlashCrash({ windowMs: 1000, minWindows: 2, minMoveBps: 50, zThreshold: 0 });
    for (let t = 0; t <= 3000; t += 100) d.onBook(at(t, 100));
    expect(d.onBook(at(3100, 100.6))?.side).toBe(1); // +60 bps
    for (let t = 3200; t <= 5000; t += 100) d.onBook(at(t, 100.6)); // the window forgets the jump
    expect(d.onBook(at(5100, 101.2))?.side).toBe(1); // +59.6 bps: a new spike
  });

  it('scales the threshold with the baseline volatility of window returns', () => {
    // windows alternate +-0.5%: sigma of a window return = ln(1.005) ~ 0.4988%
    const d = new FlashCrash({ windowMs: 1000, minWindows: 4, minMoveBps: 10, zThreshold: 3 });
    let p = 100;
    for (let w = 0; w < 20; w++) {
      for (let t = 0; t < 1000; t += 250) d.onBook(at(w * 1000 + t, p));
      p = w % 2 === 0 ? 100.5 : 100;
    }
    expect(d.sigma).toBeGreaterThan(0.004);
    // a 1% drop is about 2 sigma: below 3 sigma, no signal (though above minMoveBps)
    expect(d.onBook(at(20_000, 99.5))).toBeNull();
  });

  it('uses trade prices while no book has been seen', () => {
    const d = new FlashCrash({ windowMs: 1000, minWindows: 2, minMoveBps: 50, zThreshold: 0 });
    for (let t = 0; t <= 3000; t += 100) d.onTrade(trade(t, 100, 10));
    expect(d.onTrade(trade(3100, 99, 10))?.side).toBe(-1);
  });

  it('benign: a slow trend of the same size raises nothing', () => {
    const d = new FlashCrash({ windowMs: 5000, minMoveBps: 10 });
    // -1% over 20 minutes: 0.004 bps per 100 ms
    for (let t = 0; t <= 1_200_000; t += 100) expect(d.onBook(at(t, round2(100 - t / 120_000)))).toBeNull();
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new FlashCrash({ windowMs: 1000, minWindows: 1, zThreshold: 0 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the flash crash of the scenario and nothing on the normal flow (seed 1)', () => {
    const own = scenarioRun('flash-crash', 'flashCrash', 1, 300_000);
    expectFound(own);
    expect(scenarioRun('normal', 'flashCrash', 1, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new FlashCrash({ minMoveBps: 50, criticalMoveBps: 20 })).toThrow(InvalidOptionError);
    expect(() => new FlashCrash({ windowMs: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_FLASH_CRASH_OPTIONS.minMoveBps).toBe(10);
    expect(() => new FlashCrash().restore({ ...new FlashCrash().snapshot(), max: [1] })).toThrow(InvalidStateError);
  });

  testOperatorContract('FlashCrash', () => new FlashCrash({ windowMs: 2000, minWindows: 1, minMoveBps: 5, zThreshold: 1 }), eventsArb());
});
