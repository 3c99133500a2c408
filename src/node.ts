/**
 * `microstructure/node`: file sources (LOBSTER, CSV, gzip) using `node:fs` streams.
 *
 * @packageDocumentation
 */
export {};
