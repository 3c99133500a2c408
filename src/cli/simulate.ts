/**
 * `microstructure simulate`: a labelled synthetic session written as a LOBSTER message / order-book
 * pair plus `labels.json`. Node-only (writes files).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createBook } from '../core/book.js';
import { InvalidInputError, InvalidOptionError } from '../core/errors.js';
import { encodeNumber, encodeNumbers } from '../core/operator.js';
import { checkOptionKeys, integerOption, oneOfOption } from '../core/options.js';
import { lobsterMessageLine, lobsterOrderbookLine } from '../sim/lobster-format.js';
import { MarketSimulator, type MarketSimulatorOptions } from '../sim/market-simulator.js';
import { resolveScenario, SCENARIO_KINDS, type ScenarioKind, type ScenarioOptions } from '../sim/scenarios.js';

/** Model parameters passed through to the {@link MarketSimulator} (the rest is set by `simulate`). */
export type SimulateModelOptions = Omit<MarketSimulatorOptions, 'seed' | 'symbol' | 'depth' | 'scenarios' | 'snapshotEvery' | 'model' | 'startMs'>;

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Output directory (created when missing). */
  out: string;
  /** Scenarios: kinds or options, or a comma-separated list of kinds (`'spoofing,flash-crash'`). @defaultValue [] */
  scenarios?: ReadonlyArray<ScenarioKind | ScenarioOptions> | string;
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
  /** Simulated time (integer ms). @defaultValue 1800000 (30 minutes) */
  durationMs?: number;
  /** Levels a side in the order-book file (LOBSTER's L). @defaultValue 10 */
  depth?: number;
  /** Ticker in the file names (letters, digits, `-` and `.`). @defaultValue 'SIM' */
  ticker?: string;
  /** Date in the file names, `YYYY-MM-DD`. @defaultValue '2024-01-02' */
  date?: string;
  /**
   * Which messages the message file carries:
   * - `'all'`: every message of the session, also those at prices beyond the visible `depth` levels
   *   (their order-book row repeats the previous one); the book rebuilt from the messages alone then
   *   matches every order-book row.
   * - `'visible'`: LOBSTER's own semantics: only messages inside the visible levels (an add whose price
   *   is among the best `depth` levels after it, a cancel, delete or execution among the best `depth`
   *   before it); levels that enter the visible window from beyond it appear without a message, as in
   *   LOBSTER's files (a rebuild needs resyncs there).
   * @defaultValue 'all'
   */
  messages?: 'all' | 'visible';
  /** Parameters of the zero-intelligence model (rates, sizes, tick size, start price, ...). */
  simulator?: SimulateModelOptions;
  /** Called every 65,536 rows with the simulated ms elapsed and the rows written. */
  onProgress?: (simulatedMs: number, rows: number) => void;
}

/** What {@link simulate} wrote. */
export interface SimulateResult {
  messageFile: string;
  orderbookFile: string;
  labelsFile: string;
  /** The corrupted book snapshots (`corrupt-data` scenario), or null when there are none. */
  corruptFile: string | null;
  /** Rows written to each of the two LOBSTER files. */
  rows: number;
  /** Messages of the session not written (`messages: 'visible'`); 0 with `'all'`. */
  messagesSkipped: number;
  /** Labels written, in all and by kind. */
  labels: number;
  labelsByKind: Record<string, number>;
  seed: number;
  durationMs: number;
  depth: number;
  /** Wall-clock seconds taken. */
  seconds: number;
}

/** Defaults of {@link SimulateOptions}. */
export const DEFAULT_SIMULATE_OPTIONS = Object.freeze({
  /** @defaultValue 1 */
  seed: 1,
  /** @defaultValue 1800000 */
  durationMs: 1_800_000,
  /** @defaultValue 10 */
  depth: 10,
  /** @defaultValue 'SIM' */
  ticker: 'SIM',
  /** @defaultValue '2024-01-02' */
  date: '2024-01-02',
  /** @defaultValue 'all' */
  messages: 'all' as 'all' | 'visible',
});

/**
 * Parse a duration: a number of ms, or numbers with units `ms`, `s`, `m`, `h` (`'30m'`, `'1h30m'`,
 * `'90s'`, `'250ms'`). Throws {@link InvalidInputError} for anything else.
 *
 * @example
 * ```ts
 * parseDuration('1h30m'); // 5400000
 * ```
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 3_600_000);
    at = re.lastIndex;
  }
  if (at === 0 || at !== t.length) throw new InvalidInputError('duration', text, "a number of ms or a duration like '30m', '1h30m', '90s', '250ms'");
  return total;
}

/** Parse a comma-separated list of scenario kinds (`'spoofing,flash-crash'`); throws naming the bad kind. */
export function parseScenarios(text: string): ScenarioKind[] {
  const kinds = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const k of kinds) {
    if (!(SCENARIO_KINDS as readonly string[]).includes(k)) {
      throw new InvalidOptionError('scenario', k, `one of ${SCENARIO_KINDS.join(', ')}`);
    }
  }
  return kinds as ScenarioKind[];
}

/** A buffered file writer that respects backpressure. */
class Writer {
  private readonly stream: WriteStream;
  private buffer = '';
  private failure: Error | null = null;

  constructor(readonly file: string) {
    this.stream = createWriteStream(file);
    this.stream.on('error', (e) => {
      this.failure = e;
    });
  }

  add(line: string): void {
    this.buffer += line;
    this.buffer += '\n';
  }

  get pending(): number {
    return this.buffer.length;
  }

  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.buffer === '') return;
    const ok = this.stream.write(this.buffer);
    this.buffer = '';
    if (!ok) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((e?: Error | null) => (e ? reject(e) : resolve()));
    });
    if (this.failure !== null) throw this.failure;
  }
}

/**
 * Run a seeded, labelled {@link MarketSimulator} session (zero-intelligence model) and write, into
 * `out`:
 * - `<TICKER>_<DATE>_<START>_<END>_message_<L>.csv` and `..._orderbook_<L>.csv`: a LOBSTER pair (START
 *   and END in ms after midnight; one order-book row, the book after it, per message; see `messages`
 *   for which messages). `readLobster` reads it back, and an `L3OrderBook` rebuilt from the messages
 *   (`LobsterL3Replay`) matches every order-book row with `messages: 'all'`.
 * - `labels.json`: the session's parameters and its ground-truth labels (`ScenarioLabel`, times in ms
 *   after midnight as the LOBSTER time x 1000). A `corrupt-data` label also carries `row`, the
 *   order-book row its corrupted snapshot stands for (-1 when that message was not written).
 * - `..._corrupt_<L>.jsonl` (only with `corrupt-data` episodes): LOBSTER cannot hold NaN, negative
 *   sizes or a time going backwards in a file that must read back cleanly, so the LOBSTER files carry
 *   the clean book and each corrupted snapshot goes here, one JSON object per line: `messageIndex`,
 *   `row`, `issue`, `ts`, `bidLevels`, `askLevels`, `bidPx`, `bidSz`, `askPx`, `askSz` (non-finite
 *   numbers as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`). The same corruptions appear in the
 *   simulator's event stream for the same seed.
 *
 * The same options give byte-identical files.
 */
export async function simulate(options: SimulateOptions): Promise<SimulateResult> {
  checkOptionKeys('simulate', options, ['out', 'scenarios', 'seed', 'durationMs', 'depth', 'ticker', 'date', 'messages', 'simulator', 'onProgress']);
  const started = performance.now();
  const D = DEFAULT_SIMULATE_OPTIONS;
  if (typeof options.out !== 'string' || options.out === '') throw new InvalidOptionError('out', options.out, 'a directory path');
  const seed = options.seed ?? D.seed;
  if (!Number.isInteger(seed)) throw new InvalidOptionError('seed', seed, 'an integer');
  const durationMs = integerOption('durationMs', options.durationMs ?? D.durationMs, 1);
  const depth = integerOption('depth', options.depth ?? D.depth, 1, 1000);
  const ticker = options.ticker ?? D.ticker;
  if (typeof ticker !== 'string' || !/^[A-Za-z0-9.-]+$/.test(ticker)) throw new InvalidOptionError('ticker', ticker, 'letters, digits, "-" or "." (no "_")');
  const date = options.date ?? D.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidOptionError('date', date, 'a date YYYY-MM-DD');
  const messages = oneOfOption('messages', options.messages ?? D.messages, ['all', 'visible']);
  const scenarios = typeof options.scenarios === 'string' ? parseScenarios(options.scenarios) : (options.scenarios ?? []);
  const resolved = scenarios.map((s, i) => resolveScenario(s, `scenarios[${i}]`));
  const model = options.simulator ?? {};
  for (const key of ['seed', 'symbol', 'depth', 'scenarios', 'snapshotEvery', 'model', 'startMs']) {
    if (key in model) throw new InvalidOptionError(`simulator.${key}`, (model as Record<string, unknown>)[key], `not given here (simulate sets it)`);
  }
  const sim = new MarketSimulator({ ...model, seed, symbol: ticker, depth, scenarios, snapshotEvery: 'event', model: 'zero-intelligence' });
  if (!(Math.abs(sim.tickSize * 10000 - Math.round(sim.tickSize * 10000)) < 1e-9)) {
    throw new InvalidOptionError('simulator.tickSize', sim.tickSize, "a multiple of 0.0001 (LOBSTER's price unit)");
  }

  mkdirSync(options.out, { recursive: true });
  const stem = `${ticker}_${date}_${sim.startMs}_${sim.startMs + durationMs}`;
  const msgOut = new Writer(join(options.out, `${stem}_message_${depth}.csv`));
  const obOut = new Writer(join(options.out, `${stem}_orderbook_${depth}.csv`));
  const corruptFile = join(options.out, `${stem}_corrupt_${depth}.jsonl`);
  let corruptOut: Writer | null = null;
  const rowOf = new Map<number, number>(); // messageIndex of a corrupted book -> its row
  const row = createBook(depth);
  const book = sim.book;
  let rows = 0;
  let skipped = 0;
  let written = false;
  const visibleOnly = messages === 'visible';
  try {
    for (const e of sim.events(durationMs)) {
      if (e.type === 'order') {
        const o = e.order;
        // visible: the price is among the best `depth` levels after the message (for a removal, the
        // levels better than it are the same before and after, so this is the rank it had before)
        const edge = visibleOnly ? book.priceAt(o.side, depth - 1) : Number.NaN;
        written = !visibleOnly || edge !== edge || (o.side === 1 ? o.price >= edge : o.price <= edge);
        if (written) msgOut.add(lobsterMessageLine(o));
        else skipped++;
      } else if (e.type === 'book') {
        if (written) {
          obOut.add(lobsterOrderbookLine(book.writeSnapshot(row), depth));
          rows++;
          if ((rows & 0xffff) === 0) {
            options.onProgress?.(sim.now - sim.startMs, rows);
            await msgOut.flush();
            await obOut.flush();
          }
        }
        const label = sim.lastCorruption;
        if (label !== null) {
          const r = written ? rows - 1 : -1;
          rowOf.set(label.messageIndex ?? -1, r);
          corruptOut ??= new Writer(corruptFile);
          const b = e.book;
          corruptOut.add(
            JSON.stringify({
              messageIndex: label.messageIndex,
              row: r,
              issue: label.issue,
              ts: encodeNumber(b.ts),
              bidLevels: b.bidLevels,
              askLevels: b.askLevels,
              bidPx: encodeNumbers(b.bidPx.subarray(0, b.bidLevels)),
              bidSz: encodeNumbers(b.bidSz.subarray(0, b.bidLevels)),
              askPx: encodeNumbers(b.askPx.subarray(0, b.askLevels)),
              askSz: encodeNumbers(b.askSz.subarray(0, b.askLevels)),
            }),
          );
        }
      }
    }
  } finally {
    await msgOut.close();
    await obOut.close();
    if (corruptOut !== null) await corruptOut.close();
  }

  const labels = sim.labels();
  const byKind: Record<string, number> = {};
  for (const l of labels) byKind[l.kind] = (byKind[l.kind] ?? 0) + 1;
  const labelsOut = labels.map((l) => (l.kind === 'corrupt-data' ? { ...l, row: rowOf.get(l.messageIndex ?? -1) ?? -1 } : l));
  const labelsFile = join(options.out, 'labels.json');
  const doc = {
    generator: 'microstructure simulate',
    version: 1,
    seed,
    ticker,
    date,
    startMs: sim.startMs,
    endMs: sim.startMs + durationMs,
    durationMs,
    depth,
    messages,
    tickSize: sim.tickSize,
    simulator: model,
    // `issues` only means something for corrupt data
    scenarios: resolved.map(({ issues, ...rest }) => (rest.kind === 'corrupt-data' ? { ...rest, issues } : rest)),
    files: {
      message: `${stem}_message_${depth}.csv`,
      orderbook: `${stem}_orderbook_${depth}.csv`,
      corrupt: corruptOut === null ? null : `${stem}_corrupt_${depth}.jsonl`,
    },
    rows,
    messagesSkipped: skipped,
    labels: labelsOut,
  };
  const labelsWriter = new Writer(labelsFile);
  labelsWriter.add(JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
  await labelsWriter.close();
  return {
    messageFile: msgOut.file,
    orderbookFile: obOut.file,
    labelsFile,
    corruptFile: corruptOut === null ? null : corruptFile,
    rows,
    messagesSkipped: skipped,
    labels: labels.length,
    labelsByKind: byKind,
    seed,
    durationMs,
    depth,
    seconds: (performance.now() - started) / 1000,
  };
}
