/**
 * Fixed-capacity ring buffers. `NumberRing` stores numbers in a `Float64Array` (no allocation per push);
 * `RingBuffer<T>` stores arbitrary values in a preallocated array.
 *
 * @module
 */
import { InvalidOptionError } from './errors.js';
import { decodeNumber, encodeNumbers, type OperatorState } from './operator.js';

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new InvalidOptionError('capacity', capacity, 'an integer >= 1');
  }
}

/** State of a {@link NumberRing}: the values oldest first. */
export interface NumberRingState extends OperatorState {
  readonly type: 'NumberRing';
  readonly version: 1;
  readonly capacity: number;
  readonly values: ReadonlyArray<number | string>;
}

/** A ring of numbers over a `Float64Array`. When full, `push` overwrites (and returns) the oldest value. */
export class NumberRing {
  readonly capacity: number;
  private readonly data: Float64Array;
  private head = 0; // index of the oldest
  private count = 0;

  constructor(capacity: number) {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.data = new Float64Array(capacity);
  }

  /** Number of values held. */
  get length(): number {
    return this.count;
  }

  /** Whether the ring holds `capacity` values. */
  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Append `x`; returns the evicted oldest value, or NaN if nothing was evicted. */
  push(x: number): number {
    const cap = this.capacity;
    if (this.count < cap) {
      let i = this.head + this.count;
      if (i >= cap) i -= cap;
      this.data[i] = x;
      this.count++;
      return NaN;
    }
    const evicted = this.data[this.head]!;
    this.data[this.head] = x;
    this.head = this.head + 1 === cap ? 0 : this.head + 1;
    return evicted;
  }

  /** Remove and return the oldest value (NaN when empty). */
  shift(): number {
    if (this.count === 0) return NaN;
    const x = this.data[this.head]!;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.count--;
    return x;
  }

  /** The i-th value, 0 = oldest; NaN out of range. */
  get(i: number): number {
    if (i < 0 || i >= this.count) return NaN;
    let j = this.head + i;
    if (j >= this.capacity) j -= this.capacity;
    return this.data[j]!;
  }

  /** The oldest value (NaN when empty). */
  first(): number {
    return this.count === 0 ? NaN : this.data[this.head]!;
  }

  /** The newest value (NaN when empty). */
  last(): number {
    return this.get(this.count - 1);
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** The values, oldest first (allocates). */
  toArray(): number[] {
    const out: number[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.get(i);
    return out;
  }

  snapshot(): NumberRingState {
    return { type: 'NumberRing', version: 1, capacity: this.capacity, values: encodeNumbers(this.toArray()) };
  }

  /** Restore values; a state from a larger ring keeps its newest `capacity` values. */
  restore(state: NumberRingState): void {
    this.clear();
    for (const v of state.values) this.push(decodeNumber(v));
  }
}

/** A ring of arbitrary values in a preallocated array. When full, `push` overwrites the oldest. */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly data: Array<T | undefined>;
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    checkCapacity(capacity);
    this.capacity = capacity;
    this.data = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Append `x`; returns the evicted oldest value, or undefined. */
  push(x: T): T | undefined {
    const cap = this.capacity;
    if (this.count < cap) {
      let i = this.head + this.count;
      if (i >= cap) i -= cap;
      this.data[i] = x;
      this.count++;
      return undefined;
    }
    const evicted = this.data[this.head];
    this.data[this.head] = x;
    this.head = this.head + 1 === cap ? 0 : this.head + 1;
    return evicted;
  }

  /** Remove and return the oldest value. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const x = this.data[this.head];
    this.data[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.count--;
    return x;
  }

  /** The i-th value, 0 = oldest. */
  get(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    let j = this.head + i;
    if (j >= this.capacity) j -= this.capacity;
    return this.data[j];
  }

  clear(): void {
    this.data.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** Values oldest first (allocates). */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.get(i) as T);
    return out;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.toArray()[Symbol.iterator]();
  }
}
