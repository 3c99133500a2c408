/**
 * Validation helpers for operator options. Each throws {@link InvalidOptionError} naming the option.
 * Operators call them once, in the constructor, never on the hot path.
 *
 * @module
 */
import { InvalidOptionError } from './errors.js';

/** A finite number. */
export function finiteOption(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidOptionError(name, value, 'a finite number');
  }
  return value;
}

/** A finite number > 0. */
export function positiveOption(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(name, value, 'a finite number > 0');
  }
  return value;
}

/** A finite number >= 0. */
export function nonNegativeOption(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(name, value, 'a finite number >= 0');
  }
  return value;
}

/** An integer in [min, max]. */
export function integerOption(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidOptionError(name, value, `an integer ${range}`);
  }
  return value;
}

/** A number in the open-closed interval (min, max]. */
export function fractionOption(name: string, value: unknown, min = 0, max = 1): number {
  if (typeof value !== 'number' || !(value > min && value <= max)) {
    throw new InvalidOptionError(name, value, `a number in (${min}, ${max}]`);
  }
  return value;
}

/** One of the listed literal values. */
export function oneOfOption<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(name, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** Options must be a plain object (or undefined); rejects unknown keys, which are almost always typos. */
export function checkOptionKeys(operator: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(`${operator} options`, options, 'a plain object');
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(`${operator}.${key}`, (options as Record<string, unknown>)[key], `a known option (one of ${known.join(', ')})`);
    }
  }
}
