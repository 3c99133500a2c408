/**
 * `microstructure/testing`: shrinkable fast-check arbitraries for books (valid and invalid), trades,
 * consistent L3 order sequences and labelled simulator sessions. `fast-check` is an optional peer
 * dependency: only this subpath imports it.
 *
 * @module
 */
export * from './books.js';
export * from './orders.js';
export * from './scenario.js';
