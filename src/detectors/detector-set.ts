import { SIGNAL_KINDS } from '../alerts/kinds.js';
import type { BookSnapshot, MarketEvent, OrderEvent, Trade } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, type OperatorState } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';
import { BookIssue, BookValidator } from '../book/validator.js';
import { RapidTrading, type RapidTradingOptions } from '../trades/rapid-trading.js';
import type { Signal } from '../trades/signal.js';
import { UnusualSize, type UnusualSizeOptions } from '../trades/unusual-size.js';
import { BadData, type BadDataOptions, DEFAULT_BAD_BOOK_ISSUES } from './bad-data.js';
import { CrossedMarket, type CrossedMarketOptions } from './crossed-market.js';
import { DepthShock, type DepthShockOptions } from './depth-shock.js';
import { type Detector, DetectorInput } from './detector.js';
import { FlashCrash, type FlashCrashOptions } from './flash-crash.js';
import { HeavyImbalance, type HeavyImbalanceOptions } from './heavy-imbalance.js';
import { Iceberg, type IcebergOptions } from './iceberg.js';
import { stateNumber, stateNumbers, stateObject } from './internal.js';
import { Layering, type LayeringOptions } from './layering.js';
import { LiquidityGap, type LiquidityGapOptions } from './liquidity-gap.js';
import { MomentumIgnition, type MomentumIgnitionOptions } from './momentum-ignition.js';
import { QuoteStuffing, type QuoteStuffingOptions } from './quote-stuffing.js';
import { Spoofing, type SpoofingOptions } from './spoofing.js';
import { TradeDetector } from './trade-detector.js';
import { WashTrading, type WashTradingOptions } from './wash-trading.js';

/**
 * Options of {@link DetectorSet}: per detector (by signal kind) its options, or `false` to leave it
 * out. Every detector is in by default, with its own defaults.
 */
export interface DetectorSetOptions {
  liquidityGap?: LiquidityGapOptions | false;
  spoofing?: SpoofingOptions | false;
  layering?: LayeringOptions | false;
  quoteStuffing?: QuoteStuffingOptions | false;
  depthShock?: DepthShockOptions | false;
  momentumIgnition?: MomentumIgnitionOptions | false;
  washTrading?: WashTradingOptions | false;
  iceberg?: IcebergOptions | false;
  heavyImbalance?: HeavyImbalanceOptions | false;
  flashCrash?: FlashCrashOptions | false;
  crossedMarket?: CrossedMarketOptions | false;
  badData?: BadDataOptions | false;
  unusualSize?: UnusualSizeOptions | false;
  rapidTrading?: RapidTradingOptions | false;
  /** More detectors (a user's own), run after the built-in ones. Their kinds must be unique. */
  extra?: readonly Detector[];
}

/** The detector kinds of a {@link DetectorSet}, in the order it runs them: the alert kinds. */
export const DETECTOR_KINDS = SIGNAL_KINDS;

/** One of {@link DETECTOR_KINDS}. */
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

/** Counts of a {@link DetectorSet} (see {@link DetectorSet.stats}). */
export interface DetectorSetStats {
  /** Events read, by type. */
  events: { book: number; trade: number; order: number };
  /** Events kept from the market detectors (given to `badData` and `crossedMarket` only), by type. */
  quarantined: { book: number; trade: number; order: number };
  /** Signals returned, by kind. */
  signals: Record<string, number>;
}

/** State of a {@link DetectorSet}. */
export interface DetectorSetState extends OperatorState {
  readonly type: 'DetectorSet';
  readonly version: 1;
  /** `[lastTs, events book, trade, order, quarantined book, trade, order]`. */
  readonly values: ReadonlyArray<number | string>;
  /** Each detector's state, by kind. */
  readonly detectors: Readonly<Record<string, OperatorState>>;
}

/**
 * The trade detectors see the prints of one aggressive run merged: same side, within this many ms of
 * the run's first print (see `TradeDetectorOptions.mergeWithinMs`). One millisecond: fills of one
 * marketable order, or of a router's child orders sweeping one price, print microseconds apart on
 * real feeds (LOBSTER's GOOG day: a dozen hidden executions at one price within 0.5 ms); independent
 * decisions are rarely that close.
 */
export const TRADE_PRINT_MERGE_MS = 1;
/**
 * One call site per detector slot, for each input. A loop `ds[i].onBook(book)` is ONE call site that
 * sees a dozen detector classes: V8 makes it megamorphic, looks the method up by name on every call
 * and inlines nothing. Each arrow below is a function of its own, with its own type feedback, so the
 * call inside it sees one class and is inlined; the loop then only calls a known function. Measured
 * on the dev day: about 100 ns a row less for the default set. Slots past these lists (more
 * detectors of one input than there are arrows) share the generic caller.
 */
type BookCaller = (d: Detector, book: BookSnapshot) => Signal | null;
type TradeCaller = (d: Detector, trade: Trade) => Signal | null;
type OrderCaller = (d: Detector, order: OrderEvent) => Signal | null;
// prettier-ignore
const BOOK_CALLERS: readonly BookCaller[] = [
  (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x),
  (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x),
  (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x), (d, x) => d.onBook(x),
];
// prettier-ignore
const TRADE_CALLERS: readonly TradeCaller[] = [
  (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x),
  (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x),
  (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x), (d, x) => d.onTrade(x),
];
// prettier-ignore
const ORDER_CALLERS: readonly OrderCaller[] = [
  (d, x) => d.onOrder(x), (d, x) => d.onOrder(x), (d, x) => d.onOrder(x), (d, x) => d.onOrder(x),
  (d, x) => d.onOrder(x), (d, x) => d.onOrder(x), (d, x) => d.onOrder(x), (d, x) => d.onOrder(x),
];
const genericBook: BookCaller = (d, x) => d.onBook(x);
const genericTrade: TradeCaller = (d, x) => d.onTrade(x);
const genericOrder: OrderCaller = (d, x) => d.onOrder(x);

/** The caller of each slot: its own arrow while there are arrows, then the generic one. */
function callers<C>(n: number, own: readonly C[], generic: C): readonly C[] {
  const out: C[] = [];
  for (let i = 0; i < n; i++) out.push(own[i] ?? generic);
  return out;
}

/** Book issues that keep a book from the market detectors (bad data, and crossed books). */
const QUARANTINE_BOOK = (DEFAULT_BAD_BOOK_ISSUES & ~BookIssue.TimeBackwards) | BookIssue.Crossed;
/**
 * The bits the set's own check can report (its validator ignores time, spread width and locked
 * books): a caller's bits are masked to these, so that both give the same result. A non-finite `ts`
 * is left to the time check.
 */
const SET_CHECK_BITS =
  BookIssue.NonFinite | BookIssue.NegativePrice | BookIssue.NegativeSize | BookIssue.Crossed | BookIssue.OutOfOrder | BookIssue.DuplicateLevel | BookIssue.ZeroSizeLevel | BookIssue.BadLevelCount;

/**
 * All the detectors, fed from one stream: `update(event)` fans a `MarketEvent` out to every detector
 * that reads its type and returns the signals they raised (a reused array, empty when none fired;
 * no allocation then).
 *
 * **Quarantine policy** (documented, counted): an event that is bad data goes to `badData` (and a
 * crossed book to `crossedMarket`) but not to the market detectors, whose baselines it would poison
 * or whose inputs it would break:
 * - a book whose snapshot the validator flags `NonFinite`, `NegativePrice`, `NegativeSize`,
 *   `OutOfOrder`, `DuplicateLevel`, `ZeroSizeLevel`, `BadLevelCount` or `Crossed` (locked books pass);
 * - a trade or order event with a non-finite `ts`, `price` or `size`, a negative size, or a trade of
 *   price <= 0;
 * - any event whose `ts` is before the latest `ts` the set has seen (time going backwards).
 * Counted in `stats().quarantined` by type.
 *
 * The set holds the detectors of `src/detectors` and, wrapped in a {@link TradeDetector} that merges
 * the prints of one aggressive run into one trade (`aggregatePrints`, same side within
 * {@link TRADE_PRINT_MERGE_MS} of the run's first print), the trade detectors
 * `UnusualSize` and `RapidTrading` of `src/trades`; `extra` adds a user's own.
 *
 * @example
 * ```ts
 * const set = new DetectorSet();
 * const sim = new MarketSimulator({ seed: 1, scenarios: ['spoofing'] });
 * for (const event of sim.events(600_000)) {
 *   for (const signal of set.update(event)) console.log(signal.kind, signal.ts - 34_200_000);
 * }
 * // spoofing 64119.2...   (the episode from 60.0 s to 66.0 s)
 * // spoofing 340080.0...  (the one from 336.8 s to 342.8 s)
 * set.stats().signals.spoofing; // 2
 * ```
 */
export class DetectorSet {
  /** The detectors, in the order they run. */
  readonly detectors: readonly Detector[];
  private readonly books: readonly Detector[];
  private readonly trades: readonly Detector[];
  private readonly orders: readonly Detector[];
  private readonly bookCallers: readonly BookCaller[];
  private readonly tradeCallers: readonly TradeCaller[];
  private readonly orderCallers: readonly OrderCaller[];
  private readonly badData: BadData | null;
  private readonly crossed: CrossedMarket | null;
  private readonly validator = new BookValidator({ maxSpreadFraction: Infinity, staleAfterMs: Infinity, checkTime: false, allowLocked: true });
  private readonly out: Signal[] = [];
  private lastTs = Number.NEGATIVE_INFINITY;
  /** `[events book, trade, order, quarantined book, trade, order]`. */
  private readonly counts = new Float64Array(6);

  constructor(options: DetectorSetOptions = {}) {
    checkOptionKeys('DetectorSet', options, [...DETECTOR_KINDS, 'extra']);
    const o = options;
    const list: Detector[] = [];
    const add = <T>(key: DetectorKind, make: (opts: T) => Detector) => {
      const v = o[key] as T | false | undefined;
      if (v === false) return;
      if (v !== undefined && (v === null || typeof v !== 'object')) throw new InvalidOptionError(`DetectorSet.${key}`, v, 'an options object or false');
      list.push(make((v ?? {}) as T));
    };
    add<LiquidityGapOptions>('liquidityGap', (x) => new LiquidityGap(x));
    add<SpoofingOptions>('spoofing', (x) => new Spoofing(x));
    add<LayeringOptions>('layering', (x) => new Layering(x));
    add<QuoteStuffingOptions>('quoteStuffing', (x) => new QuoteStuffing(x));
    add<DepthShockOptions>('depthShock', (x) => new DepthShock(x));
    add<MomentumIgnitionOptions>('momentumIgnition', (x) => new MomentumIgnition(x));
    add<WashTradingOptions>('washTrading', (x) => new WashTrading(x));
    add<IcebergOptions>('iceberg', (x) => new Iceberg(x));
    add<HeavyImbalanceOptions>('heavyImbalance', (x) => new HeavyImbalance(x));
    add<FlashCrashOptions>('flashCrash', (x) => new FlashCrash(x));
    add<CrossedMarketOptions>('crossedMarket', (x) => new CrossedMarket(x));
    add<BadDataOptions>('badData', (x) => new BadData(x));
    add<UnusualSizeOptions>('unusualSize', (x) => new TradeDetector('unusualSize', new UnusualSize(x), { aggregatePrints: true, mergeWithinMs: TRADE_PRINT_MERGE_MS }));
    add<RapidTradingOptions>('rapidTrading', (x) => new TradeDetector('rapidTrading', new RapidTrading(x), { aggregatePrints: true, mergeWithinMs: TRADE_PRINT_MERGE_MS }));
    const extra = o.extra ?? [];
    if (!Array.isArray(extra)) throw new InvalidOptionError('DetectorSet.extra', extra, 'an array of detectors');
    for (const d of extra) list.push(d);
    const kinds = new Set<string>();
    for (const d of list) {
      if (kinds.has(d.kind)) throw new InvalidOptionError('DetectorSet.extra', d.kind, 'detectors of distinct kinds');
      kinds.add(d.kind);
    }
    this.detectors = Object.freeze(list);
    this.badData = (list.find((d) => d instanceof BadData) as BadData | undefined) ?? null;
    this.crossed = (list.find((d) => d instanceof CrossedMarket) as CrossedMarket | undefined) ?? null;
    const market = list.filter((d) => d !== this.badData && d !== this.crossed);
    // plain (not frozen) arrays: V8's optimized code reads frozen arrays' elements through a generic IC
    this.books = market.filter((d) => (d.inputs & DetectorInput.Book) !== 0);
    this.trades = market.filter((d) => (d.inputs & DetectorInput.Trade) !== 0);
    this.orders = market.filter((d) => (d.inputs & DetectorInput.Order) !== 0);
    this.bookCallers = callers(this.books.length, BOOK_CALLERS, genericBook);
    this.tradeCallers = callers(this.trades.length, TRADE_CALLERS, genericTrade);
    this.orderCallers = callers(this.orders.length, ORDER_CALLERS, genericOrder);
  }

  /** The detector of `kind`, or undefined. */
  get(kind: string): Detector | undefined {
    return this.detectors.find((d) => d.kind === kind);
  }

  /**
   * Read one event; returns the signals raised (a reused array: read it before the next call, copy it
   * to keep it). Empty when nothing fired.
   */
  update(event: MarketEvent): readonly Signal[] {
    switch (event.type) {
      case 'book':
        return this.onBook(event.book);
      case 'trade':
        return this.onTrade(event.trade);
      case 'order':
        return this.onOrder(event.order);
      default:
        if (this.out.length !== 0) this.out.length = 0;
        return this.out;
    }
  }

  /**
   * Read one book (see {@link update}). `issues`: the bits a {@link BookValidator} found on this very
   * book (`validate` or `check`, not `sanitize`'s, which describe the book before repair), when the
   * caller validated it already; the set then does not check it again (the engine passes its own).
   */
  onBook(book: BookSnapshot, issues?: number): readonly Signal[] {
    const out = this.out;
    if (out.length !== 0) out.length = 0;
    this.counts[0]!++;
    const bits = issues === undefined ? this.validator.check(book) : issues & SET_CHECK_BITS;
    if (this.badData !== null) push(out, this.badData.onBook(book));
    if (this.crossed !== null) push(out, this.crossed.onBook(book, bits));
    if ((bits & QUARANTINE_BOOK) !== 0 || !this.inTime(book.ts)) {
      this.counts[3]!++;
      return out;
    }
    const ds = this.books;
    const call = this.bookCallers;
    for (let i = 0; i < ds.length; i++) push(out, call[i]!(ds[i]!, book));
    return out;
  }

  /** Read one trade (see {@link update}). */
  onTrade(trade: Trade): readonly Signal[] {
    const out = this.out;
    if (out.length !== 0) out.length = 0;
    this.counts[1]!++;
    if (this.badData !== null) push(out, this.badData.onTrade(trade));
    const ts = trade.ts;
    const price = trade.price;
    const size = trade.size;
    if (!(price > 0 && size >= 0 && price !== Number.POSITIVE_INFINITY && size !== Number.POSITIVE_INFINITY) || !this.inTime(ts)) {
      this.counts[4]!++;
      return out;
    }
    const ds = this.trades;
    const call = this.tradeCallers;
    for (let i = 0; i < ds.length; i++) push(out, call[i]!(ds[i]!, trade));
    return out;
  }

  /** Read one L3 order event (see {@link update}). */
  onOrder(order: OrderEvent): readonly Signal[] {
    const out = this.out;
    if (out.length !== 0) out.length = 0;
    this.counts[2]!++;
    if (this.badData !== null) push(out, this.badData.onOrder(order));
    const price = order.price;
    const size = order.size;
    if (!(price - price === 0 && size >= 0 && size !== Number.POSITIVE_INFINITY) || !this.inTime(order.ts)) {
      this.counts[5]!++;
      return out;
    }
    const ds = this.orders;
    const call = this.orderCallers;
    for (let i = 0; i < ds.length; i++) push(out, call[i]!(ds[i]!, order));
    return out;
  }

  /** Whether `ts` is finite and not before the latest seen (then it becomes the latest). */
  private inTime(ts: number): boolean {
    if (!(ts >= this.lastTs) || ts - ts !== 0) return false;
    this.lastTs = ts;
    return true;
  }

  /** Counts since construction or `reset()` (allocates). */
  stats(): DetectorSetStats {
    const c = this.counts;
    const signals: Record<string, number> = {};
    for (const d of this.detectors) signals[d.kind] = d.fired;
    return {
      events: { book: c[0]!, trade: c[1]!, order: c[2]! },
      quarantined: { book: c[3]!, trade: c[4]!, order: c[5]! },
      signals,
    };
  }

  reset(): void {
    for (const d of this.detectors) d.reset();
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.counts.fill(0);
    this.out.length = 0;
  }

  snapshot(): DetectorSetState {
    const detectors: Record<string, OperatorState> = {};
    for (const d of this.detectors) detectors[d.kind] = d.snapshot();
    return { type: 'DetectorSet', version: 1, values: [encodeNumber(this.lastTs), ...this.counts], detectors };
  }

  restore(state: DetectorSetState): void {
    checkState(state, 'DetectorSet', 1);
    const v = stateNumbers('DetectorSet', 'values', state.values, 7, 7);
    const states = stateObject<Record<string, OperatorState>>('DetectorSet', 'detectors', state.detectors);
    for (const d of this.detectors) {
      if (!(d.kind in states)) throw new InvalidStateError('DetectorSet', `no state for detector ${JSON.stringify(d.kind)}`);
    }
    for (const d of this.detectors) d.restore(states[d.kind]!);
    this.lastTs = stateNumber('DetectorSet', 'values[0]', state.values[0]);
    this.counts.set(v.slice(1));
  }
}

function push(out: Signal[], s: Signal | null): void {
  if (s !== null) out.push(s);
}
