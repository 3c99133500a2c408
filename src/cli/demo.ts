import { Engine } from '../engine/engine.js';
import { ReportBuilder, type AnalyzeReport } from '../engine/report.js';
import { syntheticSession } from '../sim/synthetic-books.js';

/** Options of {@link demo}. */
export interface DemoOptions {
  seed?: number;
  events?: number;
}

/**
 * Runs a seeded synthetic session (see `syntheticSession`) through the default engine and returns the
 * same report as `analyze`. No files or servers needed.
 */
export function demo(options: DemoOptions = {}): AnalyzeReport {
  const started = performance.now();
  const engine = new Engine({ symbol: 'DEMO', trades: { vpinBucketVolume: 20_000 } });
  const report = new ReportBuilder();
  for (const row of syntheticSession({ seed: options.seed ?? 1, events: options.events ?? 200_000 })) {
    engine.onOrder(row.order);
    report.addOrder(row.order.kind);
    if (row.trade !== null) {
      engine.onTrade(row.trade);
      report.addTrade();
    }
    const frame = engine.onBook(row.book);
    if (frame !== null) report.addFrame(frame);
  }
  engine.finish();
  const result = report.build(engine.stats(), engine.tradeReport());
  const seconds = (performance.now() - started) / 1000;
  result.throughput = { rowsPerSec: result.rows / seconds, seconds };
  return result;
}
