import { booksEqual, createBook } from '../core/book.js';
import { InvalidStateError } from '../core/errors.js';
import type { BookSnapshot, OrderEvent } from '../core/events.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';
import type { ResyncReasonCounts } from './l2-book.js';
import { L3OrderBook, type L3OrderBookState, type L3OrderBookStats, type L3SizePolicy } from './l3-order-book.js';

/**
 * One row of a LOBSTER replay, as `readLobster` (microstructure/node) yields it: message `index`
 * (0-based), its order event, and the book **after** the message. Only these fields are read; the
 * row may be a reused ("borrowed") object: nothing of it is kept.
 */
export interface LobsterReplayRow {
  readonly index: number;
  readonly order: OrderEvent;
  readonly book: BookSnapshot;
}

/** Options of {@link LobsterL3Replay}. */
export interface LobsterL3ReplayOptions {
  /**
   * Initial order pool size of the inner {@link L3OrderBook}.
   * @defaultValue 1024
   */
  readonly initialOrders?: number;
  /**
   * Initial level pool size of the inner {@link L3OrderBook}.
   * @defaultValue 64
   */
  readonly initialLevels?: number;
  /**
   * Size policy of the inner {@link L3OrderBook}. `'levels'` makes every level follow each message's
   * size exactly, as an L2 delta would, attributing what a known order does not cover to synthetic
   * volume and then to other orders; `'orders'` acts on the named order only, which loses volume where
   * a resync guessed which orders left a level.
   * @defaultValue 'levels'
   */
  readonly sizePolicy?: L3SizePolicy;
}

/** Defaults of {@link LobsterL3ReplayOptions}. */
export const DEFAULT_LOBSTER_L3_REPLAY_OPTIONS: Readonly<Required<LobsterL3ReplayOptions>> = Object.freeze({
  /** @defaultValue 1024 */
  initialOrders: 1024,
  /** @defaultValue 64 */
  initialLevels: 64,
  /** @defaultValue 'levels' */
  sizePolicy: 'levels',
});

/** Result of a {@link LobsterL3Replay}. */
export interface LobsterL3ReplayStats {
  /** Rows seen (the seeding row included). */
  rows: number;
  /** Rows compared with the book rebuilt from messages (every row after the first). */
  rowsCompared: number;
  /** Compared rows the rebuilt book reproduced exactly, before any resync. */
  rowsMatched: number;
  /** `rowsMatched / rowsCompared` (NaN before a row was compared). */
  shareMatched: number;
  /** Rows that needed a resync (`rowsCompared - rowsMatched`). */
  resyncs: number;
  /** Levels changed by the resyncs. */
  levelsCorrected: number;
  /** Resyncs by reason (see `ResyncReason`). */
  resyncsByReason: ResyncReasonCounts;
  /** Index of the first row needing a resync, -1 if none. */
  firstResyncRow: number;
  /** Rows whose visible levels the book did not equal after the resync (0 unless something is broken). */
  rowsUnequalAfterResync: number;
  /** The inner book's counters (unknown orders, synthetic volume, live orders, ...). */
  book: L3OrderBookStats;
}

/** State of a {@link LobsterL3Replay}. */
export interface LobsterL3ReplayState extends OperatorState {
  readonly type: 'LobsterL3Replay';
  readonly version: 1;
  readonly rows: number;
  readonly rowsMatched: number;
  readonly firstResyncRow: number;
  readonly rowsUnequalAfterResync: number;
  readonly book: L3OrderBookState;
}

/**
 * Rebuild a LOBSTER day's order book from its messages with an {@link L3OrderBook}, checked against its
 * order-book file row by row, resyncing where the messages cannot know the book.
 *
 * A LOBSTER message file only carries events inside the visible depth L, so a level that enters the
 * visible window from beyond it (after a visible level is removed) appears in the order-book file with
 * no message. Procedure, per row (`update(row)`):
 * - row 0: seed the book from its levels (one synthetic aggregate order per level; message 0's book
 *   before it is unknown);
 * - row n >= 1: apply message n, compare the book's best L levels with row n (`rowsMatched` when equal),
 *   else resync to row n ({@link L3OrderBook.resyncFrom}: differing visible levels replaced with
 *   synthetic volume, deeper known levels kept), then check the book now equals row n.
 *
 * Orders placed before the file starts are unknown ids: their cancels / deletes / executions take their
 * size from the synthetic volume at their level (counted in `book.unknownOrders`). Keeping the levels
 * beyond depth L is what makes it beat the reference's one-step L2 replay (69.95% on the dev day);
 * stale deep levels (changed by unseen messages while beyond depth) cause the remaining resyncs. With
 * the default `sizePolicy: 'levels'` its level totals follow the messages as the reference's
 * sequential L2 rebuild does, and it matches the same 95.75% of the dev day's rows.
 *
 * `update` returns whether the row was reproduced without a resync (`true` for the seeding row).
 * Allocates nothing per row (one scratch snapshot per depth). No file access: feed it rows from
 * `readLobster` (microstructure/node) or any other reader.
 *
 * Reference: `book_consistency` in ../shared/data/reference/README.md (one-step and
 * sequential-retain-deep-levels rebuilds, the same mismatch reasons).
 *
 * @example
 * ```ts
 * const replay = new LobsterL3Replay();
 * for await (const row of readLobster(messageFile)) replay.update(row);
 * replay.stats().shareMatched; // 0.9575499442247236 on the GOOG 2012-06-21 dev day
 * ```
 */
export class LobsterL3Replay implements Operator<LobsterReplayRow, boolean, LobsterL3ReplayState> {
  /** The book rebuilt from the messages (read it, do not drive it directly). */
  readonly book: L3OrderBook;
  private rows = 0;
  private matched = 0;
  private firstResync = -1;
  private unequal = 0;
  private scratch: BookSnapshot | null = null;

  constructor(options: LobsterL3ReplayOptions = {}) {
    checkOptionKeys('LobsterL3Replay', options, ['initialOrders', 'initialLevels', 'sizePolicy']);
    this.book = new L3OrderBook({
      initialOrders: options.initialOrders ?? DEFAULT_LOBSTER_L3_REPLAY_OPTIONS.initialOrders,
      initialLevels: options.initialLevels ?? DEFAULT_LOBSTER_L3_REPLAY_OPTIONS.initialLevels,
      sizePolicy: options.sizePolicy ?? DEFAULT_LOBSTER_L3_REPLAY_OPTIONS.sizePolicy,
    });
  }

  /** Consume one row; returns whether the rebuilt book reproduced it without a resync. */
  update(row: LobsterReplayRow): boolean {
    const book = this.book;
    if (this.rows++ === 0) {
      book.seedFromBook(row.book);
      return true;
    }
    book.apply(row.order);
    const before = book.resyncCount;
    book.resyncFrom(row.book);
    if (book.resyncCount === before) {
      this.matched++;
      return true;
    }
    if (this.firstResync < 0) this.firstResync = row.index;
    let scratch = this.scratch;
    if (scratch === null || scratch.bidPx.length !== row.book.bidPx.length) scratch = this.scratch = createBook(row.book.bidPx.length);
    if (!booksEqual(book.writeSnapshot(scratch), row.book)) this.unequal++;
    return false;
  }

  /** Counters (allocates; not for the hot path). */
  stats(): LobsterL3ReplayStats {
    const b = this.book.stats();
    const compared = Math.max(0, this.rows - 1);
    return {
      rows: this.rows,
      rowsCompared: compared,
      rowsMatched: this.matched,
      shareMatched: compared > 0 ? this.matched / compared : NaN,
      resyncs: compared - this.matched,
      levelsCorrected: b.levelsCorrected,
      resyncsByReason: b.resyncsByReason,
      firstResyncRow: this.firstResync,
      rowsUnequalAfterResync: this.unequal,
      book: b,
    };
  }

  /** Back to the freshly constructed state. */
  reset(): void {
    this.book.reset();
    this.rows = 0;
    this.matched = 0;
    this.firstResync = -1;
    this.unequal = 0;
  }

  snapshot(): LobsterL3ReplayState {
    return {
      type: 'LobsterL3Replay',
      version: 1,
      rows: this.rows,
      rowsMatched: this.matched,
      firstResyncRow: this.firstResync,
      rowsUnequalAfterResync: this.unequal,
      book: this.book.snapshot(),
    };
  }

  restore(state: LobsterL3ReplayState): void {
    checkState(state, 'LobsterL3Replay', 1);
    if (typeof state.rows !== 'number' || typeof state.rowsMatched !== 'number') {
      throw new InvalidStateError('LobsterL3Replay', 'rows and rowsMatched must be numbers');
    }
    this.book.restore(state.book);
    this.rows = state.rows;
    this.matched = state.rowsMatched;
    this.firstResync = state.firstResyncRow;
    this.unequal = state.rowsUnequalAfterResync;
  }
}
