/**
 * The `microstructure` command.
 *
 * Exit codes: 0 ok; 1 bad input (a file that cannot be read or parsed); 2 usage (unknown command or
 * option); 3 an unexpected internal error; 4 (`evaluate`) a detector raised nothing on its own scenario.
 */
import { parseArgs } from 'node:util';
import { MicrostructureError } from '../core/errors.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import { demo } from './demo.js';
import { runEvaluate } from './evaluate.js';
import { parseDuration, parseScenarios, simulate, type SimulateOptions } from './simulate.js';
import { formatReport, reportJson } from './format.js';

declare const __VERSION__: string | undefined;

const HELP = `microstructure: streaming market-microstructure analytics

Usage:
  microstructure analyze <message-file> [orderbook-file] [options]
  microstructure analyze --csv-l2 FILE [--csv-trades FILE] [options]
  microstructure simulate --out DIR [--scenario a,b] [--seed N] [--duration 30m] [options]
  microstructure demo [--seed N] [--duration 30m] [--json]
  microstructure evaluate [--seeds 1-20] [--scenarios a,b] [--duration 20m] [--json]
  microstructure help

analyze options:
  --json              print the report as one JSON object
  --features FILE     write per-book features to FILE (.csv or .jsonl)
  --from HH:MM[:SS] | MS   only rows at or after this time (ms after midnight, or a clock time)
  --to   HH:MM[:SS] | MS   only rows before this time
  --symbol NAME       symbol for CSV sources (LOBSTER: from the file name)

simulate options (writes a LOBSTER message/orderbook pair and labels.json into DIR):
  --scenario LIST     comma-separated: normal, spoofing, layering, quote-stuffing, momentum-ignition,
                      wash-trading, iceberg, flash-crash, liquidity-crisis, liquidity-gap, imbalance,
                      corrupt-data (default normal)
  --seed N            PRNG seed (default 1); the same seed writes byte-identical files
  --duration D        simulated time, e.g. 90s, 30m, 1h30m (default 30m)
  --depth N           levels in the orderbook file (default 10)
  --ticker T, --date YYYY-MM-DD, --messages all|visible, --tick-size X, --start-price X

demo runs the simulator's scenario suite (no files needed) through the engine and prints the report.

evaluate scores every detector on the simulator's labelled scenarios across seeds: precision, recall,
F1, base rate, median and p99 detection delay, false alarms per hour on the normal flow.
  --seeds LIST        e.g. 1-20 or 1,4,7-9 (default 1-20)
  --scenarios LIST    scenarios to score (default: every detector's own)
  --duration D        per scenario session (default 20m); --normal-duration D (default 30m)
  --grace-ms N        an alert up to N ms after a label's end still matches it (default 5000)

LOBSTER files may be plain or gzip; the orderbook file is inferred from the message file's name.
Exit codes: 0 ok, 1 bad input, 2 usage, 3 internal error, 4 a detector silent on its own scenario.`;

class UsageError extends Error {}

/** Run a parser of a flag's text; its typed error becomes a usage error (exit 2). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** '09:30' or '09:30:15.5' or a number of ms after midnight. */
export function parseTime(text: string, flag: string): number {
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(text);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3] ?? 0)) * 1000;
  const ms = Number(text);
  if (text.trim() === '' || !Number.isFinite(ms)) throw new UsageError(`${flag} expects HH:MM[:SS] or milliseconds, got ${JSON.stringify(text)}`);
  return ms;
}

function progressBar(): AnalyzeOptions['onProgress'] {
  if (!process.stderr.isTTY) return undefined;
  const start = performance.now();
  return (rows, bytes, total) => {
    const sec = (performance.now() - start) / 1000;
    const rate = rows / sec;
    const eta = Number.isFinite(total) && bytes > 0 ? ` ETA ${Math.max(0, (sec * (total - bytes)) / bytes).toFixed(0)} s` : '';
    const pct = Number.isFinite(total) ? ` ${((100 * bytes) / total).toFixed(0)}%` : '';
    process.stderr.write(`\r${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s, ${(bytes / 1e6).toFixed(0)} MB${pct}${eta}   `);
  };
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`), err: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        out(typeof __VERSION__ === 'string' ? __VERSION__ : 'dev');
        return 0;
      case 'analyze': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            json: { type: 'boolean', default: false },
            features: { type: 'string' },
            from: { type: 'string' },
            to: { type: 'string' },
            symbol: { type: 'string' },
            'csv-l2': { type: 'string' },
            'csv-trades': { type: 'string' },
          },
        });
        if (positionals.length > 2) throw new UsageError(`analyze takes at most two files, got ${positionals.length}`);
        const csv = values['csv-l2'] !== undefined || values['csv-trades'] !== undefined;
        if (positionals.length === 0 && !csv) throw new UsageError('analyze needs a LOBSTER message file, or --csv-l2 / --csv-trades');
        if (positionals.length > 0 && csv) throw new UsageError('give either LOBSTER files or --csv-l2 / --csv-trades, not both');
        const options: AnalyzeOptions = {};
        if (positionals[0] !== undefined) options.messageFile = positionals[0];
        if (positionals[1] !== undefined) options.orderbookFile = positionals[1];
        if (values['csv-l2'] !== undefined) options.csvL2 = values['csv-l2'];
        if (values['csv-trades'] !== undefined) options.csvTrades = values['csv-trades'];
        if (values.features !== undefined) options.featuresFile = values.features;
        if (values.from !== undefined) options.fromMs = parseTime(values.from, '--from');
        if (values.to !== undefined) options.toMs = parseTime(values.to, '--to');
        if (values.symbol !== undefined) options.symbol = values.symbol;
        const bar = progressBar();
        if (bar !== undefined) options.onProgress = bar;
        const report = await analyze(options);
        if (bar !== undefined) process.stderr.write('\n');
        out(values.json ? reportJson(report) : formatReport(report, positionals[0] ?? values['csv-l2'] ?? values['csv-trades'] ?? ''));
        return 0;
      }
      case 'demo': {
        const { values } = parseArgs({
          args: rest,
          options: { json: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' }, duration: { type: 'string', default: '30m' } },
        });
        const seed = Number(values.seed);
        if (!Number.isInteger(seed)) throw new UsageError(`--seed expects an integer, got ${JSON.stringify(values.seed)}`);
        const durationMs = usage(() => parseDuration(values.duration));
        const report = demo({ seed, durationMs });
        const title = `simulated session with every scenario (seed ${seed}, ${values.duration})`;
        out(values.json ? reportJson(report) : `${formatReport(report, title)}\nscenarios injected: ${Object.entries(report.scenarios).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        return 0;
      }
      case 'evaluate': {
        const result = runEvaluate(rest);
        (result.exitCode === 2 ? err : out)(result.output);
        return result.exitCode;
      }
      case 'simulate': {
        const { values } = parseArgs({
          args: rest,
          options: {
            out: { type: 'string' },
            scenario: { type: 'string', default: 'normal' },
            seed: { type: 'string', default: '1' },
            duration: { type: 'string', default: '30m' },
            depth: { type: 'string', default: '10' },
            ticker: { type: 'string' },
            date: { type: 'string' },
            messages: { type: 'string', default: 'all' },
            'tick-size': { type: 'string' },
            'start-price': { type: 'string' },
            json: { type: 'boolean', default: false },
          },
        });
        if (values.out === undefined) throw new UsageError('simulate needs --out DIR');
        const seed = Number(values.seed);
        const depth = Number(values.depth);
        if (!Number.isInteger(seed)) throw new UsageError(`--seed expects an integer, got ${JSON.stringify(values.seed)}`);
        if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth expects an integer >= 1, got ${JSON.stringify(values.depth)}`);
        if (values.messages !== 'all' && values.messages !== 'visible') throw new UsageError(`--messages expects all or visible, got ${JSON.stringify(values.messages)}`);
        const options: SimulateOptions = {
          out: values.out,
          scenarios: usage(() => parseScenarios(values.scenario)),
          seed,
          durationMs: usage(() => parseDuration(values.duration)),
          depth,
          messages: values.messages,
        };
        if (values.ticker !== undefined) options.ticker = values.ticker;
        if (values.date !== undefined) options.date = values.date;
        const model: NonNullable<SimulateOptions['simulator']> = {};
        if (values['tick-size'] !== undefined) model.tickSize = Number(values['tick-size']);
        if (values['start-price'] !== undefined) model.startPrice = Number(values['start-price']);
        if (Object.keys(model).length > 0) options.simulator = model;
        const result = await simulate(options);
        out(values.json ? JSON.stringify(result, null, 2) : `wrote ${result.rows.toLocaleString('en-US')} rows: ${result.messageFile}, ${result.orderbookFile}, ${result.labelsFile}${result.corruptFile ? `, ${result.corruptFile}` : ''} (${result.labels} labels)`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`microstructure: ${(e as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (e instanceof MicrostructureError || (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EACCES') {
      err(`microstructure: ${(e as Error).message}`);
      return 1;
    }
    err(`microstructure: internal error: ${(e as Error).stack ?? String(e)}`);
    return 3;
  }
}
