/**
 * Builders and arbitraries shared by the detector tests.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { bookFromLevels, type Level } from '../../src/core/book.js';
import type { BookSnapshot, MarketEvent, OrderEvent, OrderEventKind, Trade } from '../../src/core/events.js';
import { DETECTOR_KINDS, type DetectorSetOptions } from '../../src/detectors/detector-set.js';
import { labelDetector, runSession, type ScoredAlert } from '../../src/detectors/evaluate.js';
import type { ScenarioKind, ScenarioLabel } from '../../src/sim/scenarios.js';
import { validBook } from '../../src/testing/books.js';

/** A book at `ts` from `[price, size]` levels, best first. */
export function book(ts: number, bids: readonly Level[], asks: readonly Level[], depth = 10): BookSnapshot {
  return bookFromLevels(bids, asks, { ts, depth });
}

export function trade(ts: number, price: number, size: number, side: -1 | 0 | 1 = 0): Trade {
  return { ts, price, size, side };
}

export function order(ts: number, kind: OrderEventKind, orderId: number, size: number, price: number, side: 1 | -1): OrderEvent {
  return { ts, kind, orderId, size, price, side };
}

export const bookEvent = (b: BookSnapshot): MarketEvent => ({ type: 'book', symbol: 'T', book: b });
export const tradeEvent = (t: Trade): MarketEvent => ({ type: 'trade', symbol: 'T', trade: t });
export const orderEvent = (o: OrderEvent): MarketEvent => ({ type: 'order', symbol: 'T', order: o });

/** A steady two-sided book around 100 (ticks of 0.01), `levels` levels of `size` a side. */
export function steadyBook(ts: number, size = 500, levels = 5, mid = 100): BookSnapshot {
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (let i = 0; i < levels; i++) {
    bids.push([round2(mid - 0.01 * (i + 1)), size]);
    asks.push([round2(mid + 0.01 * (i + 1)), size]);
  }
  return book(ts, bids, asks);
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Valid `MarketEvent` sequences with non-decreasing times: books from `validBook` (depth 5, sides may
 * be empty), trades and L3 order events of arbitrary (valid) fields. Not a consistent market: for
 * never-throws and operator-contract properties.
 */
export function eventsArb(maxLength = 40): fc.Arbitrary<MarketEvent[]> {
  const bookArb = validBook({ depth: 5, allowEmptySides: true, maxSize: 5000 }).map((b) => ({ type: 'book' as const, b }));
  const tradeArb = fc
    .record({ ticks: fc.integer({ min: 9990, max: 10010 }), size: fc.integer({ min: 1, max: 3000 }), side: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1) })
    .map((x) => ({ type: 'trade' as const, x }));
  const orderArb = fc
    .record({
      kind: fc.constantFrom<OrderEventKind>('add', 'add', 'cancel', 'delete', 'execute', 'executeHidden'),
      id: fc.integer({ min: 1, max: 12 }),
      ticks: fc.integer({ min: 9990, max: 10010 }),
      size: fc.integer({ min: 1, max: 3000 }),
      side: fc.constantFrom<1 | -1>(1, -1),
    })
    .map((x) => ({ type: 'order' as const, x }));
  const step = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.oneof(bookArb, tradeArb, orderArb));
  return fc.array(step, { maxLength }).map((steps) => {
    let ts = 34_200_000;
    return steps.map(([dt, e]): MarketEvent => {
      ts += dt;
      if (e.type === 'book') {
        e.b.ts = ts;
        return bookEvent(e.b);
      }
      if (e.type === 'trade') return tradeEvent(trade(ts, e.x.ticks / 100, e.x.size, e.x.side));
      return orderEvent(order(ts, e.x.kind, e.x.id, e.x.size, e.x.ticks / 100, e.x.side));
    });
  });
}

/** Valid books in time order (for "never throws on any valid book"). */
export function booksArb(maxLength = 40): fc.Arbitrary<BookSnapshot[]> {
  return fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), validBook({ depth: 5, allowEmptySides: true })), { maxLength }).map((xs) => {
    let ts = 0;
    return xs.map(([dt, b]) => {
      ts += dt;
      b.ts = ts;
      return b;
    });
  });
}

/** Detector-set options with only `kind` on (with `options`). */
export function only(kind: string, options: object = {}): DetectorSetOptions {
  const o: Record<string, unknown> = {};
  for (const k of DETECTOR_KINDS) o[k] = false;
  o[kind] = options;
  return o as DetectorSetOptions;
}

/** Run one scenario session with one detector on: its alerts and the labels it answers. */
export function scenarioRun(
  scenario: ScenarioKind,
  kind: string,
  seed: number,
  durationMs: number,
  options: object = {},
): { alerts: ScoredAlert[]; labels: ScenarioLabel[] } {
  const r = runSession(scenario, seed, durationMs, only(kind, options));
  return { alerts: r.alerts.filter((a) => a.kind === kind), labels: r.labels.filter((l) => labelDetector(l) === kind) };
}

/** Labels with a matching alert (`startMs <= ts <= endMs + graceMs`), and alerts matching a label. */
export function matchCounts(alerts: readonly ScoredAlert[], labels: readonly ScenarioLabel[], graceMs = 5000): { detected: number; matched: number } {
  const hit = (a: ScoredAlert, l: ScenarioLabel) => a.ts >= l.startMs && a.ts <= l.endMs + graceMs;
  return {
    detected: labels.filter((l) => alerts.some((a) => hit(a, l))).length,
    matched: alerts.filter((a) => labels.some((l) => hit(a, l))).length,
  };
}

/**
 * A detector on its own scenario: the session had labels, every alert matched one (no false alarm
 * there) and at least one label was found. (Recall over many seeds is `evaluate`'s business.)
 */
export function expectFound(run: { alerts: readonly ScoredAlert[]; labels: readonly ScenarioLabel[] }): void {
  expect(run.labels.length).toBeGreaterThan(0);
  const m = matchCounts(run.alerts, run.labels);
  expect(m.matched).toBe(run.alerts.length);
  expect(m.detected).toBeGreaterThan(0);
}
