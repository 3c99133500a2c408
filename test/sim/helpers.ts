/**
 * Helpers for the simulator tests: copy a borrowed event stream, and check the invariants every
 * zero-intelligence session keeps, independently of the simulator (an L3OrderBook rebuilt from its
 * order events).
 */
import { expect } from 'vitest';
import { L3OrderBook } from '../../src/book/l3-order-book.js';
import { booksEqual, cloneBook, createBook } from '../../src/core/book.js';
import type { BookSnapshot, MarketEvent, OrderEvent, Trade } from '../../src/core/events.js';
import type { MarketSimulator } from '../../src/sim/market-simulator.js';

/** An order event with what followed it: its trade (executions) and the book after it. */
export interface Step {
  index: number;
  order: OrderEvent;
  trade: Trade | null;
  book: BookSnapshot | null;
}

/** Copy the next `durationMs` of a simulator's events (book clones, order and trade copies). */
export function collect(sim: MarketSimulator, durationMs: number): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (const e of sim.events(durationMs)) {
    if (e.type === 'book') out.push({ type: 'book', symbol: e.symbol, book: cloneBook(e.book) });
    else if (e.type === 'trade') out.push({ type: 'trade', symbol: e.symbol, trade: { ...e.trade } });
    else out.push({ type: 'order', symbol: e.symbol, order: { ...e.order } });
  }
  return out;
}

/** Group copied events (snapshots every event) into steps: order, its trade, its book. */
export function steps(events: readonly MarketEvent[]): Step[] {
  const out: Step[] = [];
  for (const e of events) {
    if (e.type === 'order') out.push({ index: out.length, order: e.order, trade: null, book: null });
    else if (e.type === 'trade') out[out.length - 1]!.trade = e.trade;
    else out[out.length - 1]!.book = e.book;
  }
  return out;
}

/** A compact text form of events, for comparing two runs. */
export function fingerprint(events: Iterable<MarketEvent>, limit = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  for (const e of events) {
    if (parts.length >= limit) break;
    if (e.type === 'order') parts.push(`o${e.order.ts},${e.order.kind},${e.order.orderId},${e.order.size},${e.order.price},${e.order.side}`);
    else if (e.type === 'trade') parts.push(`t${e.trade.ts},${e.trade.price},${e.trade.size},${e.trade.side},${e.trade.id}`);
    else {
      const b = e.book;
      parts.push(`b${b.ts},${b.bidLevels},${b.askLevels},${Array.from(b.bidPx.subarray(0, b.bidLevels))},${Array.from(b.bidSz.subarray(0, b.bidLevels))},${Array.from(b.askPx.subarray(0, b.askLevels))},${Array.from(b.askSz.subarray(0, b.askLevels))}`);
    }
  }
  return parts.join('\n');
}

/**
 * The invariants of a zero-intelligence session with snapshots every event, checked against an
 * independent L3OrderBook rebuilt from the order events: each order event is followed by a trade
 * exactly when it is an execution (same price and size, aggressor side = -resting side), then by the
 * book after it, which equals the rebuilt book; every execution takes the front order of the best
 * level of its side; time never goes back; prices lie on the tick grid, sizes are integers >= 1.
 * Corrupted books (`skipBooks`) are left out of the book comparison.
 */
export function checkSession(events: readonly MarketEvent[], depth: number, tickSize: number, skipBooks: ReadonlySet<number> = new Set()): Step[] {
  const rebuilt = new L3OrderBook();
  const scratch = createBook(depth);
  const all = steps(events);
  let lastTs = Number.NEGATIVE_INFINITY;
  for (const s of all) {
    const o = s.order;
    expect(o.ts).toBeGreaterThanOrEqual(lastTs);
    lastTs = o.ts;
    expect(Number.isInteger(o.size) && o.size >= 1).toBe(true);
    expect(Math.abs(o.price / tickSize - Math.round(o.price / tickSize))).toBeLessThan(1e-7);
    if (o.kind === 'execute') {
      expect(rebuilt.queuePosition(o.orderId)).toBe(0);
      expect(o.price).toBe(o.side === 1 ? rebuilt.bestBid() : rebuilt.bestAsk());
      expect(s.trade).not.toBeNull();
      expect([s.trade!.ts, s.trade!.price, s.trade!.size, s.trade!.side]).toEqual([o.ts, o.price, o.size, -o.side]);
    } else {
      expect(s.trade).toBeNull();
      if (o.kind !== 'add') expect(rebuilt.orderSize(o.orderId)).toBeGreaterThanOrEqual(o.size);
    }
    rebuilt.apply(o);
    expect(s.book).not.toBeNull();
    if (!skipBooks.has(s.index)) {
      expect(s.book!.ts).toBe(o.ts);
      if (!booksEqual(rebuilt.writeSnapshot(scratch), s.book!)) expect.fail(`book after message ${s.index} differs from the rebuilt book`);
    }
  }
  const st = rebuilt.stats();
  expect(st.unknownOrders).toEqual({ cancel: 0, delete: 0, execute: 0 });
  expect(st.sizeDisagreements).toBe(0);
  expect(st.duplicateAdds).toBe(0);
  return all;
}

/** Mid of a copied book (NaN when a side is empty). */
export function midOf(b: BookSnapshot): number {
  return b.bidLevels > 0 && b.askLevels > 0 ? (b.bidPx[0]! + b.askPx[0]!) / 2 : Number.NaN;
}
