import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_MOMENTUM_IGNITION_OPTIONS, MomentumIgnition, type MomentumIgnitionOptions } from '../../src/detectors/momentum-ignition.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, round2, scenarioRun, trade } from './helpers.js';

/** 20 s of 100-share trades every 500 ms at 100, alternating sides: E = 400 shares per 2 s, sd 0. */
function warmed(options: MomentumIgnitionOptions = {}): MomentumIgnition {
  const d = new MomentumIgnition({ warmupMs: 10_000, minShots: 3, ...options });
  for (let t = 0; t < 20_000; t += 500) d.onTrade(trade(t, 100, 100, t % 1000 === 0 ? 1 : -1));
  return d;
}

/** Three aggressive buys of 600 at +5, +10, +15 bps, 100 ms apart. */
function ignite(d: MomentumIgnition): void {
  for (const i of [1, 2, 3]) expect(d.onTrade(trade(20_000 + i * 100, 100 + i * 0.05, 600, 1))).toBeNull();
}

describe('MomentumIgnition', () => {
  it('fires at the reversing flow after a one-sided burst that moved the price', () => {
    const d = warmed();
    ignite(d); // window (18 300, 20 300]: buys 100 + 1800, sells 200; 1900 >= 4 x 400, 0.9 one-sided
    expect(d.onTrade(trade(22_000, 100.15, 100, -1))).toBeNull(); // too small to reverse (< 1.5 x 400)
    const s = d.onTrade(trade(23_000, 100.06, 600, -1));
    expect(s).toEqual({
      kind: 'momentumIgnition',
      severity: 'critical', // 15 bps >= 3 x minMoveBps
      ts: 23_000,
      side: 1,
      price: 100.06,
      score: 1900 / 400,
      evidence: {
        ignitionVolume: 1900,
        expected: 400,
        moveBps: ((100.15 - 100) / 100) * 1e4,
        retraceShare: (100.15 - 100.06) / (100.15 - 100),
        sinceIgnitionMs: 2700,
        moveZ: Number.POSITIVE_INFINITY, // the warm-up's price never moved: sigma 0
        shots: 4, // the warm-up's buy at 19 000 and the three
        reversalVolume: 700, // 100 + 600 sold in (21 000, 23 000]
      },
    });
    expect(d.onTrade(trade(23_100, 100.0, 600, -1))).toBeNull(); // one signal per ignition
  });

  it('needs a reversal of at least reversalShare of the ignition volume (an unwind, not a bounce)', () => {
    const d = warmed({ reversalShare: 0.5 });
    ignite(d); // ignition volume 1900
    expect(d.onTrade(trade(23_000, 100.06, 700, -1))).toBeNull(); // 700 < 0.5 x 1900
    expect(d.onTrade(trade(23_100, 100.05, 300, -1))?.evidence.reversalVolume).toBe(1000); // 1000 >= 950
    expect(DEFAULT_MOMENTUM_IGNITION_OPTIONS.reversalShare).toBe(0.25);
    expect(() => new MomentumIgnition({ reversalShare: -1 })).toThrow(InvalidOptionError);
  });

  it('needs the reversing flow after the ignition window, within reversalMs', () => {
    const d = warmed();
    ignite(d);
    expect(d.onTrade(trade(20_400, 100.1, 2000, -1))).toBeNull(); // inside the ignition's window
    const e = warmed();
    ignite(e);
    expect(e.onTrade(trade(36_000, 100.1, 2000, -1))).toBeNull(); // 15.7 s later
  });

  it('with retraceShare > 0, also needs the price to give the move back', () => {
    const d = warmed({ retraceShare: 0.5 });
    ignite(d);
    expect(d.onTrade(trade(23_000, 100.12, 600, -1))).toBeNull(); // gave back 20%
    expect(d.onTrade(trade(23_100, 100.07, 100, -1))?.evidence.retraceShare).toBeCloseTo(8 / 15, 12);
  });

  it('uses the mid of books for the price once books arrive', () => {
    const d = new MomentumIgnition({ warmupMs: 10_000, minShots: 3 });
    for (let t = 0; t < 20_000; t += 500) {
      d.onBook(book(t, [[99.99, 100]], [[100.01, 100]]));
      d.onTrade(trade(t, 100.01, 100, t % 1000 === 0 ? 1 : -1));
    }
    for (const i of [1, 2, 3]) {
      d.onBook(book(20_000 + i * 100 - 1, [[round2(99.99 + i * 0.05), 100]], [[round2(100.01 + i * 0.05), 100]]));
      d.onTrade(trade(20_000 + i * 100, round2(100.01 + i * 0.05), 600, 1));
    }
    d.onBook(book(22_999, [[100.05, 100]], [[100.07, 100]])); // mid 100.06
    expect(d.onTrade(trade(23_000, 100.05, 600, -1))?.price).toBe(100.06);
  });

  it('benign: a large order that trades (an aggressive burst with no reversal) raises nothing', () => {
    const d = warmed();
    ignite(d);
    for (let t = 20_500; t < 40_000; t += 500) expect(d.onTrade(trade(t, 100.15, 100, t % 1000 === 0 ? 1 : -1))).toBeNull();
  });

  it('benign: one sweep (many prints at one time) is one shot, not a series', () => {
    const d = warmed();
    for (let k = 0; k < 6; k++) d.onTrade(trade(20_100, 100 + k * 0.03, 400, 1));
    expect(d.onTrade(trade(23_000, 100.05, 3000, -1))).toBeNull();
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new MomentumIgnition({ warmupMs: 0, minShots: 1 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the momentum ignitions (seed 1) and nothing on the normal flow', () => {
    const own = scenarioRun('momentum-ignition', 'momentumIgnition', 1, 1_200_000);
    expectFound(own);
    expect(scenarioRun('normal', 'momentumIgnition', 1, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new MomentumIgnition({ minImbalance: 0 })).toThrow(InvalidOptionError);
    expect(() => new MomentumIgnition({ minShots: 0 })).toThrow(InvalidOptionError);
    expect(() => new MomentumIgnition({ retraceShare: 2 })).toThrow(InvalidOptionError);
    expect(DEFAULT_MOMENTUM_IGNITION_OPTIONS).toMatchObject({ volumeRatio: 4, volumeZ: 5, minShots: 4, moveZ: 3, retraceShare: 0 });
    expect(() => new MomentumIgnition().restore({ ...new MomentumIgnition().snapshot(), values: [0] })).toThrow(InvalidStateError);
  });

  testOperatorContract('MomentumIgnition', () => new MomentumIgnition({ warmupMs: 2000, minShots: 1, volumeZ: 0, moveZ: 0, minMoveBps: 0.5 }), eventsArb());
});
