export * from './lobster-format.js';
export * from './market-simulator.js';
export * from './scenarios.js';
export * from './synthetic-books.js';
