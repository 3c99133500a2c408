/**
 * `microstructure/testing`: fast-check arbitraries for books, trades, order flows and labelled
 * scenarios, for users' property-based test suites. `fast-check` is an optional peer dependency.
 *
 * @packageDocumentation
 */
export * from './testing/index.js';
