export * from './book.js';
export * from './errors.js';
export type * from './events.js';
export * from './operator.js';
export * from './options.js';
export * from './random.js';
export * from './ring-buffer.js';
export * from './state.js';
