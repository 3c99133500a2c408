import type { BookSnapshot, MarketEvent, OrderEvent, Trade } from '../core/events.js';
import { checkState, decodeNumber, encodeNumber, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, oneOfOption, positiveOption } from '../core/options.js';
import { BookIssue, BookValidator, type BookValidatorOptions, type BookValidatorState, type BookValidatorStats } from '../book/validator.js';
import { cumulativeDepth } from '../signals/cumulative-depth.js';
import { microprice } from '../signals/microprice.js';
import { mid } from '../signals/mid.js';
import { obi } from '../signals/obi.js';
import { Ofi, type OfiState } from '../signals/ofi.js';
import { spread } from '../signals/spread.js';
import { WeightedObi, type WeightedObiOptions } from '../signals/weighted-obi.js';
import { ZScore, type ZScoreState } from '../stats/z-score.js';
import { HawkesArrivals, type HawkesArrivalsOptions, type HawkesArrivalsState, type HawkesSides } from '../stats/hawkes-arrivals.js';
import { RegimeClassifier, type RegimeClassifierOptions, type RegimeClassifierState } from '../regime/regime-classifier.js';
import { RegimeTally, type RegimeTallyResult, type RegimeTallyState } from '../regime/regime-tally.js';
import { AlertManager, type Alert, type AlertManagerOptions, type AlertManagerState } from '../alerts/alert-manager.js';
import { DetectorSet, type DetectorSetOptions, type DetectorSetState } from '../detectors/detector-set.js';
import type { Signal } from '../trades/signal.js';
import { createFeatureFrame, type FeatureFrame } from './feature-frame.js';
import { TradeAnalytics, type TradeAnalyticsOptions, type TradeAnalyticsState, type TradeReport } from './trade-analytics.js';
import { setOwn } from '../core/own.js';

/**
 * Issues that make a book bad data rather than a market state: such a book still gets a frame (in
 * `'validate'` mode, with its stateless signals) but is kept away from the stateful models it would
 * corrupt (OFI, the spread baseline, trade analytics' quotes, the regime classifier): its frame has
 * `ofi`, `spreadZ` NaN and `regime` -1. Wide spreads, locked and stale books are market states and pass.
 */
export const BAD_DATA_ISSUES =
  BookIssue.NonFinite |
  BookIssue.NegativePrice |
  BookIssue.NegativeSize |
  BookIssue.Crossed |
  BookIssue.OutOfOrder |
  BookIssue.DuplicateLevel |
  BookIssue.BadLevelCount |
  BookIssue.TimeBackwards;

/** How the engine treats books the validator flags. */
export type ValidationMode = 'validate' | 'sanitize' | 'off';

/** Options of {@link Engine}. */
export interface EngineOptions {
  /**
   * The symbol this engine serves (copied into every frame).
   * @defaultValue 'UNKNOWN'
   */
  symbol?: string;
  /**
   * `'validate'`: flag issues in `frame.issues` and compute features anyway; `'sanitize'`: repair books in
   * place by the validator's policy and drop (count, return null for) rejected ones; `'off'`: no checks.
   * @defaultValue 'validate'
   */
  validation?: ValidationMode;
  /** Options of the {@link BookValidator} (defaults: its own). */
  validator?: BookValidatorOptions;
  /** Options of the {@link WeightedObi} (defaults: 10 levels, decay 0.5). */
  weightedObi?: WeightedObiOptions;
  /**
   * Levels a side summed into `bidDepth` / `askDepth`.
   * @defaultValue 10
   */
  depthLevels?: number;
  /**
   * Half-life, in books, of the spread's EWMA baseline behind `spreadMean` and `spreadZ`.
   * @defaultValue 1000
   */
  baselineHalfLife?: number;
  /**
   * Trade analytics (classification, effective and realized spreads, Kyle's lambda, VPIN when a bucket
   * volume or daily volume is given), or `false` to only count trades.
   * @defaultValue {} (on, with the defaults of {@link TradeAnalyticsOptions})
   */
  trades?: TradeAnalyticsOptions | false;
  /**
   * Market-regime classification of every book (K-means over EWMA-standardized features, trained off the
   * hot path; `frame.regime`), or `false`.
   * @defaultValue false
   */
  regime?: RegimeClassifierOptions | false;
  /**
   * Keep buy and sell market-order arrival times for a Hawkes fit at the end (`hawkesReport()`), or
   * `false`. Memory grows with the number of trades (8 bytes each).
   * @defaultValue false
   */
  hawkes?: HawkesArrivalsOptions | false;
  /**
   * Surveillance: every event goes through the detectors (`DetectorSet`), their signals through an
   * `AlertManager` (de-duplication, escalation, audit log), or `false`.
   * @defaultValue false
   */
  surveillance?: { detectors?: DetectorSetOptions; alerts?: AlertManagerOptions } | false;
  /** Called with every alert the alert manager raises (surveillance on). */
  onAlert?: (alert: Alert) => void;
  /** Called with every frame (borrowed: copy it to keep it). */
  onFrame?: (frame: Readonly<FeatureFrame>) => void;
}

/** The surveillance section of a report: alerts by kind and severity, and per hour of data. */
export interface AlertReport {
  signals: number;
  alerts: number;
  suppressed: number;
  escalated: number;
  bySeverity: Record<string, number>;
  byKind: Record<string, number>;
  /** Hours of data seen (first to last book), and alerts per hour over them, in all and by kind. */
  hours: number;
  perHour: number;
  perHourByKind: Record<string, number>;
}

/** Defaults of {@link EngineOptions}. */
export const DEFAULT_ENGINE_OPTIONS = Object.freeze({
  /** @defaultValue 'UNKNOWN' */
  symbol: 'UNKNOWN',
  /** @defaultValue 'validate' */
  validation: 'validate' as ValidationMode,
  /** @defaultValue 10 */
  depthLevels: 10,
  /** @defaultValue 1000 */
  baselineHalfLife: 1000,
});

/** Counts of what an engine has seen. */
export interface EngineStats {
  books: number;
  /** Books the validator rejected in `'sanitize'` mode (not turned into frames). */
  rejectedBooks: number;
  /** Books with at least one issue bit (in `'validate'` mode, or repaired in `'sanitize'` mode). */
  flaggedBooks: number;
  /**
   * Flagged books with bad data (non-finite or negative values, crossed, out of order, duplicate
   * levels, time going backwards): given a frame but kept from the trade analytics and regime models.
   */
  badDataBooks: number;
  trades: number;
  orders: number;
  /** The validator's own counts (by issue kind, dropped levels, rejections). */
  validation: BookValidatorStats;
}

/** State of an {@link Engine}. */
export interface EngineState extends OperatorState {
  readonly type: 'Engine';
  readonly version: 1;
  readonly symbol: string;
  readonly counts: readonly [books: number, rejected: number, flagged: number, trades: number, orders: number, badData: number];
  readonly ofiSum: number | string;
  readonly validator: BookValidatorState;
  readonly ofi: OfiState;
  readonly spreadZ: ZScoreState;
  readonly trades: TradeAnalyticsState | null;
  readonly regime: { classifier: RegimeClassifierState; tally: RegimeTallyState } | null;
  readonly hawkes: HawkesArrivalsState | null;
  readonly surveillance: { detectors: DetectorSetState; alerts: AlertManagerState; firstTs: number | string; lastTs: number | string } | null;
}

/**
 * The per-symbol engine: routes each event of one symbol to the operators of the default graph and
 * emits a {@link FeatureFrame} per book.
 *
 * ```text
 * book  -> validator -> spread, spreadBps, mid, microprice, OBI, weighted OBI, OFI, depth -> frame
 *                                  spread -> EWMA baseline, z-score ------------------------^
 *                   frame -> regime classifier (optional)
 * trade -> Lee-Ready, tick rule -> effective / realized spread, Kyle's lambda, VPIN (TradeAnalytics)
 *       -> Hawkes arrivals (optional)
 * every event -> detectors -> AlertManager -> onAlert (optional: `surveillance`)
 * order -> counted (the L3 book attaches here)
 * ```
 * Synchronous and allocation-free per book: one frame object is reused. Checkpoint with `snapshot()`,
 * resume anywhere with `restore()`: the outputs continue identically.
 *
 * @example
 * ```ts
 * const engine = new Engine({ symbol: 'GOOG' });
 * const frame = engine.onBook(bookFromLevels([[579.40, 496]], [[580.23, 100]]));
 * frame?.microprice; // 580.0907382550336
 * ```
 */
export class Engine {
  readonly symbol: string;
  private readonly mode: ValidationMode;
  private readonly depthLevels: number;
  private readonly validator: BookValidator;
  private readonly weightedObi: WeightedObi;
  private readonly ofi = new Ofi();
  private readonly spreadZ: ZScore;
  private readonly onFrame: ((frame: Readonly<FeatureFrame>) => void) | undefined;
  private readonly frame: FeatureFrame;
  private readonly tradeAnalytics: TradeAnalytics | null;
  private readonly regime: RegimeClassifier | null;
  private readonly regimeTally: RegimeTally | null;
  private readonly hawkes: HawkesArrivals | null;
  private readonly detectors: DetectorSet | null;
  private readonly alerts: AlertManager | null;
  private readonly onAlert: ((alert: Alert) => void) | undefined;
  private firstTs = NaN;
  private lastTs = NaN;
  private books = 0;
  private rejected = 0;
  private flagged = 0;
  private badData = 0;
  private trades = 0;
  private orders = 0;

  constructor(options: EngineOptions = {}) {
    checkOptionKeys('Engine', options, ['symbol', 'validation', 'validator', 'weightedObi', 'depthLevels', 'baselineHalfLife', 'trades', 'regime', 'hawkes', 'surveillance', 'onAlert', 'onFrame']);
    const o = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.symbol = String(o.symbol);
    this.mode = oneOfOption('validation', o.validation, ['validate', 'sanitize', 'off']);
    this.depthLevels = integerOption('depthLevels', o.depthLevels, 1);
    this.validator = new BookValidator(options.validator);
    this.weightedObi = new WeightedObi(options.weightedObi);
    this.spreadZ = new ZScore({ halfLife: positiveOption('baselineHalfLife', o.baselineHalfLife) });
    this.onFrame = options.onFrame;
    this.tradeAnalytics = options.trades === false ? null : new TradeAnalytics(options.trades);
    this.regime = options.regime === undefined || options.regime === false ? null : new RegimeClassifier(options.regime);
    this.regimeTally = this.regime === null ? null : new RegimeTally({ k: this.regime.k });
    this.hawkes = options.hawkes === undefined || options.hawkes === false ? null : new HawkesArrivals(options.hawkes);
    const sv = options.surveillance;
    this.detectors = sv === undefined || sv === false ? null : new DetectorSet(sv.detectors);
    this.alerts = sv === undefined || sv === false ? null : new AlertManager(sv.alerts);
    this.onAlert = options.onAlert;
    this.frame = createFeatureFrame(this.symbol);
  }

  /**
   * Process one book: validate (or sanitize), compute every feature, call `onFrame`, return the frame
   * (borrowed), or `null` when the book was rejected in `'sanitize'` mode.
   */
  onBook(book: BookSnapshot): FeatureFrame | null {
    let issues = 0;
    if (this.mode === 'validate') {
      issues = this.validator.validate(book);
    } else if (this.mode === 'sanitize') {
      if (!this.validator.sanitize(book)) {
        this.rejected++;
        return null;
      }
      issues = this.validator.lastIssues;
    }
    if (issues !== 0) {
      this.flagged++;
      if ((issues & BAD_DATA_ISSUES) !== 0) this.badData++;
    }
    const f = this.frame;
    f.seq = ++this.books;
    f.ts = book.ts;
    f.issues = issues;
    const s = spread(book);
    const m = mid(book);
    f.spread = s;
    f.mid = m;
    f.spreadBps = (s / m) * 1e4;
    f.microprice = microprice(book);
    f.obi = obi(book);
    f.weightedObi = this.weightedObi.update(book);
    f.bidDepth = cumulativeDepth(book, 'bid', this.depthLevels);
    f.askDepth = cumulativeDepth(book, 'ask', this.depthLevels);
    if ((issues & BAD_DATA_ISSUES) === 0) {
      // stateful models see clean books only: bad data would corrupt their state for what follows
      const e = this.ofi.update(book);
      f.ofi = e;
      f.ofiSum += e;
      f.spreadZ = this.spreadZ.update(s);
      f.spreadMean = this.spreadZ.mean;
      if (this.tradeAnalytics !== null) this.tradeAnalytics.onBook(book);
      if (this.regime !== null) {
        f.regime = this.regime.update(f);
        this.regimeTally!.update(f.ts, f.regime);
      }
    } else {
      f.ofi = NaN;
      f.spreadZ = NaN;
      f.spreadMean = this.spreadZ.mean;
      f.regime = -1;
    }
    if (this.detectors !== null) {
      if (!(this.firstTs === this.firstTs)) this.firstTs = book.ts;
      if (book.ts > this.lastTs || !(this.lastTs === this.lastTs)) this.lastTs = book.ts;
      // in validate mode the bits describe this very book: the set need not check it again
      this.raise(this.mode === 'validate' ? this.detectors.onBook(book, issues) : this.detectors.onBook(book));
    }
    if (this.onFrame !== undefined) this.onFrame(f);
    return f;
  }

  /**
   * Process one trade, before the book that follows it (trades are classified against the quotes in
   * force before them). `hidden` marks a hidden execution, for the classification accuracy split.
   */
  onTrade(trade: Trade, hidden = false): void {
    this.trades++;
    if (this.tradeAnalytics !== null) this.tradeAnalytics.onTrade(trade, hidden);
    if (this.hawkes !== null) this.hawkes.update(trade);
    if (this.detectors !== null) this.raise(this.detectors.onTrade(trade));
  }

  private raise(signals: readonly Signal[]): void {
    for (let i = 0; i < signals.length; i++) {
      const alert = this.alerts!.update(signals[i]!, this.symbol);
      if (alert !== null && this.onAlert !== undefined) this.onAlert(alert);
    }
  }

  /** The alert manager (surveillance on), for history queries, reviews and the audit log; else null. */
  get alertManager(): AlertManager | null {
    return this.alerts;
  }

  /** Alerts by kind and severity, and per hour of data, or null when surveillance is off. */
  alertReport(): AlertReport | null {
    if (this.alerts === null || this.detectors === null) return null;
    const st = this.alerts.stats();
    const hours = this.lastTs > this.firstTs ? (this.lastTs - this.firstTs) / 3_600_000 : NaN;
    const byKind: Record<string, number> = {};
    const perHourByKind: Record<string, number> = {};
    for (const [kind, k] of Object.entries(st.byKind)) {
      setOwn(byKind, kind, k.emitted);
      setOwn(perHourByKind, kind, k.emitted / hours);
    }
    return {
      signals: st.received,
      alerts: st.emitted,
      suppressed: st.suppressed,
      escalated: st.escalated,
      bySeverity: { ...st.bySeverity },
      byKind,
      hours,
      perHour: st.emitted / hours,
      perHourByKind,
    };
  }

  /** End of stream: resolves pending realized spreads and closes open buckets of the trade analytics. */
  finish(): void {
    if (this.tradeAnalytics !== null) this.tradeAnalytics.finish();
  }

  /** Share of time in each regime and the number of switches, or null when the classifier is off. */
  regimeReport(): (RegimeTallyResult & { names: readonly string[]; trainings: number }) | null {
    if (this.regime === null) return null;
    return { names: this.regime.names, trainings: this.regime.trainings, ...this.regimeTally!.result(this.regime.names) };
  }

  /** Hawkes fits (mu, alpha, beta, branching ratio) of buy and sell market orders, or null when off. */
  hawkesReport(): HawkesSides | null {
    return this.hawkes === null ? null : this.hawkes.fitBoth();
  }

  /** The trade analytics' report sections, or null when they are off (call `finish()` first). */
  tradeReport(): TradeReport | null {
    return this.tradeAnalytics === null ? null : this.tradeAnalytics.report();
  }

  /** Process one L3 order event (counted; the L3 book attaches here). */
  onOrder(order: OrderEvent): void {
    this.orders++;
    if (this.detectors !== null) this.raise(this.detectors.onOrder(order));
  }

  /** Route one event by its type. Returns the frame for a book event, else null. */
  process(event: MarketEvent): FeatureFrame | null {
    switch (event.type) {
      case 'book':
        return this.onBook(event.book);
      case 'trade':
        this.onTrade(event.trade);
        return null;
      case 'order':
        this.onOrder(event.order);
        return null;
    }
  }

  /**
   * Run a source through the engine, yielding each frame. Frames are borrowed: the same object is
   * yielded each time, so copy what you keep (`{ ...frame }`).
   */
  async *run(source: AsyncIterable<MarketEvent> | Iterable<MarketEvent>): AsyncGenerator<FeatureFrame, void, undefined> {
    for await (const event of source) {
      const frame = this.process(event);
      if (frame !== null) yield frame;
    }
  }

  /** What the engine has seen so far. */
  stats(): EngineStats {
    return {
      books: this.books,
      rejectedBooks: this.rejected,
      flaggedBooks: this.flagged,
      badDataBooks: this.badData,
      trades: this.trades,
      orders: this.orders,
      validation: this.validator.stats(),
    };
  }

  reset(): void {
    this.validator.reset();
    this.weightedObi.reset();
    this.ofi.reset();
    this.spreadZ.reset();
    this.tradeAnalytics?.reset();
    this.regime?.reset();
    this.regimeTally?.reset();
    this.hawkes?.reset();
    this.detectors?.reset();
    this.alerts?.reset();
    this.firstTs = NaN;
    this.lastTs = NaN;
    Object.assign(this.frame, createFeatureFrame(this.symbol));
    this.books = 0;
    this.rejected = 0;
    this.flagged = 0;
    this.badData = 0;
    this.trades = 0;
    this.orders = 0;
  }

  snapshot(): EngineState {
    return {
      type: 'Engine',
      version: 1,
      symbol: this.symbol,
      counts: [this.books, this.rejected, this.flagged, this.trades, this.orders, this.badData],
      ofiSum: encodeNumber(this.frame.ofiSum),
      validator: this.validator.snapshot(),
      ofi: this.ofi.snapshot(),
      spreadZ: this.spreadZ.snapshot(),
      trades: this.tradeAnalytics === null ? null : this.tradeAnalytics.snapshot(),
      regime: this.regime === null ? null : { classifier: this.regime.snapshot(), tally: this.regimeTally!.snapshot() },
      hawkes: this.hawkes === null ? null : this.hawkes.snapshot(),
      surveillance:
        this.detectors === null || this.alerts === null
          ? null
          : { detectors: this.detectors.snapshot(), alerts: this.alerts.snapshot(), firstTs: encodeNumber(this.firstTs), lastTs: encodeNumber(this.lastTs) },
    };
  }

  restore(state: EngineState): void {
    checkState(state, 'Engine', 1);
    this.validator.restore(state.validator);
    this.ofi.restore(state.ofi);
    this.spreadZ.restore(state.spreadZ);
    if (this.tradeAnalytics !== null && state.trades !== null) this.tradeAnalytics.restore(state.trades);
    if (this.regime !== null && state.regime !== null) {
      this.regime.restore(state.regime.classifier);
      this.regimeTally!.restore(state.regime.tally);
    }
    if (this.hawkes !== null && state.hawkes !== null) this.hawkes.restore(state.hawkes);
    if (this.detectors !== null && this.alerts !== null && state.surveillance !== null) {
      this.detectors.restore(state.surveillance.detectors);
      this.alerts.restore(state.surveillance.alerts);
      this.firstTs = decodeNumber(state.surveillance.firstTs);
      this.lastTs = decodeNumber(state.surveillance.lastTs);
    }
    [this.books, this.rejected, this.flagged, this.trades, this.orders, this.badData] = state.counts;
    this.frame.ofiSum = decodeNumber(state.ofiSum);
    this.frame.seq = this.books;
  }
}
