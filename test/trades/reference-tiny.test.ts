/**
 * The trade operators against the reference values of the dev day's first 200 rows
 * (GOOG_10_tiny200.json), driven through the LOBSTER reader. Kyle's lambda is undefined there (one
 * bucket) and BVC VPIN is 0 (one bar: f = 0.5): both edge cases of the definitions.
 */
import { beforeAll, describe } from 'vitest';
import { hasSharedData, loadReference, skipReason, tinyDay } from '../support/shared-data.js';
import { referenceTests, runReference, type ReferenceRun } from './reference-driver.js';

describe.skipIf(!hasSharedData)(`trade operators on the 200-row dev-day slice ${skipReason}`, () => {
  const ref = hasSharedData ? loadReference(tinyDay.reference) : {};
  let run: ReferenceRun;
  beforeAll(async () => {
    // sigma: the reference's is undefined (one bar), so the streaming default (also undefined) applies.
    run = await runReference(tinyDay.message, ref.counts.volume, ref.vpin.bvc.sigma_dollars ?? undefined);
  });
  referenceTests(() => run, ref);
});
