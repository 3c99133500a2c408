import type { BookSnapshot } from '../core/events.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, nonNegativeOption } from '../core/options.js';
import { BookIssue, BookValidator } from '../book/validator.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumbers } from './internal.js';

/** Options of {@link CrossedMarket}. */
export interface CrossedMarketOptions {
  /**
   * Whether a locked book (best bid == best ask) is acceptable (then only crossed books fire).
   * @defaultValue false
   */
  allowLocked?: boolean;
  /**
   * How long the book must stay locked or crossed before it fires, ms (0: on the first such book).
   * @defaultValue 0
   */
  minDurationMs?: number;
}

/** Defaults of {@link CrossedMarketOptions}. */
export const DEFAULT_CROSSED_MARKET_OPTIONS: Readonly<Required<CrossedMarketOptions>> = Object.freeze({
  allowLocked: false,
  minDurationMs: 0,
});

/** State of a {@link CrossedMarket}. */
export interface CrossedMarketState extends BaseDetectorState {
  readonly type: 'CrossedMarket';
  readonly version: 1;
  /** `[episodeStart, level fired in the episode (0 none, 1 locked, 2 crossed)]`. */
  readonly values: ReadonlyArray<number | string>;
}

/**
 * Crossed or locked market: the best bid at or above the best ask, as the {@link BookValidator}
 * reports it (`BookIssue.Crossed`, `BookIssue.Locked`).
 *
 * ```text
 * locked:  best bid == best ask      crossed: best bid > best ask     (both sides present, finite)
 * fires when a locked or crossed episode has lasted minDurationMs, and again if a locked episode
 * becomes crossed; an episode ends at the first book that is neither
 * ```
 *
 * On one venue's book a crossed state is impossible by matching rules, so it means bad data (a missed
 * delete, a feed gap) or a consolidated book across venues (Reg NMS forbids locking and crossing
 * protected quotes; see Shkilko, Van Ness & Van Ness 2012, "Locked and crossed markets on NASDAQ and
 * the NYSE", Journal of Financial Markets 15(3)). Locked is not crossed (NautilusTrader's convention).
 *
 * - Input: books. Output: a {@link Signal} (`kind: 'crossedMarket'`, `side` 0, `price` the best bid,
 *   `score` = (bid - ask) / mid in bps (0 when locked), evidence `bestBid, bestAsk, crossed`
 *   (1 crossed, 0 locked), `durationMs`), `'critical'` when crossed, `'warning'` when locked.
 * - No warm-up. `onBook(book, issues)` takes the bits of a validator the caller already ran (else it
 *   runs its own `check`).
 * - Cannot see: which side is wrong; on L2 data, whether the cross is a missed message.
 *
 * @example
 * ```ts
 * const d = new CrossedMarket();
 * d.onBook(bookFromLevels([[100, 5]], [[100.01, 5]], { ts: 0 }));           // null
 * d.onBook(bookFromLevels([[100.02, 5]], [[100.01, 5]], { ts: 1 }))?.severity; // 'critical'
 * d.onBook(bookFromLevels([[100.02, 5]], [[100.01, 5]], { ts: 2 }));           // null (same episode)
 * ```
 */
export class CrossedMarket extends BaseDetector<CrossedMarketState> {
  readonly kind = 'crossedMarket';
  readonly inputs = DetectorInput.Book;
  private readonly allowLocked: boolean;
  private readonly minDurationMs: number;
  private readonly validator: BookValidator;
  private episodeStart = NaN;
  private firedLevel = 0;

  constructor(options: CrossedMarketOptions = {}) {
    super();
    checkOptionKeys('CrossedMarket', options, Object.keys(DEFAULT_CROSSED_MARKET_OPTIONS));
    const o = { ...DEFAULT_CROSSED_MARKET_OPTIONS, ...options };
    this.allowLocked = o.allowLocked === true;
    this.minDurationMs = nonNegativeOption('minDurationMs', o.minDurationMs);
    this.validator = new BookValidator({ allowLocked: this.allowLocked, staleAfterMs: Infinity, maxSpreadFraction: Infinity, checkTime: false });
  }

  /**
   * Read one book. `issues`: the bits of a {@link BookValidator} run on this book by the caller
   * (omit it, or pass -1, to run the detector's own check).
   */
  override onBook(book: BookSnapshot, issues = -1): Signal | null {
    const t = this.clock(book.ts);
    const bits = issues >= 0 ? issues : this.validator.check(book);
    const level = (bits & BookIssue.Crossed) !== 0 ? 2 : (bits & BookIssue.Locked) !== 0 && !this.allowLocked ? 1 : 0;
    if (level === 0) {
      this.episodeStart = NaN;
      this.firedLevel = 0;
      return null;
    }
    if (!(this.episodeStart === this.episodeStart)) this.episodeStart = t;
    const duration = t - this.episodeStart;
    if (level <= this.firedLevel || duration < this.minDurationMs) return null;
    this.firedLevel = level;
    const bid = book.bidPx[0]!;
    const ask = book.askPx[0]!;
    const mid = (bid + ask) / 2;
    return this.signal(t, level === 2 ? 'critical' : 'warning', 0, bid, ((bid - ask) / mid) * 1e4, {
      bestBid: bid,
      bestAsk: ask,
      crossed: level === 2 ? 1 : 0,
      durationMs: duration,
    });
  }

  reset(): void {
    this.resetBase();
    this.episodeStart = NaN;
    this.firedLevel = 0;
  }

  snapshot(): CrossedMarketState {
    return { type: 'CrossedMarket', version: 1, clock: this.baseState(), values: encodeList([this.episodeStart, this.firedLevel]) };
  }

  restore(state: CrossedMarketState): void {
    checkState(state, 'CrossedMarket', 1);
    const v = stateNumbers('CrossedMarket', 'values', state.values, 2, 2);
    this.restoreBase('CrossedMarket', state.clock);
    [this.episodeStart, this.firedLevel] = v as [number, number];
  }
}
