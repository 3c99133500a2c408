/**
 * The book family: L2 book from deltas, L3 order book, validator / sanitizer.
 *
 * @module
 */
export * from './l2-book.js';
export * from './l3-order-book.js';
export * from './lobster-l3-replay.js';
export * from './validator.js';
