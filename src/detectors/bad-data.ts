import type { BookSnapshot, OrderEvent, Trade } from '../core/events.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption } from '../core/options.js';
import { BookIssue, BookValidator, type BookValidatorState } from '../book/validator.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumbers, stateObject } from './internal.js';

/**
 * Issue bits of trades and order events found by {@link BadData}, above the 12 {@link BookIssue} bits
 * so one bit set holds both.
 */
export const EventIssue = Object.freeze({
  /** A trade's or order event's `ts`, `price` or `size` is NaN or infinite. */
  NonFiniteField: 1 << 12,
  /** A trade's or order event's size is negative (or a trade's is 0). */
  BadSize: 1 << 13,
  /** A trade's or order event's price is <= 0 (halt events, which carry codes there, excepted). */
  BadPrice: 1 << 14,
  /** A trade's or order event's `ts` is before the latest `ts` of its stream. */
  TimeBackwards: 1 << 15,
} as const);

/** The book issues that are bad data by default: everything but Crossed, Locked, WideSpread and Stale. */
export const DEFAULT_BAD_BOOK_ISSUES =
  BookIssue.NonFinite |
  BookIssue.NegativePrice |
  BookIssue.NegativeSize |
  BookIssue.OutOfOrder |
  BookIssue.DuplicateLevel |
  BookIssue.ZeroSizeLevel |
  BookIssue.BadLevelCount |
  BookIssue.TimeBackwards;

/** Options of {@link BadData}. */
export interface BadDataOptions {
  /**
   * The {@link BookIssue} bits that count as bad data. Crossed and locked books are the
   * `crossedMarket` detector's; a wide spread and a stale book are market states.
   * @defaultValue {@link DEFAULT_BAD_BOOK_ISSUES}
   */
  bookIssues?: number;
  /**
   * After a signal, further bad events with no new issue bit give none for this long, ms.
   * @defaultValue 1000
   */
  cooldownMs?: number;
}

/** Defaults of {@link BadDataOptions}. */
export const DEFAULT_BAD_DATA_OPTIONS: Readonly<Required<BadDataOptions>> = Object.freeze({
  bookIssues: DEFAULT_BAD_BOOK_ISSUES,
  cooldownMs: 1000,
});

/** State of a {@link BadData}. */
export interface BadDataState extends BaseDetectorState {
  readonly type: 'BadData';
  readonly version: 1;
  /** `[lastFire, recentBits, tradeTs, orderTs, badEvents, lastIssues]`. */
  readonly values: ReadonlyArray<number | string>;
  readonly validator: BookValidatorState;
}

/**
 * Bad data: book snapshots the {@link BookValidator} flags, and trades or order events with
 * impossible fields or time going backwards.
 *
 * ```text
 * book:  bits = validator.validate(book) & bookIssues        (NaN, negative price or size, levels out
 *                                                             of order, duplicate or empty levels, a
 *                                                             bad level count, time going backwards)
 * trade: NonFiniteField | BadSize (size <= 0) | BadPrice (price <= 0) | TimeBackwards
 * order: NonFiniteField | BadSize (size < 0)  | BadPrice (price <= 0, not for halts) | TimeBackwards
 * fires on a bad event unless one fired within cooldownMs and the event shows no new bit
 * ```
 *
 * Every bad event is counted (`badEvents`); signals are rate-limited so a broken feed raises one alert
 * a second, not one per message. A surveillance system that trusts corrupt data raises false alerts
 * (a NaN size is not a liquidity gap): see the validator's docs for the bits.
 *
 * - Input: books, trades, order events. Output: a {@link Signal} (`kind: 'badData'`, `side` 0,
 *   `price` the event's price (NaN for books), `score` = the number of issue bits, evidence `issues`
 *   (the bit set), `source` (1 book, 2 trade, 3 order)), `'critical'` when time went backwards or a
 *   value is not finite, `'warning'` otherwise.
 * - No warm-up. Time: trades and order events are checked against the latest `ts` of their own
 *   stream, books by the validator.
 * - Cannot see: plausible wrong values (a price off by one tick, a size that is merely wrong).
 *
 * @example
 * ```ts
 * const d = new BadData();
 * d.onBook(bookFromLevels([[100, 5]], [[100.01, 5]], { ts: 0 }));                   // null
 * d.onBook(bookFromLevels([[100, -5]], [[100.01, 5]], { ts: 1 }))?.evidence.issues; // 4 (NegativeSize)
 * ```
 */
export class BadData extends BaseDetector<BadDataState> {
  readonly kind = 'badData';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade | DetectorInput.Order;
  private readonly bookIssues: number;
  private readonly cooldownMs: number;
  private readonly validator: BookValidator;
  private lastFire = Number.NEGATIVE_INFINITY;
  private recentBits = 0;
  private tradeTs = Number.NEGATIVE_INFINITY;
  private orderTs = Number.NEGATIVE_INFINITY;
  private badN = 0;
  private lastBits = 0;

  constructor(options: BadDataOptions = {}) {
    super();
    checkOptionKeys('BadData', options, Object.keys(DEFAULT_BAD_DATA_OPTIONS));
    const o = { ...DEFAULT_BAD_DATA_OPTIONS, ...options };
    this.bookIssues = integerOption('bookIssues', o.bookIssues, 0, 0xfff);
    this.cooldownMs = nonNegativeOption('cooldownMs', o.cooldownMs);
    this.validator = new BookValidator({
      maxSpreadFraction: Infinity,
      staleAfterMs: (this.bookIssues & BookIssue.Stale) !== 0 ? 60_000 : Infinity,
    });
  }

  /** Bad events seen (each counted once, whether it fired or not). */
  get badEvents(): number {
    return this.badN;
  }

  /** The issue bits of the last event (0 when clean): {@link BookIssue} and {@link EventIssue} bits. */
  get lastIssues(): number {
    return this.lastBits;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const bits = this.validator.validate(book) & this.bookIssues;
    const t = this.clock(book.ts);
    return this.report(t, bits, NaN, 1);
  }

  override onTrade(trade: Trade): Signal | null {
    const ts = trade.ts;
    const price = trade.price;
    const size = trade.size;
    let bits = 0;
    if (ts - ts !== 0 || price - price !== 0 || size - size !== 0) bits |= EventIssue.NonFiniteField;
    if (!(size > 0) && size === size) bits |= EventIssue.BadSize;
    if (!(price > 0) && price === price) bits |= EventIssue.BadPrice;
    if (ts < this.tradeTs) bits |= EventIssue.TimeBackwards;
    else if (ts - ts === 0) this.tradeTs = ts;
    const t = this.clock(ts);
    return this.report(t, bits, price, 2);
  }

  override onOrder(order: OrderEvent): Signal | null {
    const ts = order.ts;
    const price = order.price;
    const size = order.size;
    let bits = 0;
    if (ts - ts !== 0 || price - price !== 0 || size - size !== 0) bits |= EventIssue.NonFiniteField;
    if (size < 0) bits |= EventIssue.BadSize;
    if (price <= 0 && order.kind !== 'halt') bits |= EventIssue.BadPrice;
    if (ts < this.orderTs) bits |= EventIssue.TimeBackwards;
    else if (ts - ts === 0) this.orderTs = ts;
    const t = this.clock(ts);
    return this.report(t, bits, price, 3);
  }

  private report(t: number, bits: number, price: number, source: number): Signal | null {
    this.lastBits = bits;
    if (bits === 0) return null;
    this.badN++;
    if (t - this.lastFire < this.cooldownMs && (bits & ~this.recentBits) === 0) return null;
    if (t - this.lastFire >= this.cooldownMs) this.recentBits = 0;
    this.recentBits |= bits;
    this.lastFire = t;
    const severe = (bits & (BookIssue.NonFinite | BookIssue.TimeBackwards | EventIssue.NonFiniteField | EventIssue.TimeBackwards)) !== 0;
    let count = 0;
    for (let b = bits; b !== 0; b &= b - 1) count++;
    return this.signal(t, severe ? 'critical' : 'warning', 0, price, count, { issues: bits, source });
  }

  reset(): void {
    this.resetBase();
    this.validator.reset();
    this.lastFire = Number.NEGATIVE_INFINITY;
    this.recentBits = 0;
    this.tradeTs = Number.NEGATIVE_INFINITY;
    this.orderTs = Number.NEGATIVE_INFINITY;
    this.badN = 0;
    this.lastBits = 0;
  }

  snapshot(): BadDataState {
    return {
      type: 'BadData',
      version: 1,
      clock: this.baseState(),
      values: encodeList([this.lastFire, this.recentBits, this.tradeTs, this.orderTs, this.badN, this.lastBits]),
      validator: this.validator.snapshot(),
    };
  }

  restore(state: BadDataState): void {
    checkState(state, 'BadData', 1);
    const v = stateNumbers('BadData', 'values', state.values, 6, 6);
    this.validator.restore(stateObject<BookValidatorState>('BadData', 'validator', state.validator));
    this.restoreBase('BadData', state.clock);
    [this.lastFire, this.recentBits, this.tradeTs, this.orderTs, this.badN, this.lastBits] = v as [number, number, number, number, number, number];
  }
}
