/**
 * The detector contract: one input API for every anomaly detector, so a {@link DetectorSet} can fan one
 * `MarketEvent` out to all of them.
 *
 * @module
 */
import type { BookSnapshot, MarketEvent, OrderEvent, Trade } from '../core/events.js';
import { InvalidStateError } from '../core/errors.js';
import { encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { stateInteger, stateNumber } from '../trades/internal.js';
import type { Signal, SignalSeverity } from '../trades/signal.js';

/**
 * The event types a detector reads, one bit each; {@link Detector.inputs} is their bitwise OR. A
 * {@link DetectorSet} calls a detector only for the types it reads.
 */
export const DetectorInput = Object.freeze({
  /** Book snapshots: `onBook`. */
  Book: 1,
  /** Trade prints: `onTrade`. */
  Trade: 2,
  /** L3 order events (add, cancel, delete, execute, ...): `onOrder`. */
  Order: 4,
} as const);

/**
 * An anomaly detector: reads book snapshots, trades and L3 order events and returns a {@link Signal}
 * when it fires, `null` otherwise (allocating only when it fires).
 *
 * - `onBook(book)`, `onTrade(trade)`, `onOrder(order)`: one event each; a detector that does not read a
 *   type returns `null` (see {@link inputs}).
 * - `update(event)`: the {@link Operator} form, dispatching a `MarketEvent` to the three above.
 * - `reset()`, `snapshot()`, `restore(state)`: the operator contract (the state is plain JSON).
 *
 * Time: events are expected in time order (`ts` in ms, non-decreasing). An event whose `ts` is before
 * the latest one seen, or not finite, is processed at the latest time seen and counted in
 * `lateEvents`; a detector never throws on the time of an event. Events are borrowed: a detector copies
 * what it keeps.
 */
export interface Detector<State extends OperatorState = OperatorState> extends Operator<MarketEvent, Signal | null, State> {
  /** The `kind` of the signals it returns, e.g. `'spoofing'`. */
  readonly kind: string;
  /** The event types it reads: a bit set of {@link DetectorInput}. */
  readonly inputs: number;
  /** Signals returned since construction or `reset()`. */
  readonly fired: number;
  /** Events processed at the latest time seen because their `ts` was earlier or not finite. */
  readonly lateEvents: number;
  /** Read one book snapshot. */
  onBook(book: BookSnapshot): Signal | null;
  /** Read one trade print. */
  onTrade(trade: Trade): Signal | null;
  /** Read one L3 order event. */
  onOrder(order: OrderEvent): Signal | null;
}

/** The fields every {@link BaseDetector} state carries: `[lastTs, lateEvents, fired]`. */
export interface BaseDetectorState extends OperatorState {
  /** `[lastTs, lateEvents, fired]`, NaN-safe encoded. */
  readonly clock: ReadonlyArray<number | string>;
}

/**
 * The shared part of the library's detectors: `update` dispatch, the clock (late events), the fired
 * count and the signal constructor. Subclasses override the handlers of the event types they read.
 */
export abstract class BaseDetector<State extends BaseDetectorState> implements Detector<State> {
  abstract readonly kind: string;
  abstract readonly inputs: number;
  /** Latest event time seen (`-Infinity` before any). */
  protected lastTs = Number.NEGATIVE_INFINITY;
  private lateN = 0;
  private firedN = 0;

  get fired(): number {
    return this.firedN;
  }

  get lateEvents(): number {
    return this.lateN;
  }

  onBook(_book: BookSnapshot): Signal | null {
    return null;
  }

  onTrade(_trade: Trade): Signal | null {
    return null;
  }

  onOrder(_order: OrderEvent): Signal | null {
    return null;
  }

  /** Dispatch one `MarketEvent` to `onBook`, `onTrade` or `onOrder`. */
  update(event: MarketEvent): Signal | null {
    switch (event.type) {
      case 'book':
        return this.onBook(event.book);
      case 'trade':
        return this.onTrade(event.trade);
      case 'order':
        return this.onOrder(event.order);
      default:
        return null;
    }
  }

  /**
   * The time to process an event at: `ts` when finite and not before the latest seen, else the latest
   * seen (counted in `lateEvents`; before any finite time, 0).
   */
  protected clock(ts: number): number {
    if (ts >= this.lastTs && ts - ts === 0) {
      this.lastTs = ts;
      return ts;
    }
    this.lateN++;
    return this.lastTs === Number.NEGATIVE_INFINITY ? 0 : this.lastTs;
  }

  /** Build a signal (counted in `fired`). The evidence object is the caller's. */
  protected signal(
    ts: number,
    severity: SignalSeverity,
    side: -1 | 0 | 1,
    price: number,
    score: number,
    evidence: Record<string, number>,
  ): Signal {
    this.firedN++;
    return { kind: this.kind, severity, ts, side, price, score, evidence };
  }

  /** Count a signal made elsewhere (e.g. by a wrapped operator) in `fired`. */
  protected countFired(): void {
    this.firedN++;
  }

  /** Back to a fresh clock and fired count (subclasses call it from `reset()`). */
  protected resetBase(): void {
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.lateN = 0;
    this.firedN = 0;
  }

  /** The base fields of the state. */
  protected baseState(): ReadonlyArray<number | string> {
    return [encodeNumber(this.lastTs), this.lateN, this.firedN];
  }

  /** Restore the base fields written by {@link baseState}. */
  protected restoreBase(type: string, clock: unknown): void {
    if (!Array.isArray(clock) || clock.length !== 3) {
      throw new InvalidStateError(type, `clock must be an array of 3 encoded numbers, got ${JSON.stringify(clock)}`);
    }
    const lastTs = stateNumber(type, 'clock[0]', clock[0]);
    const late = stateInteger(type, 'clock[1]', clock[1]);
    const fired = stateInteger(type, 'clock[2]', clock[2]);
    this.lastTs = lastTs;
    this.lateN = late;
    this.firedN = fired;
  }

  abstract reset(): void;
  abstract snapshot(): State;
  abstract restore(state: State): void;
}
