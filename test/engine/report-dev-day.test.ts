import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { ReportBuilder, type AnalyzeReport } from '../../src/engine/report.js';
import { readLobster } from '../../src/replay/lobster.js';
import { devDay, hasSharedData, loadReference, relClose, skipReason } from '../support/shared-data.js';

async function analyzeDevDay(): Promise<AnalyzeReport> {
  const engine = new Engine({ symbol: 'GOOG' });
  const report = new ReportBuilder();
  for await (const row of readLobster(devDay.message)) {
    engine.onOrder(row.order);
    report.addOrder(row.order.kind);
    if (row.trade !== null) {
      engine.onTrade(row.trade);
      report.addTrade();
    }
    const frame = engine.onBook(row.book);
    if (frame !== null) report.addFrame(frame);
  }
  return report.build(engine.stats());
}

describe.skipIf(!hasSharedData)(`engine report on the dev day ${skipReason}`, () => {
  const ref = hasSharedData ? loadReference(devDay.reference) : undefined;
  let report: AnalyzeReport;
  beforeAll(async () => {
    report = await analyzeDevDay();
  });

  it('reads every row and counts events by kind as the reference does', () => {
    expect(report.rows).toBe(ref.counts.rows);
    const types = ref.counts.messages_per_type;
    expect(report.events).toEqual({
      add: types['1'],
      cancel: types['2'],
      delete: types['3'],
      execute: types['4'],
      executeHidden: types['5'],
      cross: types['6'],
      halt: types['7'],
      trades: ref.counts.trades,
    });
    expect(report.validation.rejectedBooks).toBe(0);
  });

  it('matches the reference book statistics to 1e-9 relative', () => {
    const pairs = [
      ['spread', 'spread'],
      ['mid', 'mid'],
      ['microprice', 'microprice'],
      ['obi', 'obi_l1'],
      ['weightedObi', 'dwobi'],
    ] as const;
    for (const [ours, theirs] of pairs) {
      const got = report.book[ours];
      const want = ref.book[theirs];
      expect(got.n, ours).toBe(want.n);
      for (const stat of ['mean', 'std', 'min', 'max'] as const) {
        expect(relClose(got[stat], want[stat], 1e-9), `${ours}.${stat}: ${got[stat]} vs ${want[stat]}`).toBe(true);
      }
    }
  });

  it('matches the reference OFI sum exactly and the 10 s regression to 1e-9 relative', () => {
    expect(report.ofi.sum).toBe(ref.ofi.sum_e);
    const reg = report.ofi.regression;
    const want = ref.ofi.regression_10s;
    expect(reg.n).toBe(want.n);
    expect(relClose(reg.slope, want.slope, 1e-9), `slope ${reg.slope} vs ${want.slope}`).toBe(true);
    expect(relClose(reg.intercept, want.intercept, 1e-9), `intercept ${reg.intercept} vs ${want.intercept}`).toBe(true);
    expect(relClose(reg.r2, want.r2, 1e-9), `r2 ${reg.r2} vs ${want.r2}`).toBe(true);
    expect(relClose(reg.tStat, want.t_slope, 1e-9), `t ${reg.tStat} vs ${want.t_slope}`).toBe(true);
  });
});
