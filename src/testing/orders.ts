import fc from 'fast-check';
import type { OrderEvent, Side, Trade } from '../core/events.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';

/** Options of {@link trade}. */
export interface TradeArbitraryOptions {
  /** Prices are whole ticks times this. @defaultValue 0.01 */
  tickSize?: number;
  /** Prices lie in [minTicks, maxTicks] ticks. @defaultValue 1 */
  minTicks?: number;
  /** @defaultValue 1000000 */
  maxTicks?: number;
  /** Sizes are integers in [1, maxSize]. @defaultValue 100000 */
  maxSize?: number;
  /** `ts` is an integer in [0, maxTs]. @defaultValue 86400000 */
  maxTs?: number;
}

/**
 * Shrinkable trades: integer `ts`, a price of a whole number of ticks, an integer size >= 1, a side in
 * {-1, 0, 1} and an integer `id`. Shrinks towards ts 0, the smallest price and size, side -1, id 0.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(trade(), (t) => t.price > 0 && t.size >= 1));
 * ```
 */
export function trade(options: TradeArbitraryOptions = {}): fc.Arbitrary<Trade> {
  checkOptionKeys('trade', options, ['tickSize', 'minTicks', 'maxTicks', 'maxSize', 'maxTs']);
  const tick = positiveOption('tickSize', options.tickSize ?? 0.01);
  const minTicks = integerOption('minTicks', options.minTicks ?? 1, 1);
  const maxTicks = integerOption('maxTicks', options.maxTicks ?? 1_000_000, minTicks);
  const maxSize = integerOption('maxSize', options.maxSize ?? 100_000, 1);
  const maxTs = Math.floor(nonNegativeOption('maxTs', options.maxTs ?? 86_400_000));
  return fc
    .record({
      ts: fc.integer({ min: 0, max: maxTs }),
      ticks: fc.integer({ min: minTicks, max: maxTicks }),
      size: fc.integer({ min: 1, max: maxSize }),
      side: fc.constantFrom<Side>(-1, 0, 1),
      id: fc.nat(),
    })
    .map(({ ts, ticks, size, side, id }) => ({ ts, price: ticks * tick, size, side, id }));
}

/** Options of {@link orderSequence}. */
export interface OrderSequenceOptions {
  /** Most events in a sequence. @defaultValue 200 */
  maxLength?: number;
  /** Prices are whole ticks times this. @defaultValue 0.01 */
  tickSize?: number;
  /** The price, in ticks, between the bid and the ask sides: bids at or below centre - 1, asks at or above it. @defaultValue 10000 */
  centerTicks?: number;
  /** Orders rest 0 to this many ticks from the centre line. @defaultValue 10 */
  maxDistanceTicks?: number;
  /** Order sizes are integers in [1, maxSize]. @defaultValue 1000 */
  maxSize?: number;
  /** First event time (ms). @defaultValue 34200000 */
  startMs?: number;
  /** Largest gap between consecutive events (ms; time never goes back). @defaultValue 1000 */
  maxGapMs?: number;
}

/** One step of the recipe an order sequence is built from. */
interface Step {
  op: number;
  pick: number;
  frac: number;
  bid: boolean;
  dist: number;
  size: number;
  gap: number;
}

interface Live {
  id: number;
  side: 1 | -1;
  tick: number;
  size: number;
  seq: number;
}

/**
 * Shrinkable sequences of L3 order events that keep an order book consistent: every cancel, delete
 * or execution names a live order and never more than its remaining size (a `cancel` removes part of
 * it, a `delete` all of what remains), executions take the front order of the best level of a side
 * (FIFO, price-time priority), bids rest at or below `centerTicks - 1` and asks at or above
 * `centerTicks` (so the book is never crossed or locked), ids are 1, 2, 3, ... in order of their adds,
 * and `ts` never decreases. Fed to an `L3OrderBook`, no event is of an unknown id or of a size the
 * book disagrees with. Built from a list of integer steps (an op that has nothing to act on becomes
 * an add), so it shrinks to shorter and simpler sequences.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(orderSequence(), (events) => {
 *   const book = new L3OrderBook();
 *   for (const e of events) book.apply(e);
 *   return book.stats().unknownOrders.cancel === 0;
 * }));
 * ```
 */
export function orderSequence(options: OrderSequenceOptions = {}): fc.Arbitrary<OrderEvent[]> {
  checkOptionKeys('orderSequence', options, ['maxLength', 'tickSize', 'centerTicks', 'maxDistanceTicks', 'maxSize', 'startMs', 'maxGapMs']);
  const maxLength = integerOption('maxLength', options.maxLength ?? 200, 0);
  const tick = positiveOption('tickSize', options.tickSize ?? 0.01);
  const maxDistance = integerOption('maxDistanceTicks', options.maxDistanceTicks ?? 10, 0);
  const center = integerOption('centerTicks', options.centerTicks ?? 10_000, maxDistance + 2);
  const maxSize = integerOption('maxSize', options.maxSize ?? 1000, 1);
  const startMs = nonNegativeOption('startMs', options.startMs ?? 34_200_000);
  const maxGap = integerOption('maxGapMs', options.maxGapMs ?? 1000, 0);
  const step = fc.record({
    op: fc.nat({ max: 3 }),
    pick: fc.nat(),
    frac: fc.double({ min: 0, max: 1, noNaN: true }),
    bid: fc.boolean(),
    dist: fc.integer({ min: 0, max: maxDistance }),
    size: fc.integer({ min: 1, max: maxSize }),
    gap: fc.integer({ min: 0, max: maxGap }),
  });
  return fc.array(step, { maxLength }).map((steps) => build(steps, tick, center, startMs));
}

function build(steps: readonly Step[], tick: number, center: number, startMs: number): OrderEvent[] {
  const live: Live[] = [];
  const out: OrderEvent[] = [];
  let ts = startMs;
  let nextId = 1;
  let seq = 0;
  for (const s of steps) {
    ts += s.gap;
    let op = s.op;
    if (op !== 0 && live.length === 0) op = 0;
    if (op === 0) {
      const side: 1 | -1 = s.bid ? 1 : -1;
      const t = side === 1 ? center - 1 - s.dist : center + s.dist;
      const o: Live = { id: nextId++, side, tick: t, size: s.size, seq: seq++ };
      live.push(o);
      out.push({ ts, kind: 'add', orderId: o.id, size: o.size, price: t * tick, side });
      continue;
    }
    let k: number;
    if (op === 3) {
      // execute the front order of the best level of a side (the other side if this one is empty)
      let side: 1 | -1 = s.bid ? 1 : -1;
      if (!live.some((o) => o.side === side)) side = side === 1 ? -1 : 1;
      k = -1;
      for (let i = 0; i < live.length; i++) {
        const o = live[i]!;
        if (o.side !== side) continue;
        const best = k < 0 ? undefined : live[k]!;
        if (best === undefined || (side === 1 ? o.tick > best.tick : o.tick < best.tick) || (o.tick === best.tick && o.seq < best.seq)) k = i;
      }
    } else {
      k = s.pick % live.length;
    }
    const o = live[k]!;
    const part = Math.max(1, Math.min(o.size, Math.ceil(s.frac * o.size)));
    if (op === 2 || (op === 1 && (o.size === 1 || part >= o.size))) {
      out.push({ ts, kind: 'delete', orderId: o.id, size: o.size, price: o.tick * tick, side: o.side });
      live.splice(k, 1);
    } else if (op === 1) {
      out.push({ ts, kind: 'cancel', orderId: o.id, size: part, price: o.tick * tick, side: o.side });
      o.size -= part;
    } else {
      out.push({ ts, kind: 'execute', orderId: o.id, size: part, price: o.tick * tick, side: o.side });
      o.size -= part;
      if (o.size === 0) live.splice(k, 1);
    }
  }
  return out;
}
