import fc from 'fast-check';
import type { BookIssueName } from '../book/validator.js';
import { InvalidOptionError } from '../core/errors.js';
import type { BookSnapshot } from '../core/events.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';

/** Options of {@link validBook}. */
export interface ValidBookOptions {
  /** Capacity in levels a side (the snapshot's array length). @defaultValue 10 */
  depth?: number;
  /** Fewest levels a side holds (at most `depth`). @defaultValue 0 with `allowEmptySides`, else 1 */
  minLevels?: number;
  /** Tick size: every price is a whole number of ticks times it. @defaultValue 0.01 */
  tickSize?: number;
  /** Whether a side may hold no level. @defaultValue false */
  allowEmptySides?: boolean;
  /** Largest level size (sizes are integers >= 1). @defaultValue 100000 */
  maxSize?: number;
  /** Widest spread, in ticks (at least 1). @defaultValue 10 */
  maxSpreadTicks?: number;
  /** Largest gap between neighbouring levels of a side, in ticks. @defaultValue 3 */
  maxGapTicks?: number;
  /** `ts` is an integer in [0, maxTs]. @defaultValue 86400000 */
  maxTs?: number;
}

/** Defaults of {@link ValidBookOptions} (`minLevels` follows `allowEmptySides`). */
export const DEFAULT_VALID_BOOK_OPTIONS = Object.freeze({
  /** @defaultValue 10 */
  depth: 10,
  /** @defaultValue 0.01 */
  tickSize: 0.01,
  /** @defaultValue false */
  allowEmptySides: false,
  /** @defaultValue 100000 */
  maxSize: 100_000,
  /** @defaultValue 10 */
  maxSpreadTicks: 10,
  /** @defaultValue 3 */
  maxGapTicks: 3,
  /** @defaultValue 86400000 */
  maxTs: 86_400_000,
});

/** The smallest best bid, in ticks: with at most `maxSpreadTicks` 10 the spread stays under 1% of mid. */
const MIN_BID_TICK = 1000;
const MAX_BID_TICK = 1_000_000;

/** The integer recipe a book is built from (what fast-check shrinks). */
interface Recipe {
  ts: number;
  bidLevels: number;
  askLevels: number;
  bidTick: number;
  spread: number;
  bidGaps: number[];
  askGaps: number[];
  bidSizes: number[];
  askSizes: number[];
}

interface Resolved {
  depth: number;
  minLevels: number;
  tickSize: number;
  maxSize: number;
  maxSpreadTicks: number;
  maxGapTicks: number;
  maxTs: number;
}

function resolve(options: ValidBookOptions, where: string): Resolved {
  checkOptionKeys(where, options, ['depth', 'minLevels', 'tickSize', 'allowEmptySides', 'maxSize', 'maxSpreadTicks', 'maxGapTicks', 'maxTs']);
  const D = DEFAULT_VALID_BOOK_OPTIONS;
  const depth = integerOption('depth', options.depth ?? D.depth, 1, 1000);
  const allowEmpty = options.allowEmptySides ?? D.allowEmptySides;
  if (typeof allowEmpty !== 'boolean') throw new InvalidOptionError('allowEmptySides', allowEmpty, 'a boolean');
  return {
    depth,
    minLevels: integerOption('minLevels', options.minLevels ?? (allowEmpty ? 0 : 1), 0, depth),
    tickSize: positiveOption('tickSize', options.tickSize ?? D.tickSize),
    maxSize: integerOption('maxSize', options.maxSize ?? D.maxSize, 1),
    maxSpreadTicks: integerOption('maxSpreadTicks', options.maxSpreadTicks ?? D.maxSpreadTicks, 1, 100),
    maxGapTicks: integerOption('maxGapTicks', options.maxGapTicks ?? D.maxGapTicks, 1, 100),
    maxTs: nonNegativeOption('maxTs', options.maxTs ?? D.maxTs),
  };
}

function recipe(r: Resolved, minBid = r.minLevels, minAsk = r.minLevels): fc.Arbitrary<Recipe> {
  const n = r.depth;
  return fc.record({
    ts: fc.integer({ min: 0, max: Math.floor(r.maxTs) }),
    bidLevels: fc.integer({ min: minBid, max: n }),
    askLevels: fc.integer({ min: minAsk, max: n }),
    bidTick: fc.integer({ min: MIN_BID_TICK, max: MAX_BID_TICK }),
    spread: fc.integer({ min: 1, max: r.maxSpreadTicks }),
    bidGaps: fc.array(fc.integer({ min: 1, max: r.maxGapTicks }), { minLength: n, maxLength: n }),
    askGaps: fc.array(fc.integer({ min: 1, max: r.maxGapTicks }), { minLength: n, maxLength: n }),
    bidSizes: fc.array(fc.integer({ min: 1, max: r.maxSize }), { minLength: n, maxLength: n }),
    askSizes: fc.array(fc.integer({ min: 1, max: r.maxSize }), { minLength: n, maxLength: n }),
  });
}

/** Build the snapshot of a recipe: ticks first (integers), prices = ticks x tickSize. */
function build(x: Recipe, r: Resolved): BookSnapshot {
  const n = r.depth;
  const book: BookSnapshot = {
    ts: x.ts,
    bidPx: new Float64Array(n).fill(Number.NaN),
    bidSz: new Float64Array(n),
    askPx: new Float64Array(n).fill(Number.NaN),
    askSz: new Float64Array(n),
    bidLevels: x.bidLevels,
    askLevels: x.askLevels,
  };
  let bt = x.bidTick;
  for (let i = 0; i < x.bidLevels; i++) {
    if (i > 0) bt -= x.bidGaps[i]!;
    book.bidPx[i] = bt * r.tickSize;
    book.bidSz[i] = x.bidSizes[i]!;
  }
  let at = x.bidTick + x.spread;
  for (let i = 0; i < x.askLevels; i++) {
    if (i > 0) at += x.askGaps[i]!;
    book.askPx[i] = at * r.tickSize;
    book.askSz[i] = x.askSizes[i]!;
  }
  return book;
}

/**
 * Shrinkable valid book snapshots: prices on the tick grid (bids strictly descending, asks strictly
 * ascending, neighbours 1 to `maxGapTicks` ticks apart), best bid below best ask by 1 to
 * `maxSpreadTicks` ticks, a best bid of 1,000 to 1,000,000 ticks (so the spread stays under 1% of
 * the mid), integer sizes in [1, maxSize], `minLevels`..`depth` levels a side, empty levels NaN / 0,
 * integer `ts`. Every one passes a default `BookValidator` with no issue. Shrinks towards fewer
 * levels, the smallest prices, gaps and sizes, and ts 0.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(validBook({ depth: 5 }), (book) => new BookValidator().check(book) === 0));
 * ```
 */
export function validBook(options: ValidBookOptions = {}): fc.Arbitrary<BookSnapshot> {
  const r = resolve(options, 'validBook');
  return recipe(r).map((x) => build(x, r));
}

/** Options of {@link invalidBook}: those of {@link validBook} (for the valid part), and for `Stale` the threshold. */
export interface InvalidBookOptions extends Omit<ValidBookOptions, 'minLevels' | 'allowEmptySides'> {
  /** For `Stale`: the validator's `staleAfterMs`. @defaultValue 60000 (the validator's default) */
  staleAfterMs?: number;
}

/** The per-snapshot issue names (every {@link BookIssueName} but the stream issues `TimeBackwards` and `Stale`). */
export type SnapshotIssueName = Exclude<BookIssueName, 'TimeBackwards' | 'Stale'>;

/** The stream issue names: they need the previous snapshot. */
export type StreamIssueName = 'TimeBackwards' | 'Stale';

const SNAPSHOT_ISSUES: readonly SnapshotIssueName[] = [
  'NonFinite',
  'NegativePrice',
  'NegativeSize',
  'Crossed',
  'Locked',
  'WideSpread',
  'OutOfOrder',
  'DuplicateLevel',
  'ZeroSizeLevel',
  'BadLevelCount',
];

/**
 * Shrinkable book snapshots that show exactly one `BookValidator` issue: `check(book)` (with default
 * validator options) returns exactly that bit. Per kind: `NonFinite` a NaN or +-Infinity price or size
 * at a present level; `NegativePrice` a bid level past the best at price 0 or below; `NegativeSize` a
 * negative size; `Crossed` best bid 1+ ticks above best ask; `Locked` best bid = best ask; `WideSpread`
 * best ask >= 1.2 x best bid; `OutOfOrder` two neighbouring levels of a side swapped; `DuplicateLevel`
 * a level repeating its better neighbour's price; `ZeroSizeLevel` a present level of size 0;
 * `BadLevelCount` a level count above the depth, negative, fractional or NaN.
 *
 * For the stream issues it returns a sequence of snapshots whose **last** shows the issue when a
 * fresh validator `validate()`s them in order: `TimeBackwards` two books, the second with a smaller
 * `ts`; `Stale` three books with the same levels: a book, its repeat at the same `ts` (the validator
 * times staleness from the first repeat) and the third more than `staleAfterMs` later.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(invalidBook('Crossed'), (book) => new BookValidator().check(book) === BookIssue.Crossed));
 * ```
 */
export function invalidBook(kind: SnapshotIssueName, options?: InvalidBookOptions): fc.Arbitrary<BookSnapshot>;
export function invalidBook(kind: StreamIssueName, options?: InvalidBookOptions): fc.Arbitrary<BookSnapshot[]>;
export function invalidBook(kind: BookIssueName, options?: InvalidBookOptions): fc.Arbitrary<BookSnapshot> | fc.Arbitrary<BookSnapshot[]>;
export function invalidBook(kind: BookIssueName, options: InvalidBookOptions = {}): fc.Arbitrary<BookSnapshot> | fc.Arbitrary<BookSnapshot[]> {
  const { staleAfterMs: staleOption, ...bookOptions } = options;
  const staleAfterMs = nonNegativeOption('staleAfterMs', staleOption ?? 60_000);
  const r = resolve(bookOptions, 'invalidBook');
  const n = r.depth;
  const needTwo = ['NegativePrice', 'OutOfOrder', 'DuplicateLevel'].includes(kind);
  if (needTwo && n < 2) throw new InvalidOptionError('depth', n, `>= 2 for ${kind}`);
  const base = recipe(r, needTwo ? 2 : 1, needTwo ? 2 : 1);
  const pick = fc.record({ side: fc.boolean(), at: fc.nat(), k: fc.integer({ min: 1, max: 100 }), variant: fc.nat({ max: 3 }) });
  const t = r.tickSize;
  switch (kind) {
    case 'NonFinite':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        const bids = p.side;
        const levels = bids ? b.bidLevels : b.askLevels;
        const i = p.at % levels;
        const bad = p.variant === 0 ? Number.NaN : p.variant === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        // variant 3: a NaN size; else a non-finite price
        if (p.variant === 3) (bids ? b.bidSz : b.askSz)[i] = Number.NaN;
        else (bids ? b.bidPx : b.askPx)[i] = bad;
        return b;
      });
    case 'NegativePrice':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        // the last bid level (not the best, so the spread and the order stay as they were)
        b.bidPx[b.bidLevels - 1] = p.variant === 0 ? 0 : -p.k * t;
        return b;
      });
    case 'NegativeSize':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        const sz = p.side ? b.bidSz : b.askSz;
        sz[p.at % (p.side ? b.bidLevels : b.askLevels)] = -p.k;
        return b;
      });
    case 'Crossed':
    case 'Locked':
      return fc.tuple(base, pick).map(([x, p]) => {
        // the ask side starts `over` ticks below the best bid (crossed) or at it (locked)
        const over = kind === 'Crossed' ? 1 + (p.k % r.maxSpreadTicks) : 0;
        const b = build({ ...x, spread: 0 }, r);
        let at = x.bidTick - over;
        for (let i = 0; i < b.askLevels; i++) {
          if (i > 0) at += x.askGaps[i]!;
          b.askPx[i] = at * t;
        }
        return b;
      });
    case 'WideSpread':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        let at = Math.ceil(x.bidTick * 1.2) + p.k;
        for (let i = 0; i < b.askLevels; i++) {
          if (i > 0) at += x.askGaps[i]!;
          b.askPx[i] = at * t;
        }
        return b;
      });
    case 'OutOfOrder':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        const px = p.side ? b.bidPx : b.askPx;
        const i = p.at % ((p.side ? b.bidLevels : b.askLevels) - 1);
        const tmp = px[i]!;
        px[i] = px[i + 1]!;
        px[i + 1] = tmp;
        return b;
      });
    case 'DuplicateLevel':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        const px = p.side ? b.bidPx : b.askPx;
        const i = p.at % ((p.side ? b.bidLevels : b.askLevels) - 1);
        px[i + 1] = px[i]!;
        return b;
      });
    case 'ZeroSizeLevel':
      return fc.tuple(base, pick).map(([x, p]) => {
        const b = build(x, r);
        (p.side ? b.bidSz : b.askSz)[p.at % (p.side ? b.bidLevels : b.askLevels)] = p.variant === 0 ? -0 : 0;
        return b;
      });
    case 'BadLevelCount':
      return fc.tuple(base, pick).map(([x, p]) => {
        // variant 0: more than the depth (all levels present, so the clamped check sees valid levels);
        // 1: negative; 2: fractional (floor = the levels present); 3: NaN
        const b = build(p.variant === 0 ? { ...x, bidLevels: n, askLevels: n } : x, r);
        const bad = p.variant === 0 ? n + p.k : p.variant === 1 ? -p.k : p.variant === 2 ? (p.side ? b.bidLevels : b.askLevels) + 0.5 : Number.NaN;
        if (p.side) b.bidLevels = bad;
        else b.askLevels = bad;
        if (p.variant === 1 || p.variant === 3) {
          // those sides count as empty: clear them so nothing else is flagged
          const px = p.side ? b.bidPx : b.askPx;
          px.fill(Number.NaN);
          (p.side ? b.bidSz : b.askSz).fill(0);
        }
        return b;
      });
    case 'TimeBackwards':
      return fc.tuple(base, base, fc.integer({ min: 1, max: 3_600_000 })).map(([x, y, back]) => {
        const first = build(x, r);
        first.ts = x.ts + back;
        const second = build(y, r);
        second.ts = x.ts;
        return [first, second];
      });
    case 'Stale':
      return fc.tuple(base, fc.integer({ min: 1, max: 3_600_000 })).map(([x, extra]) => {
        const first = build(x, r);
        const repeat = build(x, r);
        const later = build(x, r);
        later.ts = x.ts + staleAfterMs + extra;
        return [first, repeat, later];
      });
    default:
      throw new InvalidOptionError('kind', kind, `a BookIssueName (${[...SNAPSHOT_ISSUES, 'TimeBackwards', 'Stale'].join(', ')})`);
  }
}

/** The snapshot issue names, for iterating `invalidBook` over every kind. */
export const SNAPSHOT_ISSUE_NAMES: readonly SnapshotIssueName[] = Object.freeze([...SNAPSHOT_ISSUES]);
