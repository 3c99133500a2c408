/**
 * The trade operators on the full dev day (GOOG 2012-06-21, 147,916 rows) against GOOG_10.json, driven
 * through the LOBSTER reader; plus the figures the reference does not have (EMO and CLNV accuracy,
 * the streaming-sigma BVC).
 *
 * Definitions are the reference's (README): quote = the book row before the trade (lag 0), tick rule
 * over all executions, 5 s realized spread scaled by the mid before, VPIN with V = day volume / B and the
 * day's sigma (fixed-sigma option), 5-minute Kyle and Amihud buckets from 09:30.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { devDay, hasSharedData, loadReference, relClose, skipReason } from '../support/shared-data.js';
import { referenceTests, runReference, type ReferenceRun } from './reference-driver.js';

describe.skipIf(!hasSharedData)(`trade operators on the dev day ${skipReason}`, () => {
  const ref = hasSharedData ? loadReference(devDay.reference) : {};
  let run: ReferenceRun;
  beforeAll(async () => {
    run = await runReference(devDay.message, ref.counts.volume, ref.vpin.bvc.sigma_dollars);
  });
  referenceTests(() => run, ref);

  it('EMO and CLNV accuracy against the true aggressor, overall and for visible / hidden executions', () => {
    // Counts of correct signs from an independent Python pass over the raw integer prices of the
    // files (EMO: at ask +1, at bid -1, else tick; CLNV: 10 x >= 7 s buy, 10 x <= 3 s sell with
    // x = price - bid, s = ask - bid, else tick; quotes of row n - 1; zero-tick rule over types 4+5).
    const { all, type4, type5 } = run.accuracy;
    expect([all.emo, all.clnv, all.n]).toEqual([11012, 11348, 11678]);
    expect([type4.emo, type4.clnv, type4.n]).toEqual([7764, 7764, 7765]);
    expect([type5.emo, type5.clnv, type5.n]).toEqual([3248, 3584, 3913]);
  });

  it('BVC with the streaming sigma: ends on the day sigma, VPIN stays in [0, 1]', () => {
    const v = run.vpin.bvcStreaming;
    // The running sample std over all 385 bars is the batch sigma of the day.
    expect(v.op.bars).toBe(ref.vpin.bvc.bars_used);
    expect(relClose(v.op.sigma, ref.vpin.bvc.sigma_dollars, 1e-9)).toBe(true);
    expect(v.op.buckets).toBe(50);
    for (const x of v.vpins) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
  });
});
