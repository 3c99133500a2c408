/**
 * `microstructure/node`: file sources (LOBSTER, CSV, gzip) using `node:fs` streams, and the
 * `analyze` pipeline behind the CLI. Import the pure operators from `microstructure`.
 *
 * @packageDocumentation
 */
export * from './replay/index.js';
export { analyze, type AnalyzeOptions } from './cli/analyze.js';
export { simulate, type SimulateOptions, type SimulateResult } from './cli/simulate.js';
export { WorkerRegimeTrainer, type WorkerRegimeTrainerOptions, type WorkerRegimeTrainerStats } from './regime/worker-trainer.js';
