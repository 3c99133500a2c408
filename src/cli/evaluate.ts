/**
 * The core of `microstructure evaluate`: parse its flags, run the scoring harness, format the table
 * and decide the exit code. `main.ts` wires it to the command line.
 *
 * Flags:
 * - `--seeds LIST`        seeds, e.g. `1-20` (default), `11-20`, `1,4,7-9`
 * - `--scenarios LIST`    comma-separated scenario kinds (default: all)
 * - `--duration TIME`     simulated time per scenario session: `20m`, `90s`, `1h` or ms (default 20m)
 * - `--normal-duration TIME`  per normal session (default 30m)
 * - `--grace-ms MS`       an alert matches a label until `endMs + grace` (default 5000)
 * - `--json`              print the report as JSON instead of the table
 *
 * Exit codes: 0 when every detector with a scenario of its own matched at least one of its labels;
 * 4 when one is silent (raised nothing on its own scenario); 2 for a usage error.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { SCENARIO_KINDS, type ScenarioKind } from '../sim/scenarios.js';
import { evaluateDetectors, parseSeeds, type EvaluateOptions, type EvaluationReport } from '../detectors/evaluate.js';

/** Exit code when a detector is silent on its own scenario. */
export const EXIT_SILENT_DETECTOR = 4;

/** What {@link runEvaluate} returns: the text to print and the exit code. */
export interface EvaluateCommandResult {
  exitCode: number;
  /** The table (or JSON with `--json`), or the usage error message. */
  output: string;
  /** The report (absent on a usage error). */
  report?: EvaluationReport;
}

/** A duration: `20m`, `90s`, `1h`, `1500ms` or a plain number of ms. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (m === null) throw new UsageError(`${flag} expects a duration like 20m, 90s, 1h or ms, got ${JSON.stringify(text)}`);
  const x = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = unit === 'h' ? x * 3_600_000 : unit === 'm' ? x * 60_000 : unit === 's' ? x * 1000 : x;
  if (!(ms > 0)) throw new UsageError(`${flag} must be > 0, got ${JSON.stringify(text)}`);
  return ms;
}

/** A usage error of the evaluate command (bad flag or value). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parse the flags of `evaluate` into harness options (throws {@link UsageError}). */
export function parseEvaluateArgs(argv: readonly string[]): { options: EvaluateOptions; json: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        seeds: { type: 'string' },
        scenarios: { type: 'string' },
        duration: { type: 'string' },
        'normal-duration': { type: 'string' },
        'grace-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const options: EvaluateOptions = {};
  if (typeof values.seeds === 'string') {
    try {
      options.seeds = parseSeeds(values.seeds);
    } catch (e) {
      throw new UsageError(`--seeds: ${(e as Error).message}`);
    }
  }
  if (typeof values.scenarios === 'string') {
    const list = values.scenarios.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const s of list) {
      if (!(SCENARIO_KINDS as readonly string[]).includes(s)) throw new UsageError(`--scenarios: unknown scenario ${JSON.stringify(s)} (one of ${SCENARIO_KINDS.join(', ')})`);
    }
    if (list.length === 0) throw new UsageError('--scenarios: give at least one scenario');
    options.scenarios = list as ScenarioKind[];
  }
  if (typeof values.duration === 'string') options.durationMs = parseDuration(values.duration, '--duration');
  if (typeof values['normal-duration'] === 'string') options.normalDurationMs = parseDuration(values['normal-duration'], '--normal-duration');
  if (typeof values['grace-ms'] === 'string') {
    const g = Number(values['grace-ms']);
    if (values['grace-ms'].trim() === '' || !(g >= 0) || !Number.isFinite(g)) throw new UsageError(`--grace-ms expects a number of ms >= 0, got ${JSON.stringify(values['grace-ms'])}`);
    options.graceMs = g;
  }
  return { options, json: values.json === true };
}

const span = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);
const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const ms = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

/** The report as a table for a terminal. */
export function formatEvaluation(r: EvaluationReport): string {
  const lines: string[] = [];
  const seeds = r.seeds.length > 1 && r.seeds.every((s, i) => i === 0 || s === r.seeds[i - 1]! + 1) ? `${r.seeds[0]}-${r.seeds[r.seeds.length - 1]}` : r.seeds.join(',');
  lines.push(
    `microstructure evaluate: seeds ${seeds}; sessions of ${span(r.durationMs)} (normal ${span(r.normalDurationMs)}); an alert matches a label of its kind when startMs <= ts <= endMs + ${r.graceMs} ms`,
    '',
  );
  const head = ['detector', 'scenario', 'labels', 'alerts', 'precision', 'recall', 'F1', 'base rate', 'delay p50 ms', 'delay p99 ms', 'evidence p50 ms', 'false/h normal'];
  const rows = r.detectors.map((d) => [
    d.kind,
    d.scenario ?? '(none)',
    String(d.labels),
    String(d.alerts),
    fmt(d.precision),
    fmt(d.recall),
    fmt(d.f1),
    Number.isFinite(d.baseRate) ? d.baseRate.toFixed(4) : '-',
    ms(d.delayP50Ms),
    ms(d.delayP99Ms),
    ms(d.evidenceDelayP50Ms),
    fmt(d.falseAlarmsPerHour),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) lines.push(line(row));
  lines.push(
    '',
    'evidence p50: median delay from the time the pattern became recognisable (spoofing, layering: the first cancellation; momentum ignition: the first reversing print; iceberg: the second refill; others: the label start)',
    `all detectors together on the normal scenario: ${fmt(r.falseAlarmsPerHour)} false alarms per hour`,
  );
  if (r.silent.length > 0) lines.push(`SILENT on their own scenario: ${r.silent.join(', ')}`);
  return lines.join('\n');
}

/** JSON with NaN and infinities as null. */
export function evaluationJson(r: EvaluationReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

/**
 * Run `microstructure evaluate` with `argv` (the arguments after the command name): returns the
 * output and the exit code (0 ok, {@link EXIT_SILENT_DETECTOR} when a detector is silent on its own
 * scenario, 2 on a usage error). `onProgress` is passed to the harness.
 */
export function runEvaluate(argv: readonly string[], onProgress?: EvaluateOptions['onProgress']): EvaluateCommandResult {
  let parsed: { options: EvaluateOptions; json: boolean };
  try {
    parsed = parseEvaluateArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, output: `microstructure evaluate: ${e.message}` };
    throw e;
  }
  const options = onProgress === undefined ? parsed.options : { ...parsed.options, onProgress };
  const report = evaluateDetectors(options);
  return {
    exitCode: report.silent.length > 0 ? EXIT_SILENT_DETECTOR : 0,
    output: parsed.json ? evaluationJson(report) : formatEvaluation(report),
    report,
  };
}
