import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { RegimeClassifier, type RegimeClassifierOptions, type RegimeInput } from '../../src/regime/regime-classifier.js';
import { WorkerRegimeTrainer } from '../../src/regime/worker-trainer.js';

const OPTIONS: RegimeClassifierOptions = { schedule: 'manual', warmup: 50, warmupMs: 0, minTrainPoints: 500, retrainEvery: 1000, trainingWindow: 4096 };

/** An endless stream of inputs alternating three market states every 300 events. */
function* inputs(seed: number): Generator<RegimeInput> {
  const rnd = new Random(seed);
  let ts = 0;
  let mid = 100;
  for (let i = 0; ; i++) {
    const state = Math.floor(i / 300) % 3;
    ts += rnd.exponential(0.05);
    mid *= Math.exp(rnd.normal(0, state === 1 ? 1e-3 : 1e-4));
    const depth = state === 1 ? 500 : state === 2 ? 4000 : 2000;
    yield { ts, mid, spread: 0.01 * (state === 1 ? 5 : 1 + rnd.poisson(0.3)), ofi: rnd.normal(0, state === 2 ? 300 : 50), bidDepth: depth / 2, askDepth: depth / 2 };
  }
}

describe('WorkerRegimeTrainer', () => {
  it('fits in a worker thread while update keeps answering, then swaps the centroids in on poll', async () => {
    const clf = new RegimeClassifier(OPTIONS);
    const trainer = new WorkerRegimeTrainer(clf);
    try {
      const stream = inputs(1);
      // warm up and train once in-thread, so update answers regimes from here on
      while (!clf.trainingDue) clf.update(stream.next().value as RegimeInput);
      clf.train();
      // fill the sample, then run until the next training is due and hand it to the worker
      while (!clf.trainingDue) clf.update(stream.next().value as RegimeInput);
      expect(trainer.poll()).toBe(false);
      expect(trainer.busy).toBe(true);
      // a synchronous loop: update answers while the worker fits (the poll flag is an Atomics load)
      let answeredWhileBusy = 0;
      while (trainer.busy) {
        const r = clf.update(stream.next().value as RegimeInput);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThan(3);
        answeredWhileBusy++;
      }
      expect(answeredWhileBusy).toBeGreaterThan(0);
      expect(trainer.ready).toBe(true);
      const before = clf.trainings;
      expect(trainer.poll()).toBe(true);
      expect(clf.trainings).toBe(before + 1);
      const stats = trainer.stats;
      // the poll that applied also started the next job if retrainEvery points passed meanwhile
      expect(stats.jobs).toBe(answeredWhileBusy >= OPTIONS.retrainEvery! ? 2 : 1);
      expect(stats.applied).toBe(1);
      expect(stats.failed).toBe(0);
      expect(stats.lastTrainingMs).toBeGreaterThan(0);
    } finally {
      await trainer.close();
    }
  });

  it('gives the same centroids as training in-thread on the same sample', async () => {
    const a = new RegimeClassifier(OPTIONS);
    const stream = inputs(2);
    while (!a.trainingDue) a.update(stream.next().value as RegimeInput);
    const b = new RegimeClassifier(OPTIONS);
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    a.train();
    const trainer = new WorkerRegimeTrainer(b);
    try {
      trainer.poll();
      await trainer.idle();
      expect(trainer.poll()).toBe(true);
      expect(Array.from(b.centroidsCopy!)).toEqual(Array.from(a.centroidsCopy!));
    } finally {
      await trainer.close();
    }
  });

  it('counts a job the worker cannot fit (too few distinct points) as skipped', async () => {
    const clf = new RegimeClassifier({ ...OPTIONS, features: ['depth'] });
    for (let i = 0; i < 600; i++) clf.update({ ts: i, mid: 100, spread: 0.01, ofi: 0, bidDepth: 10, askDepth: 10 });
    const trainer = new WorkerRegimeTrainer(clf);
    try {
      trainer.poll();
      await trainer.idle();
      expect(trainer.poll()).toBe(false);
      expect(trainer.stats.skipped).toBe(1);
      expect(clf.skippedTrainings).toBe(1);
      expect(clf.isTrained).toBe(false);
    } finally {
      await trainer.close();
    }
  });

  it('reports a worker that cannot load ml-kmeans as a failed job with its error', async () => {
    const clf = new RegimeClassifier(OPTIONS);
    const stream = inputs(3);
    while (!clf.trainingDue) clf.update(stream.next().value as RegimeInput);
    const trainer = new WorkerRegimeTrainer(clf, { kmeansModule: '/nonexistent/ml-kmeans/index.js' });
    try {
      trainer.poll();
      await trainer.idle();
      trainer.poll();
      expect(trainer.stats.failed).toBe(1);
      expect(trainer.stats.lastError).toMatch(/nonexistent/);
      expect(clf.isTrained).toBe(false);
    } finally {
      await trainer.close();
      await trainer.close(); // idempotent
      expect(trainer.ended).toBe(true);
      expect(trainer.poll()).toBe(false);
    }
  });

  it('needs a classifier with schedule manual', () => {
    expect(() => new WorkerRegimeTrainer(new RegimeClassifier())).toThrow(InvalidOptionError);
    expect(() => new WorkerRegimeTrainer({} as RegimeClassifier)).toThrow(InvalidOptionError);
    expect(() => new WorkerRegimeTrainer(new RegimeClassifier(OPTIONS), { kmeansModule: '' })).toThrow(InvalidOptionError);
  });
});
