import { InvalidInputError } from '../core/errors.js';
import type { BookSnapshot, OrderEvent, OrderEventKind } from '../core/events.js';

/** LOBSTER's message type of each order-event kind (1 add ... 7 halt). */
export const LOBSTER_TYPES: Readonly<Record<OrderEventKind, number>> = Object.freeze({
  add: 1,
  cancel: 2,
  delete: 3,
  execute: 4,
  executeHidden: 5,
  cross: 6,
  halt: 7,
});

/**
 * A time in ms after midnight as LOBSTER writes it: seconds after midnight with up to 9 decimals
 * (nanoseconds, rounded), trailing zeros dropped (`34200015.105074` ms -> `"34200.015105074"`,
 * `34200000` -> `"34200"`). Throws {@link InvalidInputError} for a negative or non-finite time.
 *
 * @example
 * ```ts
 * lobsterTime(34_200_015.105074); // '34200.015105074'
 * lobsterTime(34_200_000);        // '34200'
 * ```
 */
export function lobsterTime(ts: number): string {
  if (!(ts >= 0) || !Number.isFinite(ts)) throw new InvalidInputError('ts', ts, 'a finite number of ms >= 0');
  const ns = Math.round(ts * 1e6);
  const sec = Math.floor(ns / 1e9);
  let frac = ns - sec * 1e9;
  if (frac === 0) return String(sec);
  let digits = 9;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${sec}.${String(frac).padStart(digits, '0')}`;
}

/** A price as LOBSTER's integer price x 10000. */
export function lobsterPrice(price: number): number {
  return Math.round(price * 10000);
}

/**
 * One line of a LOBSTER message file (no line end): `time,type,orderId,size,price x 10000,direction`,
 * `direction` the side of the resting order. For a `halt`, `price` is the halt code and written as is.
 *
 * @example
 * ```ts
 * lobsterMessageLine({ ts: 34_200_015.105074, kind: 'execute', orderId: 15818974, size: 4, price: 579.4, side: 1 });
 * // '34200.015105074,4,15818974,4,5794000,1'
 * ```
 */
export function lobsterMessageLine(order: OrderEvent): string {
  const type = LOBSTER_TYPES[order.kind];
  const price = type === 7 ? order.price : lobsterPrice(order.price);
  return `${lobsterTime(order.ts)},${type},${order.orderId},${order.size},${price},${order.side}`;
}

/**
 * One line of a LOBSTER order-book file (no line end) for the book's first `levels` levels a side:
 * `askPx1,askSz1,bidPx1,bidSz1,...`, prices x 10000, empty levels as `9999999999,0` (ask) and
 * `-9999999999,0` (bid).
 *
 * @example
 * ```ts
 * lobsterOrderbookLine(bookFromLevels([[579.40, 496]], [[580.23, 100]]), 2);
 * // '5802300,100,5794000,496,9999999999,0,-9999999999,0'
 * ```
 */
export function lobsterOrderbookLine(book: BookSnapshot, levels: number): string {
  let s = '';
  for (let i = 0; i < levels; i++) {
    if (i > 0) s += ',';
    s += i < book.askLevels ? `${lobsterPrice(book.askPx[i]!)},${book.askSz[i]!}` : '9999999999,0';
    s += i < book.bidLevels ? `,${lobsterPrice(book.bidPx[i]!)},${book.bidSz[i]!}` : ',-9999999999,0';
  }
  return s;
}
