import type { AnalyzeReport, FeatureStats } from '../engine/report.js';

const num = (x: unknown, digits = 4): string => {
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e9) ? x.toExponential(digits) : x.toFixed(digits);
};

const statsRow = (name: string, s: FeatureStats, digits = 4) =>
  `  ${name.padEnd(12)} ${num(s.mean, digits).padStart(12)} ${num(s.std, digits).padStart(12)} ${num(s.min, digits).padStart(12)} ${num(s.max, digits).padStart(12)}`;

/** The report as text for a terminal. */
export function formatReport(r: AnalyzeReport, title: string): string {
  const lines: string[] = [];
  lines.push(`microstructure report: ${title}`, '');
  lines.push(`rows ${num(r.rows)}`);
  const ev = Object.entries(r.events).map(([k, v]) => `${k} ${num(v)}`).join(', ');
  lines.push(`events: ${ev}`);
  const issues = Object.entries(r.validation.issues).filter(([, v]) => v > 0);
  lines.push(`validation: ${r.validation.flaggedBooks === 0 ? 'all books clean' : `${num(r.validation.flaggedBooks)} books flagged (${issues.map(([k, v]) => `${k} ${num(v)}`).join(', ')})`}${r.validation.rejectedBooks ? `, ${num(r.validation.rejectedBooks)} rejected` : ''}`);
  lines.push('', `  ${'book'.padEnd(12)} ${'mean'.padStart(12)} ${'std'.padStart(12)} ${'min'.padStart(12)} ${'max'.padStart(12)}`);
  lines.push(statsRow('spread', r.book.spread));
  lines.push(statsRow('spread bps', r.book.spreadBps, 2));
  lines.push(statsRow('mid', r.book.mid));
  lines.push(statsRow('microprice', r.book.microprice));
  lines.push(statsRow('OBI', r.book.obi));
  lines.push(statsRow('weighted OBI', r.book.weightedObi));
  const g = r.ofi.regression;
  lines.push('', `OFI: sum ${num(r.ofi.sum)}; ${g.bucketMs / 1000} s buckets: dmid (ticks of ${g.tickSize}) = ${num(g.intercept)} + ${num(g.slope, 6)} OFI, R^2 ${num(g.r2)}, t ${num(g.tStat, 2)}, n ${num(g.n)}`);
  if (r.trades !== undefined) {
    const t = r.trades;
    const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : 'n/a');
    lines.push('', `trades ${num(t.count)}, volume ${num(t.volume)}; signs from ${t.signSource === 'source' ? 'the source (true aggressor)' : t.signSource}`);
    if (t.leeReady.withTrueSide > 0) {
      lines.push(`  Lee-Ready accuracy ${pct(t.leeReady.accuracy)} (visible ${pct(t.leeReady.accuracyVisible)}, hidden ${pct(t.leeReady.accuracyHidden)}); tick rule ${pct(t.tickRule.accuracy)}`);
    }
    lines.push(`  effective spread ${num(t.effectiveSpreadBps.mean, 3)} bps (volume-weighted ${num(t.effectiveSpreadBps.vwMean, 3)}); realized (${t.realizedSpreadBps.horizonMs / 1000} s) ${num(t.realizedSpreadBps.mean, 3)} bps; price impact ${num(t.priceImpactBps.mean, 3)} bps`);
  }
  if (r.vpin) {
    lines.push(`  VPIN (BVC, ${num(r.vpin.buckets)} buckets of ${num(r.vpin.bucketVolume, 1)}, window ${r.vpin.window}): last ${num(r.vpin.last)}, mean ${num(r.vpin.mean)}, max ${num(r.vpin.max)}`);
  }
  if (r.kyleLambda !== undefined) {
    const k = r.kyleLambda;
    lines.push(`  Kyle's lambda (${k.bucketMs / 60000} min buckets): ${num(k.slope, 4)} per share, t ${num(k.tStat, 2)}, R^2 ${num(k.r2)}, n ${num(k.n)}`);
  }
  const regime = r.regime as { share: Record<string, number>; unknownShare: number; switches: number } | null | undefined;
  if (regime) {
    const shares = Object.entries(regime.share).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ');
    lines.push(`regimes (K-means): ${shares}, warming up ${(100 * regime.unknownShare).toFixed(1)}%; ${num(regime.switches)} switches`);
  }
  const hawkes = r.hawkes as { buy: { mu: number; alpha: number; beta: number; branchingRatio: number; events: number }; sell: { mu: number; alpha: number; beta: number; branchingRatio: number; events: number } } | null | undefined;
  if (hawkes) {
    for (const side of ['buy', 'sell'] as const) {
      const h = hawkes[side];
      lines.push(`Hawkes ${side} market orders (${num(h.events)}): mu ${num(h.mu)}/s, alpha ${num(h.alpha)}, beta ${num(h.beta)}, branching ratio ${num(h.branchingRatio)}`);
    }
  }
  const alerts = r.alerts as import('../engine/engine.js').AlertReport | null | undefined;
  if (alerts) {
    const kinds = Object.entries(alerts.byKind).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${num(v)}`).join(', ');
    lines.push(`alerts: ${num(alerts.alerts)} (${num(alerts.perHour, 2)} per hour; ${num(alerts.suppressed)} duplicates suppressed; critical ${num(alerts.bySeverity['critical'] ?? 0)})${kinds ? `: ${kinds}` : ''}`);
  }
  if (r.l3 !== undefined) {
    const share = r.l3.rowsCompared > 0 ? (100 * r.l3.rowsMatched) / r.l3.rowsCompared : NaN;
    lines.push(`L3 book from messages: ${num(r.l3.rowsMatched)} of ${num(r.l3.rowsCompared)} rows reproduced without resync (${num(share, 2)}%), ${num(r.l3.resyncs)} resyncs`);
  }
  if (r.throughput !== undefined) {
    lines.push('', `throughput: ${num(Math.round(r.throughput.rowsPerSec))} rows/s (${num(r.throughput.seconds, 2)} s)`);
  }
  return lines.join('\n');
}

/** JSON with NaN and infinities as null (JSON has neither). */
export function reportJson(r: AnalyzeReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}
