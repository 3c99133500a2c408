/**
 * Internal helpers of the detectors: an allocation-free order table (open addressing on typed arrays)
 * and a time-window extremum (monotone deque). Not exported from the package.
 *
 * @module
 */
import { InvalidStateError } from '../core/errors.js';
import { encodeNumber } from '../core/operator.js';
import { stateNumber } from '../trades/internal.js';

export { stateBoolean, stateInteger, stateNumber, stateNumbers, stateObject } from '../trades/internal.js';

/** Decode an array of encoded numbers of any length (at most `maxLength`). */
export function stateList(operator: string, name: string, value: unknown, maxLength = Number.MAX_SAFE_INTEGER): number[] {
  if (!Array.isArray(value) || value.length > maxLength) {
    throw new InvalidStateError(operator, `${name} must be an array of at most ${maxLength} encoded numbers, got ${JSON.stringify(value)}`);
  }
  const out: number[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = stateNumber(operator, `${name}[${i}]`, value[i]);
  return out;
}

/** Encode numbers (NaN, infinities and -0 as strings). */
export function encodeList(xs: ArrayLike<number>, from = 0, to = xs.length): Array<number | string> {
  const out: Array<number | string> = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = encodeNumber(xs[i] as number);
  return out;
}

/** Sum of the first `levels` sizes of one side (levels past `count` are empty). */
export function sideDepth(sz: Float64Array, count: number, levels: number): number {
  const n = Math.min(levels, count, sz.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += sz[i]!;
  return s;
}

/**
 * A hash table from order id to a fixed number of numeric fields, on typed arrays (linear probing,
 * backward-shift deletion): no allocation after construction. `capacity` is a power of two; the table
 * refuses inserts past 3/4 of it (the caller evicts or counts an overflow).
 */
export class OrderTable {
  readonly capacity: number;
  readonly fields: number;
  /** Order id per slot (NaN = empty). */
  readonly ids: Float64Array;
  /** `fields` numbers per slot. */
  readonly data: Float64Array;
  private readonly mask: number;
  private n = 0;

  constructor(capacity: number, fields: number) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.capacity = c;
    this.mask = c - 1;
    this.fields = fields;
    this.ids = new Float64Array(c).fill(NaN);
    this.data = new Float64Array(c * fields);
  }

  /** Entries held. */
  get size(): number {
    return this.n;
  }

  /** Whether another insert would pass the load limit (3/4 of the capacity). */
  get full(): boolean {
    return this.n * 4 >= this.capacity * 3;
  }

  private home(id: number): number {
    // Mix the id's integer part (order ids are integers, possibly above 2^32).
    const lo = id | 0;
    const hi = (id / 4294967296) | 0;
    let h = Math.imul(lo ^ (hi * 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The slot of `id`, or -1. */
  find(id: number): number {
    let i = this.home(id);
    for (;;) {
      const k = this.ids[i]!;
      if (k === id) return i;
      if (k !== k) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Insert `id` (or find it) and return its slot; -1 when full. The fields of a new slot are 0. */
  insert(id: number): number {
    let i = this.home(id);
    for (;;) {
      const k = this.ids[i]!;
      if (k === id) return i;
      if (k !== k) break;
      i = (i + 1) & this.mask;
    }
    if (this.full) return -1;
    this.ids[i] = id;
    this.data.fill(0, i * this.fields, (i + 1) * this.fields);
    this.n++;
    return i;
  }

  /** Remove the entry at `slot` (backward-shift deletion: later entries of its cluster move up). */
  removeAt(slot: number): void {
    const f = this.fields;
    let i = slot;
    this.n--;
    for (;;) {
      this.ids[i] = NaN;
      let j = i;
      for (;;) {
        j = (j + 1) & this.mask;
        const k = this.ids[j]!;
        if (k !== k) return;
        const h = this.home(k);
        // Move k into the hole at i unless its home lies cyclically in (i, j].
        const inRange = i <= j ? h > i && h <= j : h > i || h <= j;
        if (!inRange) break;
      }
      this.ids[i] = this.ids[j]!;
      this.data.copyWithin(i * f, j * f, (j + 1) * f);
      i = j;
    }
  }

  clear(): void {
    this.ids.fill(NaN);
    this.n = 0;
  }

  /** Occupied slots as `[slot, id, ...fields]` rows, NaN-safe (allocates; for `snapshot`). */
  encode(): Array<Array<number | string>> {
    const out: Array<Array<number | string>> = [];
    const f = this.fields;
    for (let i = 0; i < this.capacity; i++) {
      const id = this.ids[i]!;
      if (id !== id) continue;
      const row: Array<number | string> = [i, id];
      for (let k = 0; k < f; k++) row.push(encodeNumber(this.data[i * f + k]!));
      out.push(row);
    }
    return out;
  }

  /** Reverse of {@link encode}: the same slots, ids and fields. */
  decode(operator: string, name: string, rows: unknown): void {
    if (!Array.isArray(rows) || rows.length * 4 > this.capacity * 3) {
      throw new InvalidStateError(operator, `${name} must be an array of at most ${(this.capacity * 3) >> 2} rows`);
    }
    const decoded: number[][] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = stateList(operator, `${name}[${r}]`, rows[r], this.fields + 2);
      const slot = row[0]!;
      if (row.length !== this.fields + 2 || !Number.isInteger(slot) || slot < 0 || slot >= this.capacity || !Number.isFinite(row[1]!)) {
        throw new InvalidStateError(operator, `${name}[${r}] must be [slot, id, ${this.fields} fields] with slot in [0, ${this.capacity})`);
      }
      decoded.push(row);
    }
    this.clear();
    for (const row of decoded) {
      const slot = row[0]!;
      this.ids[slot] = row[1]!;
      for (let k = 0; k < this.fields; k++) this.data[slot * this.fields + k] = row[k + 2]!;
    }
    this.n = decoded.length;
  }
}

/**
 * The maximum (or minimum) of the values of a time window `(t - windowMs, t]`, by a monotone deque of
 * `(ts, value)` on growable typed arrays: O(1) amortized per value; allocates only when the deque
 * outgrows its arrays.
 */
export class WindowExtremum {
  readonly windowMs: number;
  /** +1 keeps the maximum, -1 the minimum. */
  readonly sign: 1 | -1;
  private ts = new Float64Array(16);
  private xs = new Float64Array(16);
  private head = 0;
  private n = 0;

  constructor(windowMs: number, sign: 1 | -1) {
    this.windowMs = windowMs;
    this.sign = sign;
  }

  /** Values held. */
  get length(): number {
    return this.n;
  }

  /** Add `x` at time `t` (non-decreasing) and evict values at or before `t - windowMs`. NaN is ignored. */
  push(t: number, x: number): void {
    this.evict(t);
    if (x !== x) return;
    const mask = this.ts.length - 1;
    const s = this.sign;
    // Drop values the new one dominates (from the back).
    while (this.n > 0) {
      const last = (this.head + this.n - 1) & mask;
      if (s * this.xs[last]! > s * x) break;
      this.n--;
    }
    if (this.n === this.ts.length) this.grow();
    const i = (this.head + this.n) & (this.ts.length - 1);
    this.ts[i] = t;
    this.xs[i] = x;
    this.n++;
  }

  /** Evict values at or before `t - windowMs`. */
  evict(t: number): void {
    const cutoff = t - this.windowMs;
    const mask = this.ts.length - 1;
    while (this.n > 0 && this.ts[this.head]! <= cutoff) {
      this.head = (this.head + 1) & mask;
      this.n--;
    }
  }

  /** The extremum of the window (NaN when empty). */
  get value(): number {
    return this.n > 0 ? this.xs[this.head]! : NaN;
  }

  /** The time of the extremum (NaN when empty). */
  get valueTs(): number {
    return this.n > 0 ? this.ts[this.head]! : NaN;
  }

  private grow(): void {
    const old = this.ts.length;
    const ts = new Float64Array(old * 2);
    const xs = new Float64Array(old * 2);
    for (let k = 0; k < this.n; k++) {
      const j = (this.head + k) & (old - 1);
      ts[k] = this.ts[j]!;
      xs[k] = this.xs[j]!;
    }
    this.ts = ts;
    this.xs = xs;
    this.head = 0;
  }

  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  /** `[ts..., xs...]` flattened, oldest first (allocates; for `snapshot`). */
  encode(): Array<number | string> {
    const out: Array<number | string> = [];
    const mask = this.ts.length - 1;
    for (let k = 0; k < this.n; k++) out.push(encodeNumber(this.ts[(this.head + k) & mask]!));
    for (let k = 0; k < this.n; k++) out.push(encodeNumber(this.xs[(this.head + k) & mask]!));
    return out;
  }

  decode(operator: string, name: string, value: unknown): void {
    const xs = stateList(operator, name, value);
    if (xs.length % 2 !== 0) throw new InvalidStateError(operator, `${name} must hold an even number of values`);
    const n = xs.length / 2;
    this.clear();
    while (this.ts.length < n) this.grow();
    for (let k = 0; k < n; k++) {
      this.ts[k] = xs[k]!;
      this.xs[k] = xs[n + k]!;
    }
    this.n = n;
  }
}

/**
 * Times of events in a sliding window `(t - windowMs, t]`, on a growable `Float64Array` ring: `count`
 * is exact. Allocates only when the window holds more events than ever before.
 */
export class EventWindow {
  readonly windowMs: number;
  private ts = new Float64Array(16);
  private head = 0;
  private n = 0;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Events in the window after the last `push` / `evict`. */
  get count(): number {
    return this.n;
  }

  /** The oldest time in the window (NaN when empty). */
  get oldest(): number {
    return this.n > 0 ? this.ts[this.head]! : NaN;
  }

  /** Add an event at `t` (non-decreasing); returns the count. */
  push(t: number): number {
    this.evict(t);
    if (this.n === this.ts.length) this.grow();
    this.ts[(this.head + this.n) & (this.ts.length - 1)] = t;
    return ++this.n;
  }

  /** Evict events at or before `t - windowMs`; returns the count. */
  evict(t: number): number {
    const cutoff = t - this.windowMs;
    const mask = this.ts.length - 1;
    while (this.n > 0 && this.ts[this.head]! <= cutoff) {
      this.head = (this.head + 1) & mask;
      this.n--;
    }
    return this.n;
  }

  private grow(): void {
    const old = this.ts.length;
    const ts = new Float64Array(old * 2);
    for (let k = 0; k < this.n; k++) ts[k] = this.ts[(this.head + k) & (old - 1)]!;
    this.ts = ts;
    this.head = 0;
  }

  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  encode(): Array<number | string> {
    const out: Array<number | string> = [];
    const mask = this.ts.length - 1;
    for (let k = 0; k < this.n; k++) out.push(encodeNumber(this.ts[(this.head + k) & mask]!));
    return out;
  }

  decode(operator: string, name: string, value: unknown): void {
    const xs = stateList(operator, name, value);
    this.clear();
    while (this.ts.length < xs.length) this.grow();
    for (let k = 0; k < xs.length; k++) this.ts[k] = xs[k]!;
    this.n = xs.length;
  }
}
