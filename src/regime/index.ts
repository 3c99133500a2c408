export * from './adjusted-rand-index.js';
export * from './assignment.js';
export * from './fit-centroids.js';
export * from './regime-classifier.js';
export * from './regime-tally.js';
export * from './score-regimes.js';
export * from './time-weighted-scaler.js';
