/**
 * fast-check arbitraries for the trade-operator tests: mixed streams of quotes and trades in time order
 * (prices on a $0.01 grid near $100, so ties at the mid, at the bid and at the ask happen often).
 */
import fc from 'fast-check';
import type { Side, Trade } from '../../src/core/events.js';

/** One event of a mixed stream. */
export type StreamEvent =
  | { kind: 'quote'; ts: number; bid: number; ask: number }
  | { kind: 'trade'; trade: Trade }
  | { kind: 'advance'; ts: number }
  | { kind: 'flush' };

export interface StreamOptions {
  /** Largest time step between events, ms. */
  maxDtMs?: number;
  /** Include `advance` and `flush` events. */
  control?: boolean;
  /** Share of quotes with a missing side (NaN). */
  missingSides?: boolean;
  maxLength?: number;
  /** Trade sizes up to this (0 included). */
  maxSize?: number;
}

/** A time-ordered stream of quotes and trades (and optionally `advance` / `flush` controls). */
export function streamArb(options: StreamOptions = {}): fc.Arbitrary<StreamEvent[]> {
  const maxDt = options.maxDtMs ?? 2000;
  const maxSize = options.maxSize ?? 500;
  const s = fc.record({
    dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: maxDt })),
    kind: fc.integer({ min: 0, max: 99 }),
    level: fc.integer({ min: -40, max: 40 }),
    width: fc.integer({ min: 1, max: 12 }),
    offset: fc.integer({ min: -3, max: 15 }),
    size: fc.integer({ min: 0, max: maxSize }),
    side: fc.constantFrom<Side>(-1, 0, 1),
  });
  return fc.array(s, { maxLength: options.maxLength ?? 60 }).map((steps) => {
    let ts = 34_200_000;
    let bidTicks = 10_000;
    let askTicks = 10_002;
    const out: StreamEvent[] = [];
    for (const x of steps) {
      ts += x.dt;
      if (x.kind < 40) {
        bidTicks = 10_000 + x.level;
        askTicks = bidTicks + x.width;
        const missing = options.missingSides === true && x.kind < 4;
        out.push({ kind: 'quote', ts, bid: missing && x.kind < 2 ? NaN : bidTicks / 100, ask: missing && x.kind >= 2 ? NaN : askTicks / 100 });
      } else if (options.control === true && x.kind >= 96) {
        out.push(x.kind === 99 ? { kind: 'flush' } : { kind: 'advance', ts });
      } else {
        // Prices from 3 ticks below the bid to 3 beyond the ask (offset in ticks above the bid).
        const priceTicks = Math.min(bidTicks + x.offset, askTicks + 3);
        out.push({ kind: 'trade', trade: { ts, price: priceTicks / 100, size: x.size, side: x.side } });
      }
    }
    return out;
  });
}

/** Trades alone, in time order, positive sizes. */
export function tradesArb(options: StreamOptions = {}): fc.Arbitrary<Trade[]> {
  return streamArb({ ...options, maxSize: options.maxSize ?? 500 }).map((events) =>
    events.flatMap((e) => (e.kind === 'trade' ? [{ ...e.trade, size: e.trade.size === 0 ? 1 : e.trade.size }] : [])),
  );
}

/** The same stream with every trade's side flipped. */
export function flipSides(events: readonly StreamEvent[]): StreamEvent[] {
  return events.map((e) => (e.kind === 'trade' ? { kind: 'trade', trade: { ...e.trade, side: (-(e.trade.side ?? 0) || 0) as Side } } : e));
}

/** Something with the quote-taking and trade methods of the trade operators. */
interface Fed {
  onQuote?(ts: number, bid: number, ask: number): unknown;
  advanceTo?(ts: number): void;
  flush?(): void;
  update(trade: Trade, side?: number): unknown;
}

/** Feed one event; returns `update`'s output for trades, `onQuote`'s (or null) otherwise. */
export function feed<T extends Fed>(op: T, e: StreamEvent): unknown {
  switch (e.kind) {
    case 'quote':
      return op.onQuote === undefined ? null : (op.onQuote(e.ts, e.bid, e.ask) ?? null);
    case 'advance':
      op.advanceTo?.(e.ts);
      return null;
    case 'flush':
      op.flush?.();
      return null;
    default:
      return op.update(e.trade);
  }
}
