/**
 * `microstructure analyze`: a day of order-book data in, the day's microstructure out.
 * Node-only (file sources).
 */
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { extname } from 'node:path';
import type { BookSnapshot, Trade } from '../core/events.js';
import { InvalidInputError } from '../core/errors.js';
import { LobsterL3Replay } from '../book/lobster-l3-replay.js';
import { Engine } from '../engine/engine.js';
import { FEATURE_COLUMNS, type FeatureFrame } from '../engine/feature-frame.js';
import { ReportBuilder, type AnalyzeReport } from '../engine/report.js';
import { readLobster } from '../replay/lobster.js';
import { lobsterTradeTotals } from '../replay/lobster-trade-totals.js';
import { readL2Csv } from '../replay/l2-csv.js';
import { readTradesCsv } from '../replay/trades-csv.js';

/** What `analyze` reads and writes. */
export interface AnalyzeOptions {
  /** LOBSTER message file (plain or .gz). */
  messageFile?: string;
  /** LOBSTER orderbook file; inferred from the message file's name when absent. */
  orderbookFile?: string;
  /** Wide L2 snapshot CSV, instead of LOBSTER. */
  csvL2?: string;
  /** Trades CSV, with `csvL2` (merged by time) or alone. */
  csvTrades?: string;
  /** Write per-book features here: `.csv` or `.jsonl`. */
  featuresFile?: string;
  /** Only rows with time >= fromMs (ms after midnight for LOBSTER). */
  fromMs?: number;
  /** Only rows with time < toMs. */
  toMs?: number;
  symbol?: string;
  /** Called every 16,384 rows with the rows done, decompressed bytes read and the total (NaN if unknown). */
  onProgress?: (rows: number, bytes: number, totalBytes: number) => void;
}

/** Buffered writer of features, CSV or JSON lines, respecting the stream's backpressure. */
class FeatureWriter {
  private readonly out: WriteStream;
  private readonly jsonl: boolean;
  private buffer = '';

  constructor(file: string) {
    const ext = extname(file).toLowerCase();
    if (ext !== '.csv' && ext !== '.jsonl') throw new InvalidInputError('--features', file, 'a file ending in .csv or .jsonl');
    this.jsonl = ext === '.jsonl';
    this.out = createWriteStream(file);
    if (!this.jsonl) this.buffer = `${FEATURE_COLUMNS.join(',')}\n`;
  }

  async write(f: Readonly<FeatureFrame>): Promise<void> {
    if (this.jsonl) {
      this.buffer += `${JSON.stringify(f, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
    } else {
      let line = '';
      for (let i = 0; i < FEATURE_COLUMNS.length; i++) {
        const v = f[FEATURE_COLUMNS[i]!];
        line += (i === 0 ? '' : ',') + (typeof v === 'number' && !Number.isFinite(v) ? '' : String(v));
      }
      this.buffer += `${line}\n`;
    }
    if (this.buffer.length > 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const ok = this.out.write(this.buffer);
    this.buffer = '';
    if (!ok) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(resolve);
    });
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return NaN;
  }
}

/**
 * Run the default engine over a source and build the report. The `throughput` section measures the
 * whole run (reading, decompressing, parsing and analytics).
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalyzeReport> {
  const started = performance.now();
  const features = options.featuresFile === undefined ? undefined : new FeatureWriter(options.featuresFile);
  const report = new ReportBuilder();
  let engine: Engine;
  let l3: LobsterL3Replay | undefined;
  const progress = options.onProgress;
  try {
    if (options.messageFile !== undefined) {
      const reader = readLobster(options.messageFile, {
        ...(options.orderbookFile === undefined ? {} : { orderbookFile: options.orderbookFile }),
        ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
        ...(options.fromMs === undefined ? {} : { fromMs: options.fromMs }),
        ...(options.toMs === undefined ? {} : { toMs: options.toMs }),
      });
      // A first pass over the message file (trades only) gives what VPIN needs in advance: the day's
      // volume (bucket = volume / 50) and the sigma of 1-minute price changes (the reference's BVC).
      const totals = await lobsterTradeTotals(reader.messageFile);
      engine = new Engine({
        symbol: reader.symbol,
        trades: { dailyVolume: totals.volume, vpinSigma: totals.barSigma },
        regime: {},
        hawkes: {},
        surveillance: {},
      });
      l3 = new LobsterL3Replay();
      // ETA needs the decompressed size: known for plain files only
      const gz = /\.gz$/i.test(reader.messageFile) || /\.gz$/i.test(reader.orderbookFile);
      const total = gz ? NaN : fileSize(reader.messageFile) + fileSize(reader.orderbookFile);
      let rows = 0;
      for await (const row of reader) {
        engine.onOrder(row.order);
        report.addOrder(row.order.kind);
        if (row.trade !== null) {
          report.addTrade();
          // cross trades (type 6, auction prints) have no aggressor: counted, not classified
          if (row.type !== 6) engine.onTrade(row.trade, row.type === 5);
        }
        l3.update(row);
        const frame = engine.onBook(row.book);
        if (frame !== null) {
          report.addFrame(frame);
          if (features !== undefined) await features.write(frame);
        }
        if (progress !== undefined && (++rows & 0x3fff) === 0) {
          const s = reader.stats();
          progress(rows, s.messageBytes + s.orderbookBytes, total);
        }
      }
    } else if (options.csvL2 !== undefined || options.csvTrades !== undefined) {
      engine = new Engine({ symbol: options.symbol ?? 'UNKNOWN', regime: {}, hawkes: {}, surveillance: {} });
      await analyzeCsv(options, engine, report, features);
    } else {
      throw new InvalidInputError('source', undefined, 'a LOBSTER message file, --csv-l2 FILE or --csv-trades FILE');
    }
  } finally {
    await features?.close();
  }
  engine.finish();
  const result = report.build(engine.stats(), engine.tradeReport());
  result.regime = engine.regimeReport();
  result.hawkes = engine.hawkesReport();
  result.alerts = engine.alertReport();
  if (l3 !== undefined) {
    const s = l3.stats();
    result.l3 = {
      rowsCompared: s.rowsCompared,
      rowsMatched: s.rowsMatched,
      shareMatched: s.shareMatched,
      resyncs: s.resyncs,
      resyncsByReason: s.resyncsByReason,
      rowsUnequalAfterResync: s.rowsUnequalAfterResync,
    };
  }
  const seconds = (performance.now() - started) / 1000;
  result.throughput = { rowsPerSec: result.rows / seconds, seconds };
  return result;
}

/** L2 snapshots and trades from CSV, merged by time (trades first on ties). */
async function analyzeCsv(options: AnalyzeOptions, engine: Engine, report: ReportBuilder, features: FeatureWriter | undefined): Promise<void> {
  const books: AsyncIterator<BookSnapshot> | undefined = options.csvL2 === undefined ? undefined : readL2Csv(options.csvL2)[Symbol.asyncIterator]();
  const trades: AsyncIterator<Trade> | undefined = options.csvTrades === undefined ? undefined : readTradesCsv(options.csvTrades)[Symbol.asyncIterator]();
  const from = options.fromMs ?? -Infinity;
  const to = options.toMs ?? Infinity;
  let book = books === undefined ? undefined : await books.next();
  let trade = trades === undefined ? undefined : await trades.next();
  while ((book !== undefined && !book.done) || (trade !== undefined && !trade.done)) {
    const takeTrade = trade !== undefined && !trade.done && (book === undefined || book.done === true || trade.value.ts <= book.value.ts);
    if (takeTrade) {
      const t = trade!.value as Trade;
      if (t.ts >= from && t.ts < to) {
        engine.onTrade(t);
        report.addTrade();
      }
      trade = await trades!.next();
    } else {
      const b = book!.value as BookSnapshot;
      if (b.ts >= from && b.ts < to) {
        const frame = engine.onBook(b);
        if (frame !== null) {
          report.addFrame(frame);
          if (features !== undefined) await features.write(frame);
        }
      }
      book = await books!.next();
    }
  }
}
