export * from './filter.js';
export * from './map.js';
export * from './pipe.js';
export { isAsyncIterable, isIterable, type AsyncIterableFn, type IterableFn, type Stage } from './stage.js';
export * from './take.js';
export * from './to-array.js';
