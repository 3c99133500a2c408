import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/cli/analyze.js';
import type { AnalyzeReport } from '../../src/engine/report.js';
import { lobsterTradeTotals } from '../../src/replay/lobster-trade-totals.js';
import { devDay, hasSharedData, loadReference, relClose, skipReason } from '../support/shared-data.js';

async function analyzeDevDay(): Promise<AnalyzeReport> {
  return analyze({ messageFile: devDay.message });
}

describe.skipIf(!hasSharedData)(`analyze report on the dev day ${skipReason}`, () => {
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

  it('finds the day volume and the BVC sigma of 1-minute bars in a first pass, as the reference', async () => {
    const totals = await lobsterTradeTotals(devDay.message);
    expect(totals.trades).toBe(ref.counts.trades);
    expect(totals.volume).toBe(ref.vpin.params.total_volume);
    expect(totals.bars).toBe(ref.vpin.bvc.bars_used);
    expect(relClose(totals.barSigma, ref.vpin.bvc.sigma_dollars, 1e-9), `${totals.barSigma}`).toBe(true);
  });

  it('reports trade classification accuracy against the true aggressor as the reference', () => {
    const t = report.trades!;
    const cls = ref.trades.classification;
    expect(t.count).toBe(ref.counts.trades);
    expect(t.volume).toBe(ref.counts.volume);
    expect(t.signSource).toBe('source');
    expect(relClose(t.leeReady.accuracy, cls.all.lee_ready_accuracy, 1e-12)).toBe(true);
    expect(relClose(t.leeReady.accuracyHidden, cls.type5.lee_ready_accuracy, 1e-12)).toBe(true);
    expect(relClose(t.leeReady.accuracyVisible, cls.type4.lee_ready_accuracy, 1e-12)).toBe(true);
    expect(relClose(t.tickRule.accuracy, cls.all.tick_rule_accuracy, 1e-12)).toBe(true);
  });

  it('reports effective and realized (5 s) spreads with true signs to 1e-6 relative', () => {
    const t = report.trades!;
    const s = ref.trades.spreads.true_side;
    expect(t.effectiveSpreadBps.n).toBe(s.effective_bps.n);
    expect(relClose(t.effectiveSpreadBps.mean, s.effective_bps.mean, 1e-6)).toBe(true);
    expect(relClose(t.effectiveSpreadBps.vwMean, s.effective_bps.vw_mean, 1e-6)).toBe(true);
    expect(relClose(t.realizedSpreadBps.mean, s.realized_5s_bps.mean, 1e-6)).toBe(true);
    expect(relClose(t.realizedSpreadBps.vwMean, s.realized_5s_bps.vw_mean, 1e-6)).toBe(true);
    expect(relClose(t.priceImpactBps.mean, s.price_impact_5s_bps.mean, 1e-6)).toBe(true);
  });

  it('reports VPIN (BVC, day volume / 50, window 50) and Kyle lambda (5 min) as the reference', () => {
    const v = report.vpin!;
    const bvc = ref.vpin.bvc;
    expect(v.buckets).toBe(bvc.buckets);
    expect(v.sigmaSource).toBe('given');
    expect(relClose(v.last, bvc.final, 1e-6), `${v.last} vs ${bvc.final}`).toBe(true);
    expect(relClose(v.mean, bvc.rolling_mean, 1e-6)).toBe(true);
    expect(relClose(v.max, bvc.rolling_max, 1e-6)).toBe(true);
    const k = report.kyleLambda!;
    const kr = ref.kyle_lambda;
    expect(k.n).toBe(kr.n);
    expect(relClose(k.slope, kr.lambda, 1e-6)).toBe(true);
    expect(relClose(k.tStat, kr.t_slope, 1e-6)).toBe(true);
    expect(relClose(k.r2, kr.r2, 1e-6)).toBe(true);
  });
});
