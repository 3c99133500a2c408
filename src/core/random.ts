/**
 * A small, fast, seeded pseudo-random number generator: xoshiro128** (Blackman & Vigna 2018), seeded
 * through SplitMix32. Deterministic across platforms (32-bit integer arithmetic only), with a 128-bit
 * state that `snapshot()` / `restore()` carry as four numbers.
 *
 * Not for cryptography.
 *
 * @module
 */
import { checkState } from './operator.js';

/** State of a {@link Random}. */
export interface RandomState {
  readonly type: 'Random';
  readonly version: 1;
  readonly s: readonly [number, number, number, number];
  /** A spare standard normal from the Box-Muller pair, or null. */
  readonly spare: number | null;
}

/** Seeded PRNG with uniform, integer, normal, exponential and Poisson draws. */
export class Random {
  private readonly s = new Uint32Array(4);
  private spare = NaN;
  private readonly seed: number;

  /** @param seed any integer (its low 32 bits are used); the same seed gives the same sequence. */
  constructor(seed = 1) {
    this.seed = seed >>> 0;
    this.reset();
  }

  /** Back to the state right after construction. */
  reset(): void {
    let x = this.seed;
    for (let i = 0; i < 4; i++) {
      // SplitMix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
    this.spare = NaN;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1), 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Standard normal (Box-Muller, polar form), or `mean + sd * z`. */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let r: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    this.spare = v * f;
    return mean + sd * u * f;
  }

  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Poisson with mean `lambda` (Knuth's method below 30, normal approximation above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda >= 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  snapshot(): RandomState {
    return {
      type: 'Random',
      version: 1,
      s: [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!],
      spare: Number.isNaN(this.spare) ? null : this.spare,
    };
  }

  restore(state: RandomState): void {
    checkState(state, 'Random', 1);
    for (let i = 0; i < 4; i++) this.s[i] = state.s[i]! >>> 0;
    this.spare = state.spare === null ? NaN : state.spare;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
