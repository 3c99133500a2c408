import type { BookSnapshot, Trade } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, finiteOption, integerOption, nonNegativeOption, oneOfOption, positiveOption } from '../core/options.js';
import { normalCdf } from '../stats/normal-cdf.js';
import { bestAsk, bestBid, checkTrade, checkTs, sideOf, stateBoolean, stateInteger, stateNumber, stateNumbers, stateObject } from './internal.js';
import { LeeReady, type LeeReadyState } from './lee-ready.js';
import { TickRule, type TickRuleState } from './tick-rule.js';

/** How {@link Vpin} splits volume into buys and sells. */
export type VpinClassification = 'bvc' | 'tick' | 'leeReady' | 'given';

/** Called for each completed bucket: its 1-based index, its order imbalance and VPIN after it. */
export type VpinBucketCallback = (bucket: number, oi: number, vpin: number) => void;

/** Options of {@link Vpin}. Give exactly one of `bucketVolume` and `dailyVolume`. */
export interface VpinOptions {
  /** Volume per bucket V (> 0). No default: give it or `dailyVolume`. */
  bucketVolume?: number;
  /**
   * The day's (expected) total volume (> 0): V = dailyVolume / bucketsPerDay. Bucket boundaries are then
   * exact: volumes are counted in units of 1 / bucketsPerDay share (each size times `bucketsPerDay`, a
   * bucket holds `dailyVolume` of them), so integer sizes never round. No default.
   */
  dailyVolume?: number;
  /**
   * Buckets per day, with `dailyVolume`.
   * @defaultValue 50
   */
  bucketsPerDay?: number;
  /**
   * n: VPIN is the mean order imbalance of the last n buckets (fewer at the start).
   * @defaultValue 50
   */
  window?: number;
  /**
   * Volume classification: `'bvc'` bulk volume classification on time bars (the paper's); `'tick'` the
   * tick rule per trade; `'leeReady'` Lee-Ready per trade (feed quotes by `onQuote`/`onBook`);
   * `'given'` each trade's `side` (or the `side` argument of `update`), e.g. a true aggressor flag.
   * A trade with side 0 counts half buy, half sell.
   * @defaultValue 'bvc'
   */
  classification?: VpinClassification;
  /**
   * BVC time-bar length in ms.
   * @defaultValue 60000
   */
  barMs?: number;
  /**
   * BVC bars are `[barOriginMs + j * barMs, barOriginMs + (j + 1) * barMs)`. With 0 they are aligned
   * to multiples of `barMs` since midnight (session-relative times) or the epoch. The reference's bars
   * count from 09:30 (34200 s); 34200 s is 570 whole minutes, so 1-minute bars align either way.
   * @defaultValue 0
   */
  barOriginMs?: number;
  /**
   * BVC: a fixed sigma of bar price changes (price units, >= 0). No default: when not given, a running
   * sample standard deviation of all bar changes so far (this bar included) is used. Give the day's
   * sigma to reproduce a batch computation exactly.
   */
  sigma?: number;
  /**
   * Length of the history of VPIN values (one per bucket) behind `cdf`.
   * @defaultValue 250
   */
  cdfWindow?: number;
  /**
   * What `update` returns: `'vpin'`, or `'cdf'`, the empirical CDF of the current VPIN within its
   * history (for toxicity thresholds such as CDF > 0.9).
   * @defaultValue 'vpin'
   */
  output?: 'vpin' | 'cdf';
  /** Quote lag of the `'leeReady'` classification (see {@link LeeReady}). @defaultValue 0 */
  quoteLagMs?: number;
  /** Price tolerance of the `'leeReady'` classification (see {@link LeeReady}). @defaultValue 1e-12 */
  priceTolerance?: number;
  /** Called for each completed bucket (numbers only; not part of the state). No default. */
  onBucket?: VpinBucketCallback;
}

/** Defaults of {@link VpinOptions} (`bucketVolume`, `dailyVolume`, `sigma`, `onBucket` have none). */
export const DEFAULT_VPIN_OPTIONS: Readonly<Required<Omit<VpinOptions, 'bucketVolume' | 'dailyVolume' | 'sigma' | 'onBucket'>>> =
  Object.freeze({
    bucketsPerDay: 50,
    window: 50,
    classification: 'bvc',
    barMs: 60_000,
    barOriginMs: 0,
    cdfWindow: 250,
    output: 'vpin',
    quoteLagMs: 0,
    priceTolerance: 1e-12,
  });

/** State of a {@link Vpin}. */
export interface VpinState extends OperatorState {
  readonly type: 'Vpin';
  readonly version: 1;
  readonly lastTs: number | string;
  readonly lateEvents: number;
  /** BVC bar: open?, index, volume, close; first trade price, previous close. */
  readonly barOpen: boolean;
  readonly bar: ReadonlyArray<number | string>;
  /** Running sigma: [count, mean, m2] of the bar changes. */
  readonly sigmaStats: ReadonlyArray<number | string>;
  /** The current bucket: [fill, buy, sell] (scaled units). */
  readonly bucket: ReadonlyArray<number | string>;
  readonly buckets: number;
  /** The last min(buckets, window) order imbalances, oldest first. */
  readonly ois: ReadonlyArray<number | string>;
  /** The last min(buckets, cdfWindow) VPIN values, oldest first. */
  readonly history: ReadonlyArray<number | string>;
  readonly vpin: number | string;
  readonly cdf: number | string;
  readonly classifier: LeeReadyState | TickRuleState | null;
}

/**
 * VPIN, the volume-synchronized probability of informed trading (Easley, Lopez de Prado & O'Hara 2012),
 * streamed: traded volume is poured into buckets of equal volume V, each bucket's order imbalance is
 * measured, and VPIN is their mean over the last n buckets.
 *
 * ```text
 * OI_k = |V_buy,k - V_sell,k| / V         for each complete bucket k
 * VPIN = (1 / n) * sum of OI over the last n buckets (fewer at the start)
 * ```
 *
 * **Classification.** BVC (default): trades are grouped in time bars of `barMs`; a bar's volume is split
 * with `f_j = Phi(dP_j / sigma)` to buys and `1 - f_j` to sells, with `dP_j` the bar's close minus the
 * previous bar's close (first bar: minus the day's first trade price) and Phi the standard normal CDF;
 * bars without trades do not exist. `f = 0.5` while sigma is 0 or undefined (fewer than 2 bars with the
 * running sigma). A bar split across buckets keeps its `f_j` in each piece. The `'tick'`, `'leeReady'`
 * and `'given'` variants classify trade by trade and pour each trade's volume as it comes.
 *
 * **Sigma.** The paper, and the batch reference, use the standard deviation of all bar changes of the
 * sample: a look-ahead no stream has. Default here: the running sample std (n - 1) of the bar changes
 * so far, the closing bar included; it converges to the day's value and equals it for the day's last
 * bar, but early bars see a noisier sigma, so buckets differ from the batch values. Give `sigma` (e.g.
 * yesterday's, or the day's for a replay) to fix it: with the day's sigma the output equals the batch
 * definition.
 *
 * **Latency (BVC).** A bar's volume can only be classified once the bar has closed: it is held until
 * the first event of a later bar (a trade, a quote via `onQuote`/`onBook`, or `advanceTo(ts)`), or
 * `flush()` at the end of the stream. So buckets complete up to one bar (plus the wait for the next
 * event) after their volume traded. The per-trade variants have no such delay.
 *
 * - Output of `update`: VPIN (or its CDF with `output: 'cdf'`), unitless in [0, 1]; NaN until the
 *   first bucket completes. It changes only when a bucket completes. A partial last bucket is not
 *   counted. `onBucket` reports each completed bucket.
 * - `cdf`: the share of the last `cdfWindow` VPIN values (one per bucket, the current included) that
 *   are <= the current VPIN.
 * - Late trades (time before the latest seen) are processed at the latest time and counted in
 *   `lateEvents`. Non-finite times, prices or sizes throw `InvalidInputError`.
 * - Allocation-free per call: rings of OIs and of the VPIN history are allocated at construction.
 *
 * Reference: D. Easley, M. M. Lopez de Prado & M. O'Hara (2012), "Flow toxicity and liquidity in a
 * high-frequency world", Review of Financial Studies 25(5), 1457-1493 (VPIN and bulk volume
 * classification); the reference README's `vpin` (`dailyVolume` = the day's volume, 50 buckets, n = 50,
 * `sigma` = the day's sigma).
 *
 * @example
 * ```ts
 * const vpin = new Vpin({ bucketVolume: 100, window: 2, classification: 'given' });
 * vpin.update({ ts: 0, price: 10, size: 100, side: 1 });  // 1   (bucket 1: all buys)
 * vpin.update({ ts: 1, price: 10, size: 60, side: -1 });  // 1   (bucket 2 not complete)
 * vpin.update({ ts: 2, price: 10, size: 40, side: 1 });   // 0.6 (bucket 2: OI = |40 - 60| / 100 = 0.2)
 * ```
 */
export class Vpin implements Operator<Trade, number, VpinState> {
  private readonly capacity: number;
  private readonly scale: number;
  private readonly window: number;
  private readonly classification: VpinClassification;
  private readonly barMs: number;
  private readonly barOriginMs: number;
  private readonly fixedSigma: number;
  private readonly outputCdf: boolean;
  private readonly callback: VpinBucketCallback | undefined;
  private readonly tick: TickRule | null;
  private readonly leeReady: LeeReady | null;
  private readonly ois: Float64Array;
  private readonly history: Float64Array;

  private lastTs = Number.NEGATIVE_INFINITY;
  private late = 0;
  // BVC bar.
  private barOpen = false;
  private barIndex = NaN;
  private barVolume = 0;
  private barClose = NaN;
  private firstPrice = NaN;
  private prevClose = NaN;
  private sigmaN = 0;
  private sigmaMean = 0;
  private sigmaM2 = 0;
  // Buckets.
  private fill = 0;
  private buy = 0;
  private sell = 0;
  private bucketCount = 0;
  private vpin = NaN;
  private cdfValue = NaN;

  constructor(options: VpinOptions) {
    checkOptionKeys('Vpin', options, [...Object.keys(DEFAULT_VPIN_OPTIONS), 'bucketVolume', 'dailyVolume', 'sigma', 'onBucket']);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('Vpin options', options, 'an object with bucketVolume or dailyVolume');
    }
    const o = { ...DEFAULT_VPIN_OPTIONS, ...options };
    if ((o.bucketVolume === undefined) === (o.dailyVolume === undefined)) {
      throw new InvalidOptionError('Vpin options', options, 'exactly one of bucketVolume and dailyVolume');
    }
    if (o.dailyVolume !== undefined) {
      this.capacity = positiveOption('dailyVolume', o.dailyVolume);
      this.scale = integerOption('bucketsPerDay', o.bucketsPerDay, 1);
    } else {
      this.capacity = positiveOption('bucketVolume', o.bucketVolume);
      this.scale = 1;
    }
    this.window = integerOption('window', o.window, 1);
    this.classification = oneOfOption('classification', o.classification, ['bvc', 'tick', 'leeReady', 'given'] as const);
    this.barMs = positiveOption('barMs', o.barMs);
    this.barOriginMs = finiteOption('barOriginMs', o.barOriginMs);
    this.fixedSigma = o.sigma === undefined ? NaN : nonNegativeOption('sigma', o.sigma);
    const cdfWindow = integerOption('cdfWindow', o.cdfWindow, 1);
    this.outputCdf = oneOfOption('output', o.output, ['vpin', 'cdf'] as const) === 'cdf';
    if (o.onBucket !== undefined && typeof o.onBucket !== 'function') {
      throw new InvalidOptionError('onBucket', o.onBucket, 'a function');
    }
    this.callback = o.onBucket;
    this.tick = this.classification === 'tick' ? new TickRule() : null;
    this.leeReady =
      this.classification === 'leeReady' ? new LeeReady({ quoteLagMs: o.quoteLagMs, priceTolerance: o.priceTolerance }) : null;
    this.ois = new Float64Array(this.window);
    this.history = new Float64Array(cdfWindow);
  }

  /** Record the best quotes (used by `'leeReady'`); also advances time (closes a finished BVC bar). */
  onQuote(ts: number, bid: number, ask: number): void {
    checkTs('Vpin.onQuote', ts);
    this.advance(ts);
    if (this.leeReady !== null) this.leeReady.onQuote(ts, bid, ask);
  }

  /** Record the best quotes of `book` at `book.ts`. */
  onBook(book: BookSnapshot): void {
    this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** Time has reached `ts`: close a BVC bar that ended before it. */
  advanceTo(ts: number): void {
    checkTs('Vpin.advanceTo', ts);
    this.advance(ts);
  }

  /**
   * Add one trade; returns VPIN (or its CDF), NaN until the first bucket completes.
   * @param side with `'given'`: the aggressor side (default `trade.side`, then 0); ignored otherwise
   */
  update(trade: Trade, side?: number): number {
    checkTrade('Vpin.update', trade);
    const ts = this.advance(trade.ts);
    const volume = trade.size * this.scale;
    switch (this.classification) {
      case 'bvc': {
        if (!this.barOpen) {
          this.barOpen = true;
          this.barIndex = Math.floor((ts - this.barOriginMs) / this.barMs);
          this.barVolume = 0;
        }
        if (!(this.firstPrice === this.firstPrice)) this.firstPrice = trade.price;
        this.barVolume += volume;
        this.barClose = trade.price;
        break;
      }
      case 'tick':
        this.pour(volume, fraction(this.tick!.classify(trade.price)));
        break;
      case 'leeReady':
        this.pour(volume, fraction(this.leeReady!.update(trade)));
        break;
      default:
        this.pour(volume, fraction(sideOf(trade, side)));
    }
    return this.outputCdf ? this.cdfValue : this.vpin;
  }

  /** End of stream: classify and pour the open BVC bar. The partial bucket stays partial. */
  flush(): void {
    if (this.barOpen) this.closeBar();
  }

  /** Clamp a late time; close the open bar if `ts` is past it. Returns the time used. */
  private advance(ts: number): number {
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    if (this.barOpen && Math.floor((ts - this.barOriginMs) / this.barMs) !== this.barIndex) this.closeBar();
    return ts;
  }

  private closeBar(): void {
    this.barOpen = false;
    const base = this.prevClose === this.prevClose ? this.prevClose : this.firstPrice;
    const dP = this.barClose - base;
    this.prevClose = this.barClose;
    // Running sample variance of the bar changes (Welford).
    const n = ++this.sigmaN;
    const d = dP - this.sigmaMean;
    this.sigmaMean += d / n;
    this.sigmaM2 += d * (dP - this.sigmaMean);
    this.pour(this.barVolume, Phi(dP, this.sigma));
  }

  /** Pour `volume` (scaled units) with buy fraction `f` into buckets, completing as many as it fills. */
  private pour(volume: number, f: number): void {
    const cap = this.capacity;
    while (volume > 0) {
      const room = cap - this.fill;
      if (volume < room) {
        this.fill += volume;
        this.buy += f * volume;
        this.sell += (1 - f) * volume;
        return;
      }
      this.buy += f * room;
      this.sell += (1 - f) * room;
      volume -= room;
      this.completeBucket(Math.abs(this.buy - this.sell) / cap);
      this.fill = 0;
      this.buy = 0;
      this.sell = 0;
    }
  }

  private completeBucket(oi: number): void {
    const w = this.window;
    this.ois[this.bucketCount % w] = oi;
    const k = ++this.bucketCount;
    const m = k < w ? k : w;
    let s = 0;
    for (let i = 0; i < m; i++) s += this.ois[i]!;
    const v = s / m;
    this.vpin = v;
    const h = this.history.length;
    this.history[(k - 1) % h] = v;
    const hm = k < h ? k : h;
    let below = 0;
    for (let i = 0; i < hm; i++) if (this.history[i]! <= v) below++;
    this.cdfValue = below / hm;
    if (this.callback !== undefined) this.callback(k, oi, v);
  }

  /** The sigma in use: the fixed one, or the running sample std (NaN below 2 bars). */
  get sigma(): number {
    if (this.fixedSigma === this.fixedSigma) return this.fixedSigma;
    return this.sigmaN < 2 ? NaN : Math.sqrt(this.sigmaM2 / (this.sigmaN - 1));
  }

  /** Current VPIN (NaN before the first bucket). */
  get value(): number {
    return this.vpin;
  }

  /** Empirical CDF of the current VPIN in its history (NaN before the first bucket). */
  get cdf(): number {
    return this.cdfValue;
  }

  /** Completed buckets. */
  get buckets(): number {
    return this.bucketCount;
  }

  /** Order imbalance of the last completed bucket (NaN before). */
  get lastOi(): number {
    return this.bucketCount === 0 ? NaN : this.ois[(this.bucketCount - 1) % this.window]!;
  }

  /** Volume in the partial bucket, in shares. */
  get partialVolume(): number {
    return this.fill / this.scale;
  }

  /** BVC bars closed so far. */
  get bars(): number {
    return this.sigmaN;
  }

  /** Late trades or quotes (processed at the latest time seen). */
  get lateEvents(): number {
    return this.late;
  }

  reset(): void {
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.late = 0;
    this.barOpen = false;
    this.barIndex = NaN;
    this.barVolume = 0;
    this.barClose = NaN;
    this.firstPrice = NaN;
    this.prevClose = NaN;
    this.sigmaN = 0;
    this.sigmaMean = 0;
    this.sigmaM2 = 0;
    this.fill = 0;
    this.buy = 0;
    this.sell = 0;
    this.bucketCount = 0;
    this.vpin = NaN;
    this.cdfValue = NaN;
    this.ois.fill(0);
    this.history.fill(0);
    this.tick?.reset();
    this.leeReady?.reset();
  }

  snapshot(): VpinState {
    return {
      type: 'Vpin',
      version: 1,
      lastTs: encodeNumber(this.lastTs),
      lateEvents: this.late,
      barOpen: this.barOpen,
      bar: encodeNumbers([this.barIndex, this.barVolume, this.barClose, this.firstPrice, this.prevClose]),
      sigmaStats: encodeNumbers([this.sigmaN, this.sigmaMean, this.sigmaM2]),
      bucket: encodeNumbers([this.fill, this.buy, this.sell]),
      buckets: this.bucketCount,
      ois: encodeNumbers(lastOf(this.ois, this.bucketCount)),
      history: encodeNumbers(lastOf(this.history, this.bucketCount)),
      vpin: encodeNumber(this.vpin),
      cdf: encodeNumber(this.cdfValue),
      classifier: this.leeReady?.snapshot() ?? this.tick?.snapshot() ?? null,
    };
  }

  restore(state: VpinState): void {
    checkState(state, 'Vpin', 1);
    const t = 'Vpin';
    const lastTs = stateNumber(t, 'lastTs', state.lastTs);
    const late = stateInteger(t, 'lateEvents', state.lateEvents);
    const barOpen = stateBoolean(t, 'barOpen', state.barOpen);
    const bar = stateNumbers(t, 'bar', state.bar, 5, 5);
    const sig = stateNumbers(t, 'sigmaStats', state.sigmaStats, 3, 3);
    const sigmaN = stateInteger(t, 'sigmaStats[0]', sig[0]);
    const bucket = stateNumbers(t, 'bucket', state.bucket, 3, 3);
    const k = stateInteger(t, 'buckets', state.buckets);
    const nOis = Math.min(k, this.window);
    const ois = stateNumbers(t, 'ois', state.ois, nOis, nOis);
    const nHist = Math.min(k, this.history.length);
    const history = stateNumbers(t, 'history', state.history, nHist, nHist);
    const vpin = stateNumber(t, 'vpin', state.vpin);
    const cdf = stateNumber(t, 'cdf', state.cdf);
    const classifier = this.leeReady ?? this.tick;
    if (classifier === null) {
      if (state.classifier !== null) throw new InvalidStateError(t, `classifier must be null for '${this.classification}'`);
    } else {
      classifier.restore(stateObject<LeeReadyState & TickRuleState>(t, 'classifier', state.classifier));
    }
    this.lastTs = lastTs;
    this.late = late;
    this.barOpen = barOpen;
    [this.barIndex, this.barVolume, this.barClose, this.firstPrice, this.prevClose] = bar as [number, number, number, number, number];
    this.sigmaN = sigmaN;
    this.sigmaMean = sig[1]!;
    this.sigmaM2 = sig[2]!;
    [this.fill, this.buy, this.sell] = bucket as [number, number, number];
    this.bucketCount = k;
    this.ois.fill(0);
    for (let i = 0; i < nOis; i++) this.ois[(k - nOis + i) % this.window] = ois[i]!;
    this.history.fill(0);
    for (let i = 0; i < nHist; i++) this.history[(k - nHist + i) % this.history.length] = history[i]!;
    this.vpin = vpin;
    this.cdfValue = cdf;
  }
}

/** Buy fraction of a trade signed `side`: 1, 0, or 0.5 when unknown. */
function fraction(side: number): number {
  return side > 0 ? 1 : side < 0 ? 0 : 0.5;
}

/** BVC buy fraction `Phi(dP / sigma)`, 0.5 when sigma is 0 or undefined. */
function Phi(dP: number, sigma: number): number {
  return sigma > 0 ? normalCdf(dP / sigma) : 0.5;
}

/** The last min(count, ring.length) values written round-robin into `ring`, oldest first. */
function lastOf(ring: Float64Array, count: number): number[] {
  const w = ring.length;
  const m = count < w ? count : w;
  const out: number[] = new Array(m);
  for (let i = 0; i < m; i++) out[i] = ring[(count - m + i) % w]!;
  return out;
}
