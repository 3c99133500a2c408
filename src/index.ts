/**
 * microstructure: streaming market-microstructure analytics. Everything here is pure and runs in
 * Node, Deno, Bun and browsers. File sources live in `microstructure/node`, PostgreSQL in
 * `microstructure/pg`.
 *
 * @packageDocumentation
 */
export * from './core/index.js';
