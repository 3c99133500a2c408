import { createBook } from '../core/book.js';
import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import type { BookSnapshot, OrderEvent } from '../core/events.js';
import { checkState, decodeNumber, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';

/**
 * Why a book rebuilt from messages differed from the book row it was compared with (one reason per
 * compared row), in the order they are tested:
 * - `entersFromBeyondDepth`: on each side the predicted levels are a prefix of the row's levels (same
 *   prices and sizes), and the row shows more levels on at least one side: a level entered the visible
 *   window from beyond it, which no message announces (LOBSTER's message file only covers the visible
 *   depth).
 * - `priceMissing`: the last event applied before the comparison removed size at a price the book did
 *   not hold (the reference's `delta_at_price_not_in_book`).
 * - `sizeMismatch`: both sides show the same prices, and some size differs.
 * - `other`: anything else (e.g. a stale level retained from beyond the visible depth).
 */
export type ResyncReason = 'entersFromBeyondDepth' | 'priceMissing' | 'sizeMismatch' | 'other';

/** Resync counts by {@link ResyncReason}. */
export interface ResyncReasonCounts {
  entersFromBeyondDepth: number;
  priceMissing: number;
  sizeMismatch: number;
  other: number;
}

/**
 * Compare a predicted book with an actual one over their present levels and say why they differ, or
 * return `null` when they are equal (same level counts, prices and sizes, compared exactly). The
 * reasons are tested in the order listed at {@link ResyncReason}; `priceMissing` is the caller's
 * knowledge that the last event acted on a price the book lacked.
 *
 * Follows the `book_consistency` mismatch reasons of the reference README
 * (`enters_from_beyond_depth`, `delta_at_price_not_in_book`, `size_mismatch`, `other`).
 *
 * @example
 * ```ts
 * const predicted = bookFromLevels([[10, 5]], [[11, 2]]);
 * const actual = bookFromLevels([[10, 5], [9, 7]], [[11, 2]]);
 * bookMismatchReason(predicted, actual, false); // 'entersFromBeyondDepth'
 * ```
 */
export function bookMismatchReason(predicted: BookSnapshot, actual: BookSnapshot, priceMissing: boolean): ResyncReason | null {
  const bidPrefix = isPrefix(predicted.bidPx, predicted.bidSz, predicted.bidLevels, actual.bidPx, actual.bidSz, actual.bidLevels);
  const askPrefix = isPrefix(predicted.askPx, predicted.askSz, predicted.askLevels, actual.askPx, actual.askSz, actual.askLevels);
  if (bidPrefix && askPrefix) {
    if (predicted.bidLevels === actual.bidLevels && predicted.askLevels === actual.askLevels) return null;
    return 'entersFromBeyondDepth';
  }
  if (priceMissing) return 'priceMissing';
  if (
    samePrices(predicted.bidPx, predicted.bidLevels, actual.bidPx, actual.bidLevels) &&
    samePrices(predicted.askPx, predicted.askLevels, actual.askPx, actual.askLevels)
  ) {
    return 'sizeMismatch';
  }
  return 'other';
}

function isPrefix(px: Float64Array, sz: Float64Array, n: number, apx: Float64Array, asz: Float64Array, an: number): boolean {
  if (n > an) return false;
  for (let i = 0; i < n; i++) if (px[i] !== apx[i] || sz[i] !== asz[i]) return false;
  return true;
}

function samePrices(px: Float64Array, n: number, apx: Float64Array, an: number): boolean {
  if (n !== an) return false;
  for (let i = 0; i < n; i++) if (px[i] !== apx[i]) return false;
  return true;
}

/** Check a side argument: +1 (bid) or -1 (ask). */
function checkSide(where: string, side: unknown): 1 | -1 {
  if (side !== 1 && side !== -1) throw new InvalidInputError(where, side, '1 (bid) or -1 (ask)');
  return side;
}

/** Options of {@link L2Book}. */
export interface L2BookOptions {
  /**
   * Levels a side the book reports (`writeSnapshot`, `bidLevels` / `askLevels` are capped at it).
   * @defaultValue 10
   */
  readonly depth?: number;
  /**
   * Levels a side the book keeps, `>= depth`. A level pushed past it (by a better level arriving, or
   * arriving beyond it) is dropped and counted in `stats().droppedLevels`; a later delta at its price
   * then finds no level. A capacity larger than `depth` retains deeper levels, so a level that comes
   * back into the top `depth` after a removal is known.
   * @defaultValue depth
   */
  readonly capacity?: number;
}

/** Defaults of {@link L2BookOptions} (`capacity` defaults to the `depth` given). */
export const DEFAULT_L2_BOOK_OPTIONS: Readonly<{ depth: number }> = Object.freeze({
  /** @defaultValue 10 */
  depth: 10,
});

/** Counters of an {@link L2Book} (cumulative since construction or `reset()`). */
export interface L2BookStats {
  /** Calls of `set`, `applyDelta` and `update` that changed or tried to change a level. */
  updates: number;
  /** Levels dropped because they were (or were pushed) beyond `capacity`. */
  droppedLevels: number;
  /** Negative deltas at a price the book does not hold (ignored). */
  missingLevelDeltas: number;
  /** Negative deltas larger than the level's size: the level is removed, the excess ignored. */
  overdrawn: number;
  /** `update` events that do not change a visible level (`executeHidden`, `cross`, `halt`). */
  passiveEvents: number;
  /** `resyncFrom` calls that found a difference (rows needing a resync). */
  resyncs: number;
  /** Levels changed by all resyncs (inserted, resized or removed). */
  levelsCorrected: number;
  /** Resyncs by reason. */
  resyncsByReason: ResyncReasonCounts;
}

/** State of an {@link L2Book}: its levels (best first) and counters. */
export interface L2BookState extends OperatorState {
  readonly type: 'L2Book';
  readonly version: 1;
  readonly ts: number | string;
  /** Bid levels `[price, size]`, best first. */
  readonly bids: ReadonlyArray<readonly [number | string, number | string]>;
  /** Ask levels `[price, size]`, best first. */
  readonly asks: ReadonlyArray<readonly [number | string, number | string]>;
  readonly lastPriceMissing: boolean;
  readonly stats: L2BookStats;
}

/**
 * A price-level (L2, market-by-price) book maintained from level deltas: per side, the best
 * `capacity` levels in sorted `Float64Array`s (index 0 the best), updated in place by shifting inside
 * the arrays. Nothing is allocated per update.
 *
 * - `set(side, price, size)` sets a level's absolute size (0 removes it); `applyDelta(side, price,
 *   delta)` adds to it (a level reaching 0 is removed). `update(order)` applies an L3 event as an L2
 *   delta: `add` +size, `cancel` / `delete` / `execute` -size at the event's price and side;
 *   `executeHidden`, `cross` and `halt` change no visible level (counted as `passiveEvents`).
 * - Units: prices and sizes as given; prices are compared exactly (`===`), so feed the same number
 *   for the same price (LOBSTER's integer / 10000 always gives the same double).
 * - Sanitizing policy (counted in {@link L2Book.stats}): a negative delta at a price the book does not
 *   hold is ignored (`missingLevelDeltas`); a negative delta larger than the level removes it
 *   (`overdrawn`); levels beyond `capacity` are dropped (`droppedLevels`). Non-finite prices or sizes,
 *   negative absolute sizes and sides other than +-1 throw {@link InvalidInputError}.
 * - Returns: `set`, `applyDelta` and `update` return the level's size after the change (0 when it was
 *   removed, is not held, or the event changed nothing).
 *
 * With `capacity === depth` the book forgets everything past the visible depth: applying LOBSTER
 * message n to book row n-1 this way is the reference's "one-step" replay (69.95% of the dev day's
 * rows reproduced exactly, every miss a level entering from beyond depth 10). With a larger capacity
 * and {@link L2Book.resyncFrom} after each message, it is the reference's "sequential, retain deep
 * levels" replay.
 *
 * Reference: the book_consistency section of the reference README (../shared/data/reference); the
 * LOBSTER format: Huang & Polak (2011), "LOBSTER: Limit Order Book Reconstruction System", SSRN 1977207.
 *
 * @example
 * ```ts
 * const book = new L2Book({ depth: 2 });
 * book.set(1, 579.40, 496);
 * book.set(-1, 580.23, 100);
 * book.applyDelta(1, 579.40, -300); // 196
 * book.applyDelta(1, 579.50, 10);   // 10 (a new best bid)
 * book.bestBid();                   // 579.5
 * const out = createBook(2);
 * book.writeSnapshot(out);          // out.bidPx = [579.5, 579.4], out.bidSz = [10, 196]
 * ```
 */
export class L2Book implements Operator<OrderEvent, number, L2BookState> {
  /** Levels a side reported (the option). */
  readonly depth: number;
  /** Levels a side kept (the option). */
  readonly capacity: number;
  private readonly bidPx: Float64Array;
  private readonly bidSz: Float64Array;
  private readonly askPx: Float64Array;
  private readonly askSz: Float64Array;
  private nBid = 0;
  private nAsk = 0;
  private ts = 0;
  private lastPriceMissing = false;
  private scratch: BookSnapshot | null = null;
  // counters
  private cUpdates = 0;
  private cDropped = 0;
  private cMissing = 0;
  private cOverdrawn = 0;
  private cPassive = 0;
  private cResyncs = 0;
  private cCorrected = 0;
  private rEnters = 0;
  private rMissing = 0;
  private rSize = 0;
  private rOther = 0;

  constructor(options: L2BookOptions = {}) {
    checkOptionKeys('L2Book', options, ['depth', 'capacity']);
    this.depth = integerOption('depth', options.depth ?? DEFAULT_L2_BOOK_OPTIONS.depth, 1, 1_000_000);
    this.capacity = integerOption('capacity', options.capacity ?? this.depth, this.depth, 1_000_000);
    this.bidPx = new Float64Array(this.capacity).fill(NaN);
    this.bidSz = new Float64Array(this.capacity);
    this.askPx = new Float64Array(this.capacity).fill(NaN);
    this.askSz = new Float64Array(this.capacity);
  }

  /** Bid levels reported, `min(held, depth)`. */
  get bidLevels(): number {
    return Math.min(this.nBid, this.depth);
  }

  /** Ask levels reported, `min(held, depth)`. */
  get askLevels(): number {
    return Math.min(this.nAsk, this.depth);
  }

  /** Levels held on `side` (up to `capacity`, also those past `depth`). */
  heldLevels(side: 1 | -1): number {
    return side === 1 ? this.nBid : this.nAsk;
  }

  /** Best bid price, NaN when the bid side is empty. */
  bestBid(): number {
    return this.nBid > 0 ? this.bidPx[0]! : NaN;
  }

  /** Best ask price, NaN when the ask side is empty. */
  bestAsk(): number {
    return this.nAsk > 0 ? this.askPx[0]! : NaN;
  }

  /** Price of the level at `index` (0 = best) on `side`, NaN past the held levels. */
  priceAt(side: 1 | -1, index: number): number {
    const n = side === 1 ? this.nBid : this.nAsk;
    return index >= 0 && index < n ? (side === 1 ? this.bidPx : this.askPx)[index]! : NaN;
  }

  /** Size of the level at `index` (0 = best) on `side`, 0 past the held levels. */
  sizeAt(side: 1 | -1, index: number): number {
    const n = side === 1 ? this.nBid : this.nAsk;
    return index >= 0 && index < n ? (side === 1 ? this.bidSz : this.askSz)[index]! : 0;
  }

  /** The size at `price` on `side`, 0 when the book holds no such level. */
  levelSize(side: 1 | -1, price: number): number {
    const px = side === 1 ? this.bidPx : this.askPx;
    const n = side === 1 ? this.nBid : this.nAsk;
    const i = lowerBound(px, n, price, side);
    return i < n && px[i] === price ? (side === 1 ? this.bidSz : this.askSz)[i]! : 0;
  }

  /** Set the level at `price` on `side` to `size` (absolute; 0 removes it). Returns the size held after. */
  set(side: 1 | -1, price: number, size: number): number {
    checkSide('L2Book.set side', side);
    if (!Number.isFinite(price)) throw new InvalidInputError('L2Book.set price', price, 'a finite number');
    if (!(size >= 0) || size === Infinity) throw new InvalidInputError('L2Book.set size', size, 'a finite number >= 0');
    this.cUpdates++;
    this.lastPriceMissing = false;
    const px = side === 1 ? this.bidPx : this.askPx;
    const sz = side === 1 ? this.bidSz : this.askSz;
    const n = side === 1 ? this.nBid : this.nAsk;
    const i = lowerBound(px, n, price, side);
    if (i < n && px[i] === price) {
      if (size > 0) {
        sz[i] = size;
        return size;
      }
      this.removeAt(side, i);
      return 0;
    }
    if (size === 0) return 0;
    return this.insertAt(side, i, price, size);
  }

  /**
   * Add `delta` (may be negative) to the level at `price` on `side`; a level reaching 0 is removed,
   * one going below 0 too (counted `overdrawn`). A negative delta at a price not held is ignored
   * (counted `missingLevelDeltas`). Returns the size held after.
   */
  applyDelta(side: 1 | -1, price: number, delta: number): number {
    checkSide('L2Book.applyDelta side', side);
    if (!Number.isFinite(price)) throw new InvalidInputError('L2Book.applyDelta price', price, 'a finite number');
    if (!Number.isFinite(delta)) throw new InvalidInputError('L2Book.applyDelta delta', delta, 'a finite number');
    return this.delta(side, price, delta);
  }

  /**
   * Apply an L3 event as an L2 delta (see the class docs) and remember its `ts`. Returns the size of
   * the event's level after it (0 when removed, not held, or for events that change no level).
   */
  update(order: OrderEvent): number {
    this.ts = order.ts;
    switch (order.kind) {
      case 'add':
        checkSide('L2Book.update side', order.side);
        this.checkEvent(order);
        return this.delta(order.side, order.price, order.size);
      case 'cancel':
      case 'delete':
      case 'execute':
        checkSide('L2Book.update side', order.side);
        this.checkEvent(order);
        return this.delta(order.side, order.price, -order.size);
      case 'executeHidden':
      case 'cross':
      case 'halt':
        this.cPassive++;
        this.lastPriceMissing = false;
        return 0;
      default:
        throw new InvalidInputError(`L2Book.update (order ${order.orderId}) kind`, order.kind, 'an OrderEventKind');
    }
  }

  private checkEvent(order: OrderEvent): void {
    if (!Number.isFinite(order.price)) throw new InvalidInputError(`L2Book.update (order ${order.orderId}) price`, order.price, 'a finite number');
    if (!Number.isFinite(order.size) || order.size < 0) {
      throw new InvalidInputError(`L2Book.update (order ${order.orderId}) size`, order.size, 'a finite number >= 0');
    }
  }

  private delta(side: 1 | -1, price: number, delta: number): number {
    this.cUpdates++;
    this.lastPriceMissing = false;
    const px = side === 1 ? this.bidPx : this.askPx;
    const sz = side === 1 ? this.bidSz : this.askSz;
    const n = side === 1 ? this.nBid : this.nAsk;
    const i = lowerBound(px, n, price, side);
    if (i < n && px[i] === price) {
      const size = sz[i]! + delta;
      if (size > 0) {
        sz[i] = size;
        return size;
      }
      if (size < 0) this.cOverdrawn++;
      this.removeAt(side, i);
      return 0;
    }
    if (delta > 0) return this.insertAt(side, i, price, delta);
    if (delta < 0) {
      this.cMissing++;
      this.lastPriceMissing = true;
    }
    return 0;
  }

  private insertAt(side: 1 | -1, i: number, price: number, size: number): number {
    const cap = this.capacity;
    const px = side === 1 ? this.bidPx : this.askPx;
    const sz = side === 1 ? this.bidSz : this.askSz;
    let n = side === 1 ? this.nBid : this.nAsk;
    if (i >= cap) {
      this.cDropped++;
      return 0;
    }
    if (n === cap) {
      this.cDropped++;
      n--;
    }
    px.copyWithin(i + 1, i, n);
    sz.copyWithin(i + 1, i, n);
    px[i] = price;
    sz[i] = size;
    if (side === 1) this.nBid = n + 1;
    else this.nAsk = n + 1;
    return size;
  }

  private removeAt(side: 1 | -1, i: number): void {
    const px = side === 1 ? this.bidPx : this.askPx;
    const sz = side === 1 ? this.bidSz : this.askSz;
    const n = side === 1 ? this.nBid : this.nAsk;
    px.copyWithin(i, i + 1, n);
    sz.copyWithin(i, i + 1, n);
    px[n - 1] = NaN;
    sz[n - 1] = 0;
    if (side === 1) this.nBid = n - 1;
    else this.nAsk = n - 1;
  }

  /**
   * Replace the book's levels by those of `book` (its present levels, best first; levels past
   * `capacity` are dropped and counted). Counters are kept.
   */
  seedFromBook(book: BookSnapshot): void {
    this.clearLevels();
    this.ts = book.ts;
    this.nBid = this.copyIn(book.bidPx, book.bidSz, book.bidLevels, this.bidPx, this.bidSz);
    this.nAsk = this.copyIn(book.askPx, book.askSz, book.askLevels, this.askPx, this.askSz);
    this.lastPriceMissing = false;
  }

  private copyIn(spx: Float64Array, ssz: Float64Array, sn: number, px: Float64Array, sz: Float64Array): number {
    const n = Math.min(sn, this.capacity);
    if (sn > n) this.cDropped += sn - n;
    for (let i = 0; i < n; i++) {
      px[i] = spx[i]!;
      sz[i] = ssz[i]!;
    }
    return n;
  }

  /**
   * Compare the book's best `L` levels a side (L = `row`'s capacity) with `row`; if they differ, count
   * the resync under its {@link ResyncReason} and make the book agree with `row`: on each side, the
   * levels at or better than the row's L-th price are replaced by the row's levels (all levels, when
   * the row shows fewer than L on that side); deeper held levels stay. Returns the number of levels
   * changed (inserted, resized or removed); 0 when the book already matched (nothing is changed then).
   * The reference's "sequential, retain deep levels" rule.
   */
  resyncFrom(row: BookSnapshot): number {
    const depth = row.bidPx.length;
    let scratch = this.scratch;
    if (scratch === null || scratch.bidPx.length !== depth) scratch = this.scratch = createBook(depth);
    this.fill(scratch, depth);
    const reason = bookMismatchReason(scratch, row, this.lastPriceMissing);
    if (reason === null) return 0;
    this.cResyncs++;
    if (reason === 'entersFromBeyondDepth') this.rEnters++;
    else if (reason === 'priceMissing') this.rMissing++;
    else if (reason === 'sizeMismatch') this.rSize++;
    else this.rOther++;
    const changed =
      this.resyncSide(1, row.bidPx, row.bidSz, row.bidLevels, depth) + this.resyncSide(-1, row.askPx, row.askSz, row.askLevels, depth);
    this.cCorrected += changed;
    this.lastPriceMissing = false;
    return changed;
  }

  private resyncSide(side: 1 | -1, rpx: Float64Array, rsz: Float64Array, m: number, depth: number): number {
    const px = side === 1 ? this.bidPx : this.askPx;
    const sz = side === 1 ? this.bidSz : this.askSz;
    const n = side === 1 ? this.nBid : this.nAsk;
    // k: first held level strictly worse than the row's last price (all levels when the row is short)
    let k = n;
    if (m >= depth && m > 0) {
      const last = rpx[m - 1]!;
      k = 0;
      while (k < n && side * px[k]! >= side * last) k++;
    }
    // count changes by merging held[0..k) with row[0..m) (both best first)
    let changed = 0;
    let i = 0;
    let j = 0;
    while (i < k || j < m) {
      if (i < k && j < m && px[i] === rpx[j]) {
        if (sz[i] !== rsz[j]) changed++;
        i++;
        j++;
      } else if (j >= m || (i < k && side * px[i]! > side * rpx[j]!)) {
        changed++; // held level not in the row: removed
        i++;
      } else {
        changed++; // row level not held: inserted
        j++;
      }
    }
    // new layout: row[0..m) then held[k..n), capped at capacity
    const cap = this.capacity;
    const rowKept = Math.min(m, cap);
    const tail = Math.min(n - k, cap - rowKept);
    if (m > rowKept) this.cDropped += m - rowKept;
    if (n - k > tail) this.cDropped += n - k - tail;
    px.copyWithin(rowKept, k, k + tail);
    sz.copyWithin(rowKept, k, k + tail);
    for (let t = 0; t < rowKept; t++) {
      px[t] = rpx[t]!;
      sz[t] = rsz[t]!;
    }
    const total = rowKept + tail;
    for (let t = total; t < n; t++) {
      px[t] = NaN;
      sz[t] = 0;
    }
    if (side === 1) this.nBid = total;
    else this.nAsk = total;
    return changed;
  }

  /**
   * Write the best `min(depth, book's capacity)` levels a side into `book` (a caller's snapshot, e.g.
   * from `createBook(depth)`), clear its remaining levels and set its `ts` to that of the last `update`
   * event or seeded book (`set` and `applyDelta` carry no time). Allocates nothing. Returns `book`.
   */
  writeSnapshot(book: BookSnapshot): BookSnapshot {
    return this.fill(book, Math.min(this.depth, book.bidPx.length));
  }

  private fill(book: BookSnapshot, limit: number): BookSnapshot {
    book.ts = this.ts;
    book.bidLevels = fillSide(this.bidPx, this.bidSz, Math.min(this.nBid, limit), book.bidPx, book.bidSz);
    book.askLevels = fillSide(this.askPx, this.askSz, Math.min(this.nAsk, limit), book.askPx, book.askSz);
    return book;
  }

  /** Counters since construction or `reset()` (allocates; not for the hot path). */
  stats(): L2BookStats {
    return {
      updates: this.cUpdates,
      droppedLevels: this.cDropped,
      missingLevelDeltas: this.cMissing,
      overdrawn: this.cOverdrawn,
      passiveEvents: this.cPassive,
      resyncs: this.cResyncs,
      levelsCorrected: this.cCorrected,
      resyncsByReason: {
        entersFromBeyondDepth: this.rEnters,
        priceMissing: this.rMissing,
        sizeMismatch: this.rSize,
        other: this.rOther,
      },
    };
  }

  private clearLevels(): void {
    this.bidPx.fill(NaN);
    this.bidSz.fill(0);
    this.askPx.fill(NaN);
    this.askSz.fill(0);
    this.nBid = 0;
    this.nAsk = 0;
  }

  /** Back to an empty book with zeroed counters. */
  reset(): void {
    this.clearLevels();
    this.ts = 0;
    this.lastPriceMissing = false;
    this.cUpdates = this.cDropped = this.cMissing = this.cOverdrawn = this.cPassive = 0;
    this.cResyncs = this.cCorrected = 0;
    this.rEnters = this.rMissing = this.rSize = this.rOther = 0;
  }

  snapshot(): L2BookState {
    const side = (px: Float64Array, sz: Float64Array, n: number): Array<[number | string, number | string]> => {
      const out: Array<[number | string, number | string]> = [];
      for (let i = 0; i < n; i++) out.push([encodeNumber(px[i]!), encodeNumber(sz[i]!)]);
      return out;
    };
    return {
      type: 'L2Book',
      version: 1,
      ts: encodeNumber(this.ts),
      bids: side(this.bidPx, this.bidSz, this.nBid),
      asks: side(this.askPx, this.askSz, this.nAsk),
      lastPriceMissing: this.lastPriceMissing,
      stats: this.stats(),
    };
  }

  restore(state: L2BookState): void {
    checkState(state, 'L2Book', 1);
    if (!Array.isArray(state.bids) || !Array.isArray(state.asks) || state.bids.length > this.capacity || state.asks.length > this.capacity) {
      throw new InvalidStateError('L2Book', `bids and asks must be arrays of at most ${this.capacity} levels (the capacity)`);
    }
    const st = state.stats as Partial<L2BookStats> | undefined;
    if (st === null || typeof st !== 'object' || st.resyncsByReason === null || typeof st.resyncsByReason !== 'object') {
      throw new InvalidStateError('L2Book', 'stats must be an object with resyncsByReason');
    }
    this.reset();
    this.ts = decodeNumber(state.ts);
    for (let i = 0; i < state.bids.length; i++) {
      const [p, s] = state.bids[i]!;
      this.bidPx[i] = decodeNumber(p);
      this.bidSz[i] = decodeNumber(s);
    }
    for (let i = 0; i < state.asks.length; i++) {
      const [p, s] = state.asks[i]!;
      this.askPx[i] = decodeNumber(p);
      this.askSz[i] = decodeNumber(s);
    }
    this.nBid = state.bids.length;
    this.nAsk = state.asks.length;
    this.lastPriceMissing = state.lastPriceMissing === true;
    const s = state.stats;
    this.cUpdates = s.updates;
    this.cDropped = s.droppedLevels;
    this.cMissing = s.missingLevelDeltas;
    this.cOverdrawn = s.overdrawn;
    this.cPassive = s.passiveEvents;
    this.cResyncs = s.resyncs;
    this.cCorrected = s.levelsCorrected;
    this.rEnters = s.resyncsByReason.entersFromBeyondDepth;
    this.rMissing = s.resyncsByReason.priceMissing;
    this.rSize = s.resyncsByReason.sizeMismatch;
    this.rOther = s.resyncsByReason.other;
  }
}

function fillSide(px: Float64Array, sz: Float64Array, n: number, dpx: Float64Array, dsz: Float64Array): number {
  for (let i = 0; i < n; i++) {
    dpx[i] = px[i]!;
    dsz[i] = sz[i]!;
  }
  for (let i = n; i < dpx.length; i++) {
    dpx[i] = NaN;
    dsz[i] = 0;
  }
  return n;
}

/** First index in `px[0..n)` (best first for `side`) whose price is not better than `price`. */
function lowerBound(px: Float64Array, n: number, price: number, side: number): number {
  const key = side * price;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side * px[mid]! > key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
