import type { OrderEventKind } from '../core/events.js';
import { checkOptionKeys, positiveOption } from '../core/options.js';
import type { BookIssueName } from '../book/validator.js';
import { BucketRegression } from '../stats/bucket-regression.js';
import { Summary, type SummaryResult } from '../stats/summary.js';
import { BAD_DATA_ISSUES, type EngineStats } from './engine.js';
import type { FeatureFrame } from './feature-frame.js';
import type { TradeReport } from './trade-analytics.js';

/** Options of {@link ReportBuilder}. */
export interface ReportOptions {
  /**
   * Bucket length of the OFI regression, ms; buckets align to multiples of it since the time origin
   * (midnight for LOBSTER's session times).
   * @defaultValue 10000
   */
  ofiBucketMs?: number;
  /**
   * Tick size in price units: the OFI regression's mid changes are in ticks.
   * @defaultValue 0.01
   */
  tickSize?: number;
}

/** Defaults of {@link ReportOptions}. */
export const DEFAULT_REPORT_OPTIONS: Readonly<Required<ReportOptions>> = Object.freeze({
  ofiBucketMs: 10_000,
  tickSize: 0.01,
});

/** Mean, population std (ddof = 0), min and max of one feature over the books where it is defined. */
export interface FeatureStats {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** The report of `microstructure analyze --json` (sections other issues add are optional). */
export interface AnalyzeReport {
  /** Books (rows) processed. */
  rows: number;
  /** Order events by kind (LOBSTER types 1..7 = add, cancel, delete, execute, executeHidden, cross, halt), and trades. */
  events: Record<OrderEventKind, number> & { trades: number };
  /** Books flagged, rejected, and counts by validator issue kind. */
  validation: { flaggedBooks: number; badDataBooks: number; rejectedBooks: number; issues: Record<BookIssueName, number> };
  book: { spread: FeatureStats; spreadBps: FeatureStats; mid: FeatureStats; microprice: FeatureStats; obi: FeatureStats; weightedObi: FeatureStats };
  ofi: {
    sum: number;
    regression: { bucketMs: number; tickSize: number; slope: number; intercept: number; r2: number; tStat: number; n: number };
  };
  /** L3 book rebuilt from the order events, when the source carries them. */
  l3?: { rowsCompared: number; rowsMatched: number; resyncs: number; [extra: string]: unknown };
  throughput?: { rowsPerSec: number; seconds: number };
  /** Trade analytics (when the engine ran them): classification, spreads. */
  trades?: TradeReport['trades'];
  /** VPIN (null when no bucket volume was known). */
  vpin?: TradeReport['vpin'];
  kyleLambda?: TradeReport['kyleLambda'];
  /** Share of time in each regime and switches (when the engine ran the classifier). */
  regime?: unknown;
  /** Hawkes fits of buy and sell market orders (when the engine kept arrivals). */
  hawkes?: unknown;
  /** Alerts by kind and severity and per hour (when the engine ran surveillance). */
  alerts?: unknown;
  [section: string]: unknown;
}

const KINDS: readonly OrderEventKind[] = ['add', 'cancel', 'delete', 'execute', 'executeHidden', 'cross', 'halt'];

function featureStats(s: SummaryResult): FeatureStats {
  return { n: s.n, mean: s.mean, std: s.std, min: s.min, max: s.max };
}

/**
 * Accumulates the day-level report from an engine's frames and events: feature statistics, the OFI sum,
 * and the regression of mid changes (in ticks) on bucket OFI (Cont, Kukanov & Stoikov 2014, eq. 13),
 * buckets of `ofiBucketMs` aligned since the time origin, only buckets holding a book counted, each
 * bucket's change measured from the last book of the previous counted bucket (the first: from the first
 * book). Allocation-free per frame.
 */
export class ReportBuilder {
  private readonly tickSize: number;
  private readonly ofiBucketMs: number;
  private readonly spread = new Summary();
  private readonly spreadBps = new Summary();
  private readonly mid = new Summary();
  private readonly microprice = new Summary();
  private readonly obi = new Summary();
  private readonly weightedObi = new Summary();
  private readonly ofiRegression: BucketRegression;
  private readonly kinds = new Float64Array(KINDS.length);
  private rows = 0;
  private ofiSum = 0;
  private trades = 0;

  constructor(options: ReportOptions = {}) {
    checkOptionKeys('ReportBuilder', options, ['ofiBucketMs', 'tickSize']);
    const o = { ...DEFAULT_REPORT_OPTIONS, ...options };
    this.tickSize = positiveOption('tickSize', o.tickSize);
    this.ofiBucketMs = positiveOption('ofiBucketMs', o.ofiBucketMs);
    this.ofiRegression = new BucketRegression({ bucketMs: this.ofiBucketMs });
  }

  /**
   * Add one frame. A frame of a bad-data book (see {@link BAD_DATA_ISSUES}) counts as a row but stays
   * out of the feature statistics and the OFI regression, as the reference keeps to valid rows.
   */
  addFrame(f: Readonly<FeatureFrame>): void {
    this.rows++;
    if ((f.issues & BAD_DATA_ISSUES) !== 0) return;
    this.spread.update(f.spread);
    this.spreadBps.update(f.spreadBps);
    this.mid.update(f.mid);
    this.microprice.update(f.microprice);
    this.obi.update(f.obi);
    this.weightedObi.update(f.weightedObi);
    if (f.ofi === f.ofi) this.ofiSum += f.ofi;
    this.ofiRegression.flow(f.ts, f.ofi === f.ofi ? f.ofi : 0);
    this.ofiRegression.level(f.ts, f.mid / this.tickSize);
  }

  /** Count one order event by kind. */
  addOrder(kind: OrderEventKind): void {
    const i = KINDS.indexOf(kind);
    if (i >= 0) this.kinds[i]!++;
  }

  /** Count one trade. */
  addTrade(): void {
    this.trades++;
  }

  /**
   * The report (closes the open OFI bucket: call at the end of the stream). With `trades` (the engine's
   * `tradeReport()` after `finish()`), the report gains `trades`, `vpin` and `kyleLambda`.
   */
  build(engine: EngineStats, trades?: TradeReport | null): AnalyzeReport {
    this.ofiRegression.flush();
    const events = Object.fromEntries(KINDS.map((k, i) => [k, this.kinds[i]!])) as Record<OrderEventKind, number>;
    const r = this.ofiRegression;
    return {
      rows: this.rows,
      events: { ...events, trades: this.trades },
      validation: {
        flaggedBooks: engine.flaggedBooks,
        badDataBooks: engine.badDataBooks,
        rejectedBooks: engine.rejectedBooks,
        issues: engine.validation.issues,
      },
      book: {
        spread: featureStats(this.spread.result()),
        spreadBps: featureStats(this.spreadBps.result()),
        mid: featureStats(this.mid.result()),
        microprice: featureStats(this.microprice.result()),
        obi: featureStats(this.obi.result()),
        weightedObi: featureStats(this.weightedObi.result()),
      },
      ofi: {
        sum: this.ofiSum,
        regression: { bucketMs: this.ofiBucketMs, tickSize: this.tickSize, slope: r.slope, intercept: r.intercept, r2: r.r2, tStat: r.tStat, n: r.n },
      },
      ...(trades ? { trades: trades.trades, vpin: trades.vpin, kyleLambda: trades.kyleLambda } : {}),
    };
  }
}
