import { Engine } from '../engine/engine.js';
import { ReportBuilder, type AnalyzeReport } from '../engine/report.js';
import { MarketSimulator } from '../sim/market-simulator.js';
import { SCENARIO_KINDS, type ScenarioKind } from '../sim/scenarios.js';

/** Options of {@link demo}. */
export interface DemoOptions {
  /** Simulator seed. @defaultValue 1 */
  seed?: number;
  /** Simulated time, ms. @defaultValue 1800000 (30 minutes) */
  durationMs?: number;
  /** Scenarios to inject. @defaultValue every scenario, composed in one session */
  scenarios?: readonly ScenarioKind[];
}

/** The scenarios `demo` runs by default: every labelled one (the normal flow is their background). */
export const DEMO_SCENARIOS: readonly ScenarioKind[] = Object.freeze(SCENARIO_KINDS.filter((k) => k !== 'normal'));

/**
 * Runs the market simulator's labelled scenario suite through the default engine and returns the same
 * report as `analyze`, plus the scenario labels injected. No files or servers needed.
 */
export function demo(options: DemoOptions = {}): AnalyzeReport & { scenarios: Record<string, number> } {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const sim = new MarketSimulator({ seed, scenarios: options.scenarios ?? DEMO_SCENARIOS });
  const engine = new Engine({ symbol: 'SIM', trades: { vpinBucketVolume: 20_000 }, regime: {}, hawkes: {}, surveillance: {} });
  const report = new ReportBuilder();
  for (const event of sim.events(options.durationMs ?? 1_800_000)) {
    switch (event.type) {
      case 'order':
        engine.onOrder(event.order);
        report.addOrder(event.order.kind);
        break;
      case 'trade':
        engine.onTrade(event.trade);
        report.addTrade();
        break;
      case 'book': {
        const frame = engine.onBook(event.book);
        if (frame !== null) report.addFrame(frame);
        break;
      }
    }
  }
  engine.finish();
  const result = report.build(engine.stats(), engine.tradeReport());
  result.regime = engine.regimeReport();
  result.hawkes = engine.hawkesReport();
  result.alerts = engine.alertReport();
  const scenarios: Record<string, number> = {};
  for (const label of sim.labels()) scenarios[label.kind] = (scenarios[label.kind] ?? 0) + 1;
  const seconds = (performance.now() - started) / 1000;
  result.throughput = { rowsPerSec: result.rows / seconds, seconds };
  return { ...result, scenarios };
}
