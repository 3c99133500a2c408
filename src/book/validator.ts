/**
 * Book validation and sanitizing: the checks surveillance systems run on every book snapshot, as a
 * bit set of issue codes, and a documented repair policy.
 *
 * @module
 */
import type { BookSnapshot } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import type { OperatorState } from '../core/operator.js';
import { checkState, decodeNumber, decodeNumbersInto, encodeNumber, encodeNumbers } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';

/**
 * Issue codes found by {@link BookValidator}, one bit each; `validate()` returns their bitwise OR
 * (0 = clean). Test a bit with `(bits & BookIssue.Crossed) !== 0`.
 *
 * Per-snapshot issues (a property of the snapshot alone, what {@link BookValidator.check} reports);
 * "present" levels are those at indices below `bidLevels` / `askLevels`, levels past them are ignored:
 * - `NonFinite`: a present level's price or size is NaN or +-Infinity, or (with `checkTime`) `ts` is.
 * - `NegativePrice`: a present level's price is <= 0. Zero (and -0) count too: no quote has price 0.
 * - `NegativeSize`: a present level's size is < 0.
 * - `Crossed`: best bid > best ask (both level-0 prices finite). A locked book is not crossed.
 * - `Locked`: best bid == best ask (not flagged when `allowLocked`).
 * - `WideSpread`: best ask - best bid > `maxSpreadFraction` x mid, for an uncrossed, unlocked book with
 *   mid > 0.
 * - `OutOfOrder`: bids not descending or asks not ascending (comparing consecutive finite prices).
 * - `DuplicateLevel`: two present levels of one side have the same price.
 * - `ZeroSizeLevel`: a present level has size 0 (or -0): an empty level inside the book.
 * - `BadLevelCount`: `bidLevels` or `askLevels` is not an integer in [0, depth]. The other checks
 *   then look at `floor(count)` levels clamped to [0, depth] (NaN: none).
 *
 * Stream issues (need the previous snapshot, so only `validate()` / `sanitize()` report them):
 * - `TimeBackwards`: `ts` is smaller than the last snapshot's (see {@link BookValidator.validate}).
 * - `Stale`: the present levels (counts, prices, sizes) are unchanged for longer than `staleAfterMs`,
 *   measured on `ts`. Never raised early; it can come one snapshot late (see {@link BookValidator}).
 */
export const BookIssue = Object.freeze({
  NonFinite: 1,
  NegativePrice: 2,
  NegativeSize: 4,
  Crossed: 8,
  Locked: 16,
  WideSpread: 32,
  OutOfOrder: 64,
  DuplicateLevel: 128,
  ZeroSizeLevel: 256,
  TimeBackwards: 512,
  Stale: 1024,
  BadLevelCount: 2048,
} as const);

/** The name of one {@link BookIssue}. */
export type BookIssueName = keyof typeof BookIssue;

/** The issue names in bit order (index i names bit `1 << i`). */
export const BOOK_ISSUE_NAMES: readonly BookIssueName[] = Object.freeze([
  'NonFinite',
  'NegativePrice',
  'NegativeSize',
  'Crossed',
  'Locked',
  'WideSpread',
  'OutOfOrder',
  'DuplicateLevel',
  'ZeroSizeLevel',
  'TimeBackwards',
  'Stale',
  'BadLevelCount',
] as const);

/** Bits a single snapshot can show by itself (everything but `TimeBackwards` and `Stale`). */
export const BOOK_SNAPSHOT_ISSUES = 0xfff & ~(BookIssue.TimeBackwards | BookIssue.Stale);

/** Bits that need the previous snapshot: `TimeBackwards | Stale`. */
export const BOOK_STREAM_ISSUES = BookIssue.TimeBackwards | BookIssue.Stale;

/**
 * The names of the issues set in `bits`, in bit order (allocates; for logs and people). Unknown bits
 * are ignored.
 *
 * @example
 * ```ts
 * describeIssues(BookIssue.Crossed | BookIssue.ZeroSizeLevel); // ['Crossed', 'ZeroSizeLevel']
 * ```
 */
export function describeIssues(bits: number): BookIssueName[] {
  const out: BookIssueName[] = [];
  for (let i = 0; i < BOOK_ISSUE_NAMES.length; i++) {
    if ((bits & (1 << i)) !== 0) out.push(BOOK_ISSUE_NAMES[i] as BookIssueName);
  }
  return out;
}

/** Options of {@link BookValidator}. */
export interface BookValidatorOptions {
  /**
   * Flag `WideSpread` when best ask - best bid > `maxSpreadFraction` x mid. A number > 0;
   * `Infinity` disables the check.
   * @defaultValue 0.1
   */
  maxSpreadFraction?: number;
  /**
   * Flag `Stale` when the present levels are unchanged for longer than this many milliseconds of
   * `ts`. A number >= 0; `Infinity` disables the check (and its per-call copy of the levels).
   * @defaultValue 60000
   */
  staleAfterMs?: number;
  /**
   * Whether a locked book (best bid == best ask) is acceptable: when true, `Locked` is never flagged
   * and `sanitize` accepts locked books.
   * @defaultValue false
   */
  allowLocked?: boolean;
  /**
   * Whether `ts` is checked at all: a non-finite `ts` is flagged `NonFinite`, a smaller `ts` than the
   * last one `TimeBackwards`, and `Stale` is measured on `ts`. When false, `ts` is ignored (and
   * `Stale` is never flagged).
   * @defaultValue true
   */
  checkTime?: boolean;
}

/** The defaults of {@link BookValidatorOptions}. */
export const DEFAULT_BOOK_VALIDATOR_OPTIONS: Readonly<Required<BookValidatorOptions>> = Object.freeze({
  maxSpreadFraction: 0.1,
  staleAfterMs: 60_000,
  allowLocked: false,
  checkTime: true,
});

/** Why `sanitize` dropped a level, one count per dropped level (the first reason that applies). */
export interface BookDroppedLevelCounts {
  /** Price or size NaN / +-Infinity. */
  nonFinite: number;
  /** Price <= 0. */
  negativePrice: number;
  /** Size < 0. */
  negativeSize: number;
  /** Size 0. */
  zeroSize: number;
  /** Same price as the last kept level of its side. */
  duplicate: number;
  /** Better than the last kept level of its side (a bid above it, an ask below it). */
  outOfOrder: number;
}

/** Why `sanitize` rejected a snapshot, one count per rejected snapshot (the first reason that applies). */
export interface BookRejectionCounts {
  /** `bidLevels` / `askLevels` not an integer in [0, depth]. */
  badLevelCount: number;
  /** `ts` NaN or infinite (with `checkTime`). */
  nonFiniteTs: number;
  /** `ts` smaller than the last accepted snapshot's (with `checkTime`). */
  timeBackwards: number;
  /** Best bid > best ask after dropping bad levels. */
  crossed: number;
  /** Best bid == best ask after dropping bad levels (unless `allowLocked`). */
  locked: number;
}

/** What {@link BookValidator.stats} returns: counts since construction or the last `reset()`. */
export interface BookValidatorStats {
  /** Snapshots passed to `validate` / `update` or `sanitize`. */
  checked: number;
  /** Of them, snapshots with no issue at all. */
  clean: number;
  /** Snapshots passed to `sanitize`. */
  sanitized: number;
  /** Of them, accepted (possibly after repair). */
  accepted: number;
  /** Of them, accepted after dropping at least one level. */
  repaired: number;
  /** Of them, rejected (left unchanged). */
  rejected: number;
  /** Snapshots (validated or sanitized) flagged with each issue. */
  issues: Record<BookIssueName, number>;
  /** Levels dropped by `sanitize`, by reason. */
  droppedLevels: BookDroppedLevelCounts;
  /** Snapshots rejected by `sanitize`, by reason. */
  rejections: BookRejectionCounts;
}

/** The plain-JSON state of a {@link BookValidator}. */
export interface BookValidatorState extends OperatorState {
  readonly type: 'BookValidator';
  readonly version: 1;
  /** Last snapshot's `ts` (validate) / last accepted one's (sanitize); NaN ("NaN") before any. */
  lastTs: number | string;
  /** `ts` at which the tracked levels last changed; NaN before any. */
  changeTs: number | string;
  /** Whether a previous snapshot was seen (for `Stale`). */
  hasPrev: boolean;
  /** The previous snapshot's present level counts [bid, ask]. Absent in states of 0.1.0 pre-releases. */
  prevLevels?: [number, number];
  /** The previous snapshot's change certificate [bid, ask] (see `Stale`). Absent in older states. */
  prevCertificate?: Array<number | string>;
  /** Whether `prevBidPx` ... hold the previous snapshot's present levels. Absent in older states. */
  copyValid?: boolean;
  prevBidPx: Array<number | string>;
  prevBidSz: Array<number | string>;
  prevAskPx: Array<number | string>;
  prevAskSz: Array<number | string>;
  lastIssues: number;
  counts: number[];
  issueCounts: number[];
  dropCounts: number[];
  rejectCounts: number[];
}

const ISSUE_COUNT = 12;
const STRUCTURE_BITS =
  BookIssue.NonFinite |
  BookIssue.NegativePrice |
  BookIssue.NegativeSize |
  BookIssue.OutOfOrder |
  BookIssue.DuplicateLevel |
  BookIssue.ZeroSizeLevel;

// counts[]
const C_CHECKED = 0;
const C_CLEAN = 1;
const C_SANITIZED = 2;
const C_ACCEPTED = 3;
const C_REPAIRED = 4;
const C_REJECTED = 5;
const COUNT_SLOTS = 6;

// dropCounts[]
const D_NON_FINITE = 0;
const D_NEGATIVE_PRICE = 1;
const D_NEGATIVE_SIZE = 2;
const D_ZERO_SIZE = 3;
const D_DUPLICATE = 4;
const D_OUT_OF_ORDER = 5;
const DROP_SLOTS = 6;

// rejectCounts[]
const R_BAD_LEVEL_COUNT = 0;
const R_NON_FINITE_TS = 1;
const R_TIME_BACKWARDS = 2;
const R_CROSSED = 3;
const R_LOCKED = 4;
const REJECT_SLOTS = 5;

/** Levels a side can hold: the shorter of its two arrays. */
function sideDepth(px: Float64Array, sz: Float64Array): number {
  return px.length < sz.length ? px.length : sz.length;
}

/** The level count clamped to [0, depth] and floored; NaN and negatives give 0. */
function clampCount(count: number, depth: number): number {
  if (!(count > 0)) return 0;
  return count < depth ? Math.floor(count) : depth;
}

function badCount(count: number, depth: number): boolean {
  return !(count >= 0 && count <= depth && Math.floor(count) === count);
}

/** Set in the scan's result when the present levels differ from the previous snapshot's (not an issue bit). */
const CHANGED = 1 << 30;

/** Weight of the price sum in a side's change certificate (any fixed number would do). */
const PRICE_WEIGHT = 0.6180339887498949;

/**
 * The fast pass over the bid side, for the common clean book: every level finite, price and size > 0,
 * prices strictly descending. Writes the side's change certificate into `out[o]` and returns true;
 * returns false (and writes nothing) if any level may not be so (NaN fails every comparison). The
 * certificate, sum of sizes + {@link PRICE_WEIGHT} x sum of prices, is a deterministic function of the
 * levels, so two snapshots whose certificates differ certainly differ (equal ones prove nothing; see
 * {@link BookValidator} on `Stale`). It goes out through a typed array, not as the return value: a
 * call V8 does not inline would box a returned double, one allocation a book.
 *
 * Two comparisons a level: `s > 0` and `p < prev`. The rest follows at the end: the sum of sizes is
 * finite only if every size is (a NaN or infinite size makes it NaN or infinite), the first price is
 * below Infinity and the descending prices are all positive if the last one is. A finite book whose
 * sums overflow is called suspect, and the detailed pass then finds it clean.
 */
function fastBids(px: Float64Array, sz: Float64Array, n: number, out: Float64Array, o: number): boolean {
  let ok = true;
  let prev = Infinity;
  let sizes = 0;
  let prices = 0;
  for (let i = 0; i < n; i++) {
    const p = px[i] as number;
    const s = sz[i] as number;
    sizes += s;
    prices += p;
    if (!(s > 0 && p < prev)) ok = false;
    prev = p;
  }
  if (!(ok && sizes < Infinity && prev > 0)) return false;
  out[o] = sizes + PRICE_WEIGHT * prices;
  return true;
}

/**
 * {@link fastBids} for the ask side: ascending prices from above 0, the last one finite. A second copy
 * on purpose: one loop with a `bids ?` test per level measured slower on the dev day than two loops
 * that each know their order.
 */
function fastAsks(px: Float64Array, sz: Float64Array, n: number, out: Float64Array, o: number): boolean {
  let ok = true;
  let prev = 0;
  let sizes = 0;
  let prices = 0;
  for (let i = 0; i < n; i++) {
    const p = px[i] as number;
    const s = sz[i] as number;
    sizes += s;
    prices += p;
    if (!(s > 0 && p > prev)) ok = false;
    prev = p;
  }
  if (!(ok && sizes < Infinity && prev < Infinity)) return false;
  out[o] = sizes + PRICE_WEIGHT * prices;
  return true;
}

/**
 * The change certificate of {@link fastBids} without the checks (NaN when a value is NaN), summed in
 * the same order, so that the same levels give the same number either way; into `out[o]`.
 */
function certificate(px: Float64Array, sz: Float64Array, n: number, out: Float64Array, o: number): void {
  let sizes = 0;
  let prices = 0;
  for (let i = 0; i < n; i++) {
    sizes += sz[i] as number;
    prices += px[i] as number;
  }
  out[o] = sizes + PRICE_WEIGHT * prices;
}

/** Whether the first `n` levels differ from the copy (NaN equal to NaN). */
function sideDiffers(px: Float64Array, sz: Float64Array, n: number, copyPx: Float64Array, copySz: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const p = px[i] as number;
    const s = sz[i] as number;
    const q = copyPx[i] as number;
    const t = copySz[i] as number;
    if ((p !== q && (p === p || q === q)) || (s !== t && (s === s || t === t))) return true;
  }
  return false;
}

/** Copy the first `n` levels into the tracked copy. */
function copySide(px: Float64Array, sz: Float64Array, n: number, copyPx: Float64Array, copySz: Float64Array): void {
  for (let i = 0; i < n; i++) {
    copyPx[i] = px[i] as number;
    copySz[i] = sz[i] as number;
  }
}

/** Per-side checks over the first `n` levels; `bids` selects descending order. */
function checkSide(px: Float64Array, sz: Float64Array, n: number, bids: boolean): number {
  let bits = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const p = px[i] as number;
    const s = sz[i] as number;
    if (!Number.isFinite(s)) bits |= BookIssue.NonFinite;
    else if (s < 0) bits |= BookIssue.NegativeSize;
    else if (s === 0) bits |= BookIssue.ZeroSizeLevel;
    if (!Number.isFinite(p)) {
      bits |= BookIssue.NonFinite;
      continue;
    }
    if (p <= 0) bits |= BookIssue.NegativePrice;
    if (prev === prev) {
      if (p === prev) bits |= BookIssue.DuplicateLevel;
      else if (bids ? p > prev : p < prev) bits |= BookIssue.OutOfOrder;
    }
    prev = p;
  }
  // In an ordered side equal prices are neighbours; out of order, look for any pair (rare path).
  if ((bits & BookIssue.OutOfOrder) !== 0 && (bits & BookIssue.DuplicateLevel) === 0) {
    for (let i = 0; i < n; i++) {
      const p = px[i] as number;
      if (!Number.isFinite(p)) continue;
      for (let j = i + 1; j < n; j++) {
        if (px[j] === p) return bits | BookIssue.DuplicateLevel;
      }
    }
  }
  return bits;
}

function validLevel(p: number, s: number): boolean {
  return Number.isFinite(p) && Number.isFinite(s) && p > 0 && s > 0;
}

/** Index of the first level `sanitize` keeps (a valid one), or -1. */
function firstValid(px: Float64Array, sz: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) {
    if (validLevel(px[i] as number, sz[i] as number)) return i;
  }
  return -1;
}

/** Drop bad levels among the first `n`, compact, empty the freed slots; returns the new count. */
function compactSide(px: Float64Array, sz: Float64Array, n: number, bids: boolean, drops: Float64Array): number {
  let w = 0;
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const p = px[i] as number;
    const s = sz[i] as number;
    let kind = -1;
    if (!Number.isFinite(p) || !Number.isFinite(s)) kind = D_NON_FINITE;
    else if (p <= 0) kind = D_NEGATIVE_PRICE;
    else if (s < 0) kind = D_NEGATIVE_SIZE;
    else if (s === 0) kind = D_ZERO_SIZE;
    else if (w > 0 && p === last) kind = D_DUPLICATE;
    else if (w > 0 && (bids ? p > last : p < last)) kind = D_OUT_OF_ORDER;
    if (kind >= 0) {
      drops[kind] = (drops[kind] as number) + 1;
      continue;
    }
    if (w !== i) {
      px[w] = p;
      sz[w] = s;
    }
    last = p;
    w++;
  }
  for (let i = w; i < n; i++) {
    px[i] = NaN;
    sz[i] = 0;
  }
  return w;
}

function booleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, value, 'a boolean');
  return value;
}

/**
 * Book validator and sanitizer: the six checks surveillance systems run on a limit-order book
 * (non-finite values, negative price, negative size, crossed, locked, spread wider than a fraction of
 * mid) plus levels out of order, duplicate price levels, zero-size levels inside the book, a bad level
 * count, timestamps going backwards and a stale book. See {@link BookIssue} for the exact definition
 * of each bit.
 *
 * - `check(book)`: the per-snapshot bits ({@link BOOK_SNAPSHOT_ISSUES}); pure, counts nothing.
 * - `validate(book)` (= `update(book)`): `check` plus the stream bits `TimeBackwards` and `Stale`.
 *   It remembers the snapshot's `ts` and (for `Stale`) what it needs to tell a change, and counts.
 *   Allocation-free once its level copy has the book's depth (the first repeat allocates it).
 * - `sanitize(book)`: repairs the snapshot **in place** or rejects it, by this policy:
 *   1. rejected (returns false, snapshot untouched, stream state unchanged) when a level count is not
 *      an integer in [0, depth], when (with `checkTime`) `ts` is non-finite or smaller than the last
 *      accepted snapshot's, or when the first valid bid is above the first valid ask (crossed) or
 *      equal to it (locked, unless `allowLocked`); the first reason in this order is counted;
 *   2. otherwise accepted (returns true): on each side, walking from the best level, a level is
 *      dropped if its price or size is non-finite, its price <= 0, its size < 0 or 0, its price equals
 *      the last kept level's (duplicate: the better-ranked, earlier one is kept, sizes are not merged),
 *      or is better than it (out of order: the earlier level is trusted); the kept levels move to the
 *      front in their order, the counts are fixed and the freed slots set empty (NaN, 0). Every
 *      dropped level is counted by its first reason. Prices and sizes are never changed or invented,
 *      so a wide spread and a stale book are accepted (and flagged).
 *   After an accepted `sanitize`, `check(book)` is 0 except possibly `WideSpread`.
 * - `stats()`: the counts; `lastIssues`: the bits of the last `validate`/`sanitize` (for `sanitize`,
 *   found on the input before repair, plus `Stale` measured on the repaired levels).
 *
 * Time: `validate` compares `ts` with the last snapshot it saw, `sanitize` with the last one it
 * accepted; both keep one state, so use one of them per stream. A snapshot with a non-finite `ts`
 * leaves the time state unchanged.
 *
 * `Stale`: when the present levels differ from the last snapshot's, the clock restarts at this `ts`.
 * Copying every snapshot to compare it with the next costs more than all the other checks together, so
 * the validator first compares a certificate its checking pass computes anyway (level counts, and per
 * side the sum of sizes plus a fixed multiple of the sum of prices): a different certificate proves a change.
 * Only while the certificate repeats does it copy the levels and compare exactly (NaN equal to NaN).
 * On the first repeat after a change there is no copy of the previous snapshot to compare with, and
 * the snapshot counts as changed. So `Stale` is never raised before the book has really been
 * unchanged for `staleAfterMs` (no false alarm, whatever the values), and a book that stops changing
 * is timed from its first repeat: at most one snapshot later than from the last change. A book with
 * a NaN price or size (flagged `NonFinite`) has a NaN certificate and counts as changed every time.
 *
 * Units: prices and sizes as given; `ts` and `staleAfterMs` in milliseconds. Output: a bit set,
 * integer in [0, 4095]; 0 for a clean book, and for an empty book (no levels).
 *
 * References: the checks follow common exchange/surveillance data-quality rules (e.g. NautilusTrader's
 * book integrity checks, where locked is distinct from crossed); the bit set is this library's.
 *
 * @example
 * ```ts
 * const v = new BookValidator();
 * v.validate(bookFromLevels([[579.40, 496]], [[580.23, 100]])); // 0
 * const bad = bookFromLevels([[100, 5], [101, 0]], [[99, 3]]);
 * describeIssues(v.check(bad)); // ['Crossed', 'OutOfOrder', 'ZeroSizeLevel']
 * const fixable = bookFromLevels([[100, 5], [NaN, 2], [99, 7]], [[101, 3]]);
 * v.sanitize(fixable); // true
 * bookLevels(fixable, 'bid'); // [[100, 5], [99, 7]]
 * v.stats().droppedLevels.nonFinite; // 1
 * ```
 */
export class BookValidator {
  /** The options in force (defaults filled in). */
  readonly options: Readonly<Required<BookValidatorOptions>>;

  private readonly maxSpreadFraction: number;
  private readonly staleAfterMs: number;
  private readonly allowLocked: boolean;
  private readonly checkTime: boolean;
  private readonly trackStale: boolean;

  private lastTs = NaN;
  private changeTs = NaN;
  private hasPrev = false;
  private prevBidPx: Float64Array = new Float64Array(0);
  private prevBidSz: Float64Array = new Float64Array(0);
  private prevAskPx: Float64Array = new Float64Array(0);
  private prevAskSz: Float64Array = new Float64Array(0);
  private prevBidLevels = 0;
  private prevAskLevels = 0;
  /** Whether `prevBidPx` ... hold the previous snapshot's present levels (see `track`). */
  private copyValid = false;
  /** The previous snapshot's change certificate per side (NaN before any, or with a NaN level). */
  private prevBidCertificate = NaN;
  private prevAskCertificate = NaN;
  /** This snapshot's certificates [bid, ask], written by the scan (scratch). */
  private readonly certs = new Float64Array(2);
  private issuesOfLast = 0;
  /** Snapshots validated or sanitized, and of them the clean ones (the other counts are in `counts`). */
  private checked = 0;
  private clean = 0;

  private readonly counts = new Float64Array(COUNT_SLOTS);
  private readonly issueCounts = new Float64Array(ISSUE_COUNT);
  private readonly dropCounts = new Float64Array(DROP_SLOTS);
  private readonly rejectCounts = new Float64Array(REJECT_SLOTS);

  constructor(options: BookValidatorOptions = {}) {
    checkOptionKeys('BookValidator', options, Object.keys(DEFAULT_BOOK_VALIDATOR_OPTIONS));
    const d = DEFAULT_BOOK_VALIDATOR_OPTIONS;
    const o = {
      maxSpreadFraction: options.maxSpreadFraction ?? d.maxSpreadFraction,
      staleAfterMs: options.staleAfterMs ?? d.staleAfterMs,
      allowLocked: options.allowLocked ?? d.allowLocked,
      checkTime: options.checkTime ?? d.checkTime,
    };
    if (typeof o.maxSpreadFraction !== 'number' || !(o.maxSpreadFraction > 0)) {
      throw new InvalidOptionError('maxSpreadFraction', o.maxSpreadFraction, 'a number > 0 (Infinity disables the check)');
    }
    if (typeof o.staleAfterMs !== 'number' || !(o.staleAfterMs >= 0)) {
      throw new InvalidOptionError('staleAfterMs', o.staleAfterMs, 'a number >= 0 (Infinity disables the check)');
    }
    this.maxSpreadFraction = o.maxSpreadFraction;
    this.staleAfterMs = o.staleAfterMs;
    this.allowLocked = booleanOption('allowLocked', o.allowLocked);
    this.checkTime = booleanOption('checkTime', o.checkTime);
    this.trackStale = this.checkTime && this.staleAfterMs !== Infinity;
    this.options = Object.freeze({
      maxSpreadFraction: this.maxSpreadFraction,
      staleAfterMs: this.staleAfterMs,
      allowLocked: this.allowLocked,
      checkTime: this.checkTime,
    });
  }

  /** The issue bits of the last `validate` / `update` / `sanitize` call (0 before any). */
  get lastIssues(): number {
    return this.issuesOfLast;
  }

  /**
   * The per-snapshot issues of `book` ({@link BOOK_SNAPSHOT_ISSUES}): pure, remembers and counts
   * nothing, never throws, allocates nothing.
   */
  check(book: BookSnapshot): number {
    return this.scan(book, false);
  }

  /**
   * Validate one snapshot: {@link check} plus `TimeBackwards` (`ts` below the previous snapshot's)
   * and `Stale`. Updates the time and staleness state and the counts; never throws; allocates nothing
   * on a book no deeper than the ones before. Returns the issue bits (0 = clean).
   */
  validate(book: BookSnapshot): number {
    const ts = book.ts;
    const timed = this.checkTime && Number.isFinite(ts);
    let bits = this.scan(book, timed && this.trackStale);
    if (timed) {
      if (ts < this.lastTs) bits |= BookIssue.TimeBackwards;
      this.lastTs = ts;
      if (this.trackStale) bits |= this.staleness(bits, ts);
    }
    bits &= ~CHANGED;
    this.count(bits);
    return bits;
  }

  /** The operator contract's name for {@link validate}. */
  update(book: BookSnapshot): number {
    return this.validate(book);
  }

  /**
   * Repair `book` in place or reject it, by the policy in the class documentation. Returns true when
   * the (possibly repaired) snapshot may be used, false when it was rejected (then it is unchanged).
   * The issues found are in {@link lastIssues}; repairs and rejections are counted in {@link stats}.
   */
  sanitize(book: BookSnapshot): boolean {
    let bits = this.check(book);
    let reject = -1;
    if ((bits & BookIssue.BadLevelCount) !== 0) reject = R_BAD_LEVEL_COUNT;
    const ts = book.ts;
    if (this.checkTime) {
      if (!Number.isFinite(ts)) {
        if (reject < 0) reject = R_NON_FINITE_TS;
      } else if (ts < this.lastTs) {
        bits |= BookIssue.TimeBackwards;
        if (reject < 0) reject = R_TIME_BACKWARDS;
      }
    }
    const nb0 = book.bidLevels;
    const na0 = book.askLevels;
    if (reject < 0) {
      const ib = firstValid(book.bidPx, book.bidSz, nb0);
      const ia = firstValid(book.askPx, book.askSz, na0);
      if (ib >= 0 && ia >= 0) {
        const bid = book.bidPx[ib] as number;
        const ask = book.askPx[ia] as number;
        if (bid > ask) reject = R_CROSSED;
        else if (bid === ask && !this.allowLocked) reject = R_LOCKED;
      }
    }
    const counts = this.counts;
    counts[C_SANITIZED] = (counts[C_SANITIZED] as number) + 1;
    if (reject >= 0) {
      counts[C_REJECTED] = (counts[C_REJECTED] as number) + 1;
      this.rejectCounts[reject] = (this.rejectCounts[reject] as number) + 1;
      this.count(bits);
      return false;
    }
    let nb = nb0;
    let na = na0;
    if ((bits & STRUCTURE_BITS) !== 0) {
      nb = compactSide(book.bidPx, book.bidSz, nb0, true, this.dropCounts);
      na = compactSide(book.askPx, book.askSz, na0, false, this.dropCounts);
      book.bidLevels = nb;
      book.askLevels = na;
    }
    counts[C_ACCEPTED] = (counts[C_ACCEPTED] as number) + 1;
    if (nb !== nb0 || na !== na0) counts[C_REPAIRED] = (counts[C_REPAIRED] as number) + 1;
    if (this.checkTime) {
      this.lastTs = ts;
      if (this.trackStale) bits |= this.staleness(this.scan(book, true), ts);
    }
    this.count(bits);
    return true;
  }

  /** The counts since construction or the last `reset()` (allocates a plain object). */
  stats(): BookValidatorStats {
    const issues = {} as Record<BookIssueName, number>;
    for (let i = 0; i < ISSUE_COUNT; i++) issues[BOOK_ISSUE_NAMES[i] as BookIssueName] = this.issueCounts[i] as number;
    const c = this.counts;
    const d = this.dropCounts;
    const r = this.rejectCounts;
    return {
      checked: this.checked,
      clean: this.clean,
      sanitized: c[C_SANITIZED] as number,
      accepted: c[C_ACCEPTED] as number,
      repaired: c[C_REPAIRED] as number,
      rejected: c[C_REJECTED] as number,
      issues,
      droppedLevels: {
        nonFinite: d[D_NON_FINITE] as number,
        negativePrice: d[D_NEGATIVE_PRICE] as number,
        negativeSize: d[D_NEGATIVE_SIZE] as number,
        zeroSize: d[D_ZERO_SIZE] as number,
        duplicate: d[D_DUPLICATE] as number,
        outOfOrder: d[D_OUT_OF_ORDER] as number,
      },
      rejections: {
        badLevelCount: r[R_BAD_LEVEL_COUNT] as number,
        nonFiniteTs: r[R_NON_FINITE_TS] as number,
        timeBackwards: r[R_TIME_BACKWARDS] as number,
        crossed: r[R_CROSSED] as number,
        locked: r[R_LOCKED] as number,
      },
    };
  }

  /** Back to the freshly constructed state: time and staleness state and all counts cleared. */
  reset(): void {
    this.lastTs = NaN;
    this.changeTs = NaN;
    this.hasPrev = false;
    this.copyValid = false;
    this.prevBidLevels = 0;
    this.prevAskLevels = 0;
    this.issuesOfLast = 0;
    this.counts.fill(0);
    this.checked = 0;
    this.clean = 0;
    this.issueCounts.fill(0);
    this.dropCounts.fill(0);
    this.rejectCounts.fill(0);
  }

  /** The state as plain JSON data. */
  snapshot(): BookValidatorState {
    return {
      type: 'BookValidator',
      version: 1,
      lastTs: encodeNumber(this.lastTs),
      changeTs: encodeNumber(this.changeTs),
      hasPrev: this.hasPrev,
      prevLevels: [this.prevBidLevels, this.prevAskLevels],
      prevCertificate: [encodeNumber(this.prevBidCertificate), encodeNumber(this.prevAskCertificate)],
      copyValid: this.copyValid,
      prevBidPx: encodeNumbers(this.prevBidPx.subarray(0, this.copyValid ? this.prevBidLevels : 0)),
      prevBidSz: encodeNumbers(this.prevBidSz.subarray(0, this.copyValid ? this.prevBidLevels : 0)),
      prevAskPx: encodeNumbers(this.prevAskPx.subarray(0, this.copyValid ? this.prevAskLevels : 0)),
      prevAskSz: encodeNumbers(this.prevAskSz.subarray(0, this.copyValid ? this.prevAskLevels : 0)),
      lastIssues: this.issuesOfLast,
      counts: [this.checked, this.clean, ...Array.from(this.counts).slice(C_CLEAN + 1)],
      issueCounts: Array.from(this.issueCounts),
      dropCounts: Array.from(this.dropCounts),
      rejectCounts: Array.from(this.rejectCounts),
    };
  }

  /** Continue from a state returned by `snapshot()`; throws {@link InvalidStateError} if malformed. */
  restore(state: BookValidatorState): void {
    checkState(state, 'BookValidator', 1);
    const s = state as unknown as Record<string, unknown>;
    const lastTs = decodeNumber(numberField(s, 'lastTs'));
    const changeTs = decodeNumber(numberField(s, 'changeTs'));
    if (typeof s['hasPrev'] !== 'boolean') throw new InvalidStateError('BookValidator', '"hasPrev" must be a boolean');
    const bidPx = listField(s, 'prevBidPx');
    const bidSz = listField(s, 'prevBidSz');
    const askPx = listField(s, 'prevAskPx');
    const askSz = listField(s, 'prevAskSz');
    if (bidPx.length !== bidSz.length || askPx.length !== askSz.length) {
      throw new InvalidStateError('BookValidator', 'price and size lists of a side differ in length');
    }
    const lastIssues = s['lastIssues'];
    if (!Number.isInteger(lastIssues)) throw new InvalidStateError('BookValidator', '"lastIssues" must be an integer');
    const counts = countsField(s, 'counts', COUNT_SLOTS);
    const issueCounts = countsField(s, 'issueCounts', ISSUE_COUNT);
    const dropCounts = countsField(s, 'dropCounts', DROP_SLOTS);
    const rejectCounts = countsField(s, 'rejectCounts', REJECT_SLOTS);

    const tracked = trackedField(s, bidPx.length, askPx.length);

    this.lastTs = lastTs;
    this.changeTs = changeTs;
    this.hasPrev = s['hasPrev'];
    this.ensureCapacity(bidPx.length, askPx.length);
    decodeNumbersInto(bidPx, this.prevBidPx);
    decodeNumbersInto(bidSz, this.prevBidSz);
    decodeNumbersInto(askPx, this.prevAskPx);
    decodeNumbersInto(askSz, this.prevAskSz);
    if (tracked === null) {
      // A state without the certificate held a copy of the previous snapshot: rebuild it from that.
      this.copyValid = this.hasPrev;
      this.prevBidLevels = bidPx.length;
      this.prevAskLevels = askPx.length;
      certificate(this.prevBidPx, this.prevBidSz, bidPx.length, this.certs, 0);
      certificate(this.prevAskPx, this.prevAskSz, askPx.length, this.certs, 1);
      this.prevBidCertificate = this.certs[0] as number;
      this.prevAskCertificate = this.certs[1] as number;
    } else {
      this.copyValid = tracked.copyValid;
      this.prevBidLevels = tracked.levels[0];
      this.prevAskLevels = tracked.levels[1];
      this.prevBidCertificate = decodeNumber(tracked.certificate[0] as number | string);
      this.prevAskCertificate = decodeNumber(tracked.certificate[1] as number | string);
    }
    this.issuesOfLast = lastIssues as number;
    this.counts.set(counts);
    this.checked = counts[C_CHECKED] as number;
    this.clean = counts[C_CLEAN] as number;
    this.issueCounts.set(issueCounts);
    this.dropCounts.set(dropCounts);
    this.rejectCounts.set(rejectCounts);
  }

  /**
   * The per-snapshot checks; with `track`, also whether the present levels differ from the previous
   * snapshot's ({@link CHANGED}), by the certificate-then-copy scheme described under `Stale`.
   */
  private scan(book: BookSnapshot, track: boolean): number {
    const bidPx = book.bidPx;
    const bidSz = book.bidSz;
    const askPx = book.askPx;
    const askSz = book.askSz;
    const bidDepth = sideDepth(bidPx, bidSz);
    const askDepth = sideDepth(askPx, askSz);
    let nb = book.bidLevels;
    let na = book.askLevels;
    let bits = 0;
    if (badCount(nb, bidDepth) || badCount(na, askDepth)) {
      bits = BookIssue.BadLevelCount;
      nb = clampCount(nb, bidDepth);
      na = clampCount(na, askDepth);
    }
    if (this.checkTime && !(book.ts - book.ts === 0)) bits |= BookIssue.NonFinite;
    const certs = this.certs;
    const suspect = !(fastBids(bidPx, bidSz, nb, certs, 0) && fastAsks(askPx, askSz, na, certs, 1));
    if (suspect) {
      // the fast pass gives no certificate for a side it doubts: the plain one (NaN only for NaN values)
      certificate(bidPx, bidSz, nb, certs, 0);
      certificate(askPx, askSz, na, certs, 1);
    }
    if (track) bits |= this.track(book, nb, na);
    if (suspect) bits |= checkSide(bidPx, bidSz, nb, true) | checkSide(askPx, askSz, na, false);
    if (nb > 0 && na > 0) {
      const bid = bidPx[0] as number;
      const ask = askPx[0] as number;
      // a side the fast pass did not doubt has finite prices
      if (!suspect || (bid - bid === 0 && ask - ask === 0)) {
        if (bid > ask) bits |= BookIssue.Crossed;
        else if (bid === ask) {
          if (!this.allowLocked) bits |= BookIssue.Locked;
        } else if (ask - bid > this.maxSpreadFraction * (0.5 * bid + 0.5 * ask) && bid + ask > 0) {
          bits |= BookIssue.WideSpread;
        }
      }
    }
    return bits;
  }

  /**
   * {@link CHANGED} unless the present levels (first `nb` / `na`, certificates in `certs`) are known
   * to equal the previous snapshot's. Different counts or certificates (or a NaN one): changed, and
   * the copy is now out of date. Same certificates: compared level by level with the copy when it
   * holds the previous snapshot; when it does not (the first repeat after a change), counted as
   * changed. Then the copy takes this snapshot's levels.
   */
  private track(book: BookSnapshot, nb: number, na: number): number {
    const bidCertificate = this.certs[0] as number;
    const askCertificate = this.certs[1] as number;
    const same =
      bidCertificate === this.prevBidCertificate &&
      askCertificate === this.prevAskCertificate &&
      nb === this.prevBidLevels &&
      na === this.prevAskLevels &&
      this.hasPrev;
    this.prevBidCertificate = bidCertificate;
    this.prevAskCertificate = askCertificate;
    if (!same) {
      this.hasPrev = true;
      this.prevBidLevels = nb;
      this.prevAskLevels = na;
      this.copyValid = false;
      return CHANGED;
    }
    this.ensureCapacity(nb, na);
    const changed =
      !this.copyValid ||
      sideDiffers(book.bidPx, book.bidSz, nb, this.prevBidPx, this.prevBidSz) ||
      sideDiffers(book.askPx, book.askSz, na, this.prevAskPx, this.prevAskSz);
    copySide(book.bidPx, book.bidSz, nb, this.prevBidPx, this.prevBidSz);
    copySide(book.askPx, book.askSz, na, this.prevAskPx, this.prevAskSz);
    this.copyValid = true;
    return changed ? CHANGED : 0;
  }

  /** Stale from the scan's CHANGED bit: the time of the last change, and how long ago it was. */
  private staleness(bits: number, ts: number): number {
    if ((bits & CHANGED) !== 0) {
      this.changeTs = ts;
      return 0;
    }
    return ts - this.changeTs > this.staleAfterMs ? BookIssue.Stale : 0;
  }

  /** Grow the tracked copy (once per new depth; copies what it holds). */
  private ensureCapacity(bids: number, asks: number): void {
    if (this.prevBidPx.length < bids) {
      this.prevBidPx = grow(this.prevBidPx, bids);
      this.prevBidSz = grow(this.prevBidSz, bids);
    }
    if (this.prevAskPx.length < asks) {
      this.prevAskPx = grow(this.prevAskPx, asks);
      this.prevAskSz = grow(this.prevAskSz, asks);
    }
  }

  private count(bits: number): void {
    this.issuesOfLast = bits;
    this.checked++;
    if (bits === 0) {
      this.clean++;
      return;
    }
    for (let i = 0; i < ISSUE_COUNT; i++) {
      if ((bits & (1 << i)) !== 0) this.issueCounts[i] = (this.issueCounts[i] as number) + 1;
    }
  }
}

function grow(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function numberField(s: Record<string, unknown>, name: string): number | string {
  const v = s[name];
  if (typeof v === 'number' || (typeof v === 'string' && (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0'))) {
    return v;
  }
  throw new InvalidStateError('BookValidator', `"${name}" must be a number (or "NaN", "Infinity", "-Infinity", "-0")`);
}

function listField(s: Record<string, unknown>, name: string): Array<number | string> {
  const v = s[name];
  if (!Array.isArray(v)) throw new InvalidStateError('BookValidator', `"${name}" must be an array`);
  for (let i = 0; i < v.length; i++) numberField(v as unknown as Record<string, unknown>, String(i));
  return v as Array<number | string>;
}

/**
 * The certificate fields of a state (`prevLevels`, `prevCertificate`, `copyValid`), or null when it has none
 * (a state written before they existed). With `copyValid`, the copied lists must have the counts' lengths.
 */
function trackedField(
  s: Record<string, unknown>,
  bidCopied: number,
  askCopied: number,
): { levels: [number, number]; certificate: Array<number | string>; copyValid: boolean } | null {
  if (s['prevCertificate'] === undefined && s['prevLevels'] === undefined && s['copyValid'] === undefined) return null;
  const levels = s['prevLevels'];
  if (!Array.isArray(levels) || levels.length !== 2 || !levels.every((x) => Number.isInteger(x) && x >= 0)) {
    throw new InvalidStateError('BookValidator', '"prevLevels" must be two level counts [bid, ask]');
  }
  const certificate = listField(s, 'prevCertificate');
  if (certificate.length !== 2) throw new InvalidStateError('BookValidator', '"prevCertificate" must hold 2 numbers');
  const copyValid = s['copyValid'];
  if (typeof copyValid !== 'boolean') throw new InvalidStateError('BookValidator', '"copyValid" must be a boolean');
  if (copyValid && (bidCopied !== levels[0] || askCopied !== levels[1])) {
    throw new InvalidStateError('BookValidator', 'the copied levels must match "prevLevels" when "copyValid"');
  }
  return { levels: [levels[0] as number, levels[1] as number], certificate, copyValid };
}

function countsField(s: Record<string, unknown>, name: string, length: number): number[] {
  const v = s[name];
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && x >= 0)) {
    throw new InvalidStateError('BookValidator', `"${name}" must be an array of ${length} counts`);
  }
  return v as number[];
}
