export * from './engine.js';
export * from './feature-frame.js';
export * from './report.js';
export * from './router.js';
export * from './trade-analytics.js';
