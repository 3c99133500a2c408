/**
 * Records keyed by user-given names (error kinds, alert kinds).
 *
 * @module
 */

/**
 * Set `key` as an own, enumerable data property of `o`, whatever the key: plain assignment with the key
 * `"__proto__"` would replace the prototype instead, and the name would be lost from the record.
 */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}
