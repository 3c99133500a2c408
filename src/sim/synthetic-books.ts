import type { BookSnapshot, OrderEvent, Trade } from '../core/events.js';
import { createBook } from '../core/book.js';
import { checkOptionKeys, integerOption, positiveOption } from '../core/options.js';
import { Random } from '../core/random.js';

/** Options of {@link syntheticSession}. */
export interface SyntheticSessionOptions {
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
  /** Number of events (one book each). @defaultValue 100000 */
  events?: number;
  /** Levels a side. @defaultValue 10 */
  depth?: number;
  /** Tick size. @defaultValue 0.01 */
  tickSize?: number;
  /** Starting mid price. @defaultValue 100 */
  startPrice?: number;
  /** Mean milliseconds between events. @defaultValue 10 */
  meanGapMs?: number;
  /** Session start, ms (09:30 after midnight). @defaultValue 34200000 */
  startMs?: number;
}

/** Defaults of {@link SyntheticSessionOptions}. */
export const DEFAULT_SYNTHETIC_SESSION_OPTIONS: Readonly<Required<SyntheticSessionOptions>> = Object.freeze({
  seed: 1,
  events: 100_000,
  depth: 10,
  tickSize: 0.01,
  startPrice: 100,
  meanGapMs: 10,
  startMs: 34_200_000,
});

/** One step of a {@link syntheticSession}: the order event, the trade it caused (or null), the book after it. */
export interface SyntheticRow {
  order: OrderEvent;
  trade: Trade | null;
  book: BookSnapshot;
}

/**
 * A small, seeded, documented synthetic session for demos and benchmarks when no market data is at hand
 * and tests of the engine's plumbing. It is not a market model: for realistic flow with endogenous
 * price impact and labelled scenarios use `MarketSimulator`.
 *
 * Model (zero-intelligence, level-aggregated): a book of `depth` levels a side on a tick grid around a
 * mid; each event is, with probabilities 0.45 / 0.40 / 0.15, a limit order adding 1-500 shares at a
 * level drawn geometrically from the touch (when the spread is g > 1 ticks, it improves the touch with
 * probability 1 - 1/g), a cancel of up to the whole size of such a level, or a market order executing
 * against the touch. A touch level that empties shifts its side one tick away
 * and a new level of random size appears at the far end; a side whose touch moved away lets the other
 * side's prices follow half of the time, so the mid wanders. Event gaps are exponential. The same seed
 * gives the same session. Yields borrowed objects (one order, trade and book reused).
 */
export function* syntheticSession(options: SyntheticSessionOptions = {}): Generator<SyntheticRow, void, undefined> {
  checkOptionKeys('syntheticSession', options, Object.keys(DEFAULT_SYNTHETIC_SESSION_OPTIONS));
  const o = { ...DEFAULT_SYNTHETIC_SESSION_OPTIONS, ...options };
  const events = integerOption('events', o.events, 0);
  const depth = integerOption('depth', o.depth, 1, 1000);
  const tick = positiveOption('tickSize', o.tickSize);
  const meanGap = positiveOption('meanGapMs', o.meanGapMs);
  const rng = new Random(o.seed);
  const book = createBook(depth);
  // prices in integer ticks, kept separately so they never drift from the grid
  let bestBidTicks = Math.round(positiveOption('startPrice', o.startPrice) / tick) - 1;
  let bestAskTicks = bestBidTicks + 2;
  const bidSz = new Float64Array(depth);
  const askSz = new Float64Array(depth);
  for (let i = 0; i < depth; i++) {
    bidSz[i] = rng.int(100, 1000);
    askSz[i] = rng.int(100, 1000);
  }
  const order: OrderEvent = { ts: o.startMs, kind: 'add', orderId: 0, size: 0, price: 0, side: 1 };
  const trade: Trade = { ts: o.startMs, price: 0, size: 0, side: 0, id: 0 };
  const row: SyntheticRow = { order, trade: null, book };
  let ts = o.startMs;
  const write = () => {
    for (let i = 0; i < depth; i++) {
      book.bidPx[i] = (bestBidTicks - i) * tick;
      book.bidSz[i] = bidSz[i]!;
      book.askPx[i] = (bestAskTicks + i) * tick;
      book.askSz[i] = askSz[i]!;
    }
    book.bidLevels = depth;
    book.askLevels = depth;
    book.ts = ts;
  };
  const shiftAway = (sz: Float64Array) => {
    sz.copyWithin(0, 1);
    sz[depth - 1] = rng.int(100, 1000);
  };
  const shiftIn = (sz: Float64Array, size: number) => {
    sz.copyWithin(1, 0, depth - 1);
    sz[0] = size;
  };
  for (let n = 0; n < events; n++) {
    ts += rng.exponential(1 / meanGap);
    const side: 1 | -1 = rng.bernoulli(0.5) ? 1 : -1;
    const sz = side === 1 ? bidSz : askSz;
    const u = rng.next();
    order.ts = ts;
    order.orderId = n + 1;
    order.side = side;
    row.trade = null;
    let level = Math.min(depth - 1, Math.floor(rng.exponential(0.7)));
    if (u < 0.45) {
      const size = rng.int(1, 500);
      const gap = bestAskTicks - bestBidTicks;
      // a gap of g ticks is filled in front with probability 1 - 1/g: spreads stay near one tick
      if (gap > 1 && rng.bernoulli(1 - 1 / gap)) {
        level = 0;
        // improve the touch by one tick
        if (side === 1) bestBidTicks++;
        else bestAskTicks--;
        shiftIn(sz, size);
      } else {
        sz[level] = sz[level]! + size;
      }
      order.kind = 'add';
      order.size = size;
    } else if (u < 0.85) {
      const size = Math.max(1, Math.min(sz[level]!, rng.int(1, 600)));
      order.kind = size === sz[level]! ? 'delete' : 'cancel';
      sz[level] = sz[level]! - size;
      order.size = size;
      if (sz[level]! <= 0) {
        if (level === 0) {
          if (side === 1) bestBidTicks--;
          else bestAskTicks++;
          shiftAway(sz);
        } else {
          sz[level] = rng.int(1, 100);
        }
      }
    } else {
      // a market order hits the opposite touch: side here is the resting (hit) side
      level = 0;
      const size = Math.max(1, Math.min(sz[0]!, rng.int(1, 400)));
      sz[0] = sz[0]! - size;
      order.kind = 'execute';
      order.size = size;
      trade.ts = ts;
      trade.price = (side === 1 ? bestBidTicks : bestAskTicks) * tick;
      trade.size = size;
      trade.side = side === 1 ? -1 : 1;
      trade.id = n + 1;
      row.trade = trade;
      if (sz[0]! <= 0) {
        if (side === 1) bestBidTicks--;
        else bestAskTicks++;
        shiftAway(sz);
        // the other side follows half of the time, so the mid wanders
        if (rng.bernoulli(0.5)) {
          if (side === 1 && bestAskTicks - bestBidTicks > 1) {
            bestAskTicks--;
            shiftIn(askSz, rng.int(1, 300));
          } else if (side === -1 && bestAskTicks - bestBidTicks > 1) {
            bestBidTicks++;
            shiftIn(bidSz, rng.int(1, 300));
          }
        }
      }
    }
    order.price = (side === 1 ? bestBidTicks - level : bestAskTicks + level) * tick;
    write();
    yield row;
  }
}
