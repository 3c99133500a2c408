/**
 * microstructure: streaming market-microstructure analytics. Everything here is pure and runs in
 * Node, Deno, Bun and browsers. File sources live in `microstructure/node`, PostgreSQL in
 * `microstructure/pg`.
 *
 * @packageDocumentation
 */
export * from './alerts/index.js';
export * from './book/index.js';
export * from './core/index.js';
export * from './detectors/index.js';
export * from './engine/index.js';
export * from './metrics/index.js';
export * from './regime/index.js';
export * from './signals/index.js';
export * from './sim/index.js';
export * from './stats/index.js';
export * from './stream/index.js';
export * from './trades/index.js';
