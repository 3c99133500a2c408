/**
 * Order-book signals: spread, mid, microprice, order-book imbalance (level 1 and depth-weighted),
 * order-flow imbalance (best level and multi-level) and depth.
 *
 * @module
 */
export * from './cumulative-depth.js';
export * from './depth-within-bps.js';
export * from './mid.js';
export * from './microprice.js';
export * from './multi-level-ofi.js';
export * from './obi.js';
export * from './ofi-between.js';
export * from './ofi.js';
export * from './spread-bps.js';
export * from './spread.js';
export * from './weighted-obi.js';
