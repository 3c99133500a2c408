/**
 * Off-thread training for {@link RegimeClassifier} in Node (`microstructure/node`): a
 * `node:worker_threads` worker fits the K-means centroids while the host thread keeps classifying.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidOptionError } from '../core/errors.js';
import { checkOptionKeys } from '../core/options.js';
import { fitCentroids } from './fit-centroids.js';
import type { RegimeClassifier } from './regime-classifier.js';

/** Options of {@link WorkerRegimeTrainer}. */
export interface WorkerRegimeTrainerOptions {
  /**
   * URL (`file:`) or absolute path of the `ml-kmeans` entry module the worker imports. Default: resolved
   * from this module, as `require.resolve('ml-kmeans')` would.
   */
  kmeansModule?: string;
}

/** Counts of a {@link WorkerRegimeTrainer}. */
export interface WorkerRegimeTrainerStats {
  /** Jobs handed to the worker. */
  jobs: number;
  /** Centroid sets swapped into the classifier. */
  applied: number;
  /** Jobs with fewer than k distinct points (nothing swapped; counted in the classifier too). */
  skipped: number;
  /** Jobs that failed in the worker (see `lastError`). */
  failed: number;
  /** Wall time of the last completed fit inside the worker, ms (NaN before any). */
  lastTrainingMs: number;
  /** Message of the last failure, or null. */
  lastError: string | null;
}

const IDLE = 0;
const BUSY = 1;
const DONE = 2;
const SKIPPED = 3;
const FAILED = 4;

/** The worker's program: plain JavaScript, run with `eval: true` (CommonJS `require` available). */
function workerProgram(fitSource: string): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fit = (${fitSource});
const ctrl = new Int32Array(workerData.ctrl);
const data = new Float64Array(workerData.data);
const result = new Float64Array(workerData.result);
const size = workerData.k * workerData.d;
const ready = import(workerData.kmeansUrl).then((m) => m.kmeans);
ready.catch(() => {});
parentPort.on('message', async (job) => {
  try {
    const kmeans = await ready;
    const t0 = performance.now();
    const r = fit(kmeans, data, job.n, workerData.d, workerData.k, job.seed, workerData.restarts, workerData.maxIterations, job.initial);
    if (r === null) {
      Atomics.store(ctrl, 0, ${SKIPPED});
    } else {
      result.set(r.centroids);
      result[size] = r.inertia;
      result[size + 1] = performance.now() - t0;
      Atomics.store(ctrl, 0, ${DONE});
    }
    parentPort.postMessage({ ok: true });
  } catch (e) {
    Atomics.store(ctrl, 0, ${FAILED});
    parentPort.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
});
`;
}

function defaultKmeansUrl(): string {
  // CommonJS builds have __filename; ES modules have import.meta.url.
  const base = typeof __filename === 'string' ? __filename : import.meta.url;
  return pathToFileURL(createRequire(base).resolve('ml-kmeans')).href;
}

/**
 * Trains a {@link RegimeClassifier} (created with `schedule: 'manual'`) in a worker thread, so
 * `update` never waits for a fit. Call {@link poll} between events (after each `update`, or every few):
 * it swaps in centroids the worker has finished (through the classifier's `applyFit`, which keeps
 * labels stable) and, when a training is due and the worker is idle, hands it the next job (a
 * copy of the training sample). Data and results travel through `SharedArrayBuffer`s and an
 * `Atomics` flag, so `poll` sees a finished fit even inside a synchronous loop that never yields to
 * the event loop; `poll` costs one atomic load when there is nothing to do.
 *
 * The worker runs the same `fitCentroids` with the same `ml-kmeans`, starting centroids and seeds as
 * the in-thread `train()`, so both give identical centroids for the same sample. A job in flight is not part of the
 * classifier's snapshot (a restored classifier trains again when due). The worker is `unref`'d; call
 * {@link close} to end it.
 *
 * @example
 * ```ts
 * const clf = new RegimeClassifier({ schedule: 'manual' });
 * const trainer = new WorkerRegimeTrainer(clf);
 * for await (const frame of frames) {
 *   clf.update(frame);
 *   trainer.poll();
 * }
 * await trainer.close();
 * ```
 */
export class WorkerRegimeTrainer {
  readonly classifier: RegimeClassifier;
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly data: Float64Array;
  private readonly result: Float64Array;
  private readonly size: number;
  private readonly waiters: Array<() => void> = [];
  private closed = false;
  private dead = false;
  private readonly counts: WorkerRegimeTrainerStats = {
    jobs: 0, applied: 0, skipped: 0, failed: 0, lastTrainingMs: NaN, lastError: null,
  };

  constructor(classifier: RegimeClassifier, options: WorkerRegimeTrainerOptions = {}) {
    checkOptionKeys('WorkerRegimeTrainer', options, ['kmeansModule']);
    if (classifier === null || typeof classifier !== 'object' || typeof classifier.takeTrainingJob !== 'function') {
      throw new InvalidOptionError('WorkerRegimeTrainer classifier', classifier, 'a RegimeClassifier');
    }
    if (classifier.schedule !== 'manual') {
      throw new InvalidOptionError('WorkerRegimeTrainer classifier.schedule', classifier.schedule, `'manual' (an 'auto' classifier trains in-thread)`);
    }
    let kmeansUrl: string;
    if (options.kmeansModule !== undefined) {
      const m = options.kmeansModule;
      if (typeof m !== 'string' || m.length === 0) throw new InvalidOptionError('WorkerRegimeTrainer.kmeansModule', m, 'a file URL or an absolute path');
      kmeansUrl = m.startsWith('file:') ? m : pathToFileURL(m).href;
    } else {
      kmeansUrl = defaultKmeansUrl();
    }
    this.classifier = classifier;
    const k = classifier.k;
    const d = classifier.dimension;
    this.size = k * d;
    const ctrl = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    const data = new SharedArrayBuffer(classifier.trainingWindow * d * Float64Array.BYTES_PER_ELEMENT);
    const result = new SharedArrayBuffer((this.size + 2) * Float64Array.BYTES_PER_ELEMENT);
    this.ctrl = new Int32Array(ctrl);
    this.data = new Float64Array(data);
    this.result = new Float64Array(result);
    this.worker = new Worker(workerProgram(fitCentroids.toString()), {
      eval: true,
      workerData: { ctrl, data, result, k, d, restarts: classifier.restarts, maxIterations: classifier.maxIterations, kmeansUrl },
    });
    this.worker.unref();
    this.worker.on('message', (m: { ok: boolean; error?: string }) => {
      if (!m.ok) this.counts.lastError = m.error ?? 'unknown error';
      this.wake();
    });
    this.worker.on('error', (e: unknown) => {
      this.counts.lastError = e instanceof Error ? (e.stack ?? e.message) : String(e);
    });
    this.worker.on('exit', () => {
      // A worker that ended (crashed or closed) takes no more jobs; a job it held failed.
      this.dead = true;
      if (Atomics.load(this.ctrl, 0) === BUSY) Atomics.store(this.ctrl, 0, FAILED);
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }

  /**
   * Between events: apply a finished fit (returns true when centroids were swapped in), then start the
   * next job if one is due and the worker is idle.
   */
  poll(): boolean {
    if (this.closed) return false;
    const ctrl = this.ctrl;
    const state = Atomics.load(ctrl, 0);
    let applied = false;
    if (state === DONE) {
      this.classifier.applyFit(this.result.subarray(0, this.size));
      this.counts.applied++;
      this.counts.lastTrainingMs = this.result[this.size + 1]!;
      Atomics.store(ctrl, 0, IDLE);
      applied = true;
    } else if (state === SKIPPED) {
      this.classifier.skipTraining();
      this.counts.skipped++;
      Atomics.store(ctrl, 0, IDLE);
    } else if (state === FAILED) {
      this.counts.failed++;
      Atomics.store(ctrl, 0, IDLE);
    }
    if (!this.dead && Atomics.load(ctrl, 0) === IDLE && this.classifier.trainingDue) {
      const job = this.classifier.takeTrainingJob(this.data);
      Atomics.store(ctrl, 0, BUSY);
      this.counts.jobs++;
      this.worker.postMessage(job);
    }
    return applied;
  }

  /** Whether the worker is fitting a job now (its result not yet swapped in by `poll`). */
  get busy(): boolean {
    return Atomics.load(this.ctrl, 0) === BUSY;
  }

  /** Whether a finished fit waits for `poll` to swap it in. */
  get ready(): boolean {
    return Atomics.load(this.ctrl, 0) === DONE;
  }

  /** Counts and the last training time (a copy). */
  get stats(): WorkerRegimeTrainerStats {
    return { ...this.counts };
  }

  /** Whether the worker has ended (closed, or crashed: see `stats.lastError`); it then takes no jobs. */
  get ended(): boolean {
    return this.dead || this.closed;
  }

  /** Resolves once the worker is not busy (its result, if any, waiting for `poll`). */
  idle(): Promise<void> {
    if (!this.busy || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.busy || this.closed || this.dead) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  /** End the worker. A job in flight is dropped (counted as failed). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (Atomics.load(this.ctrl, 0) === BUSY) {
      Atomics.store(this.ctrl, 0, IDLE);
      this.counts.failed++;
    }
    this.wake();
    await this.worker.terminate();
  }
}
