/**
 * The benchmarks never run in the test suite; this only checks that `bench --quick` runs end to end on
 * a tiny input (the first 200 rows of the dev day, or a 300-event synthetic session without the shared
 * data) with a tiny time budget, and that `bench/results.json` has the documented shape. No figure is
 * asserted: timings are not test material.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData } from '../support/shared-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runner = join(root, 'bench', 'run.js');
const built = existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'node.js'));
const input = hasSharedData ? ['--input', 'tiny'] : ['--input', 'synthetic', '--synthetic-events', '300'];

interface Entry {
  suite: string;
  name: string;
  [k: string]: unknown;
}

function run(args: string[]) {
  return spawnSync(process.execPath, ['--expose-gc', runner, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!built)(`bench --quick on a tiny input${built ? '' : ' (skipped: dist/ not built; run npm run build)'}`, () => {
  let dir: string;
  let report: any;
  let stdout: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    const out = join(dir, 'results.json');
    const r = run(['--quick', ...input, '--out', out, '--max-time', '0.01', '--min-samples', '1', '--reps', '1', '--heap-updates', '2000', '--latency-passes', '1']);
    if (r.status !== 0) throw new Error(`bench exited ${r.status}: ${r.stderr}`);
    stdout = r.stdout;
    report = JSON.parse(readFileSync(out, 'utf8'));
  }, 60_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the machine, Node version, commit and options', () => {
    expect(report.machine).toMatchObject({ cpu: expect.any(String), cores: expect.any(Number), memoryGiB: expect.any(Number) });
    expect(report.node).toBe(process.version);
    expect(typeof report.commit).toBe('string');
    expect(report.quick).toBe(true);
    expect(report.rows).toBeGreaterThan(0);
    expect(Array.isArray(report.skipped)).toBe(true);
    // every group of suites ran in its own process
    expect(report.options.isolated).toContainEqual(['book']);
    expect(report.options.isolated).toContainEqual(['trades']);
  });

  it('measures the peak memory of analyze over the input once and five times', () => {
    const memory: Entry[] = report.results.filter((r: Entry) => r.suite === 'memory');
    if (!hasSharedData) return expect(memory).toEqual([]); // synthetic input: no files to analyze
    expect(memory.map((r) => r.name)).toEqual(['analyze, the input once: peak RSS', 'analyze, the input five times in a row: peak RSS']);
    for (const r of memory) expect(r.rssBytes as number).toBeGreaterThan(1e6);
    expect(memory[1]!.ratioToOnce as number).toBeCloseTo((memory[1]!.rssBytes as number) / (memory[0]!.rssBytes as number), 12);
  });

  it('has one throughput entry per case, with events/s, ns/event, its baseline and the ratio to it', () => {
    const cases: Entry[] = report.results.filter((r: Entry) => !['peers', 'latency', 'heap', 'memory'].includes(r.suite));
    const suites = new Set(cases.map((r) => r.suite));
    for (const s of ['book signals', 'stats', 'trade analytics', 'L3 book', 'engine', 'simulator', 'replay']) expect(suites).toContain(s);
    for (const r of cases) {
      expect(r).toMatchObject({ suite: expect.any(String), name: expect.any(String), eventsPerSec: expect.any(Number), nsPerEvent: expect.any(Number) });
      expect(r.eventsPerSec as number).toBeGreaterThan(0);
      expect((r.nsPerEvent as number) * (r.eventsPerSec as number)).toBeCloseTo(1e9, -3);
      expect(typeof r.baseline).toBe('string');
      expect(typeof r.ratioToBaseline).toBe('number');
      if (r.goal !== undefined) expect(typeof r.goalMet).toBe('boolean');
    }
    // each suite's baseline is one of its cases, with ratio 1
    for (const s of suites) {
      const inSuite = cases.filter((r) => r.suite === s);
      const base = inSuite.find((r) => r.name === inSuite[0]!.baseline);
      expect(base, `baseline of ${s}`).toBeDefined();
      if (s !== 'replay') expect(base!.ratioToBaseline).toBe(1);
    }
  });

  it('has peer entries with both rates and the ratio ours / peer', () => {
    const peers: Entry[] = report.results.filter((r: Entry) => r.suite === 'peers');
    expect(peers.some((r) => r.name.startsWith('orderflow-metrics:'))).toBe(true);
    for (const r of peers) {
      expect(r.name).toMatch(/^[a-z-]+:/);
      expect(r.ratioOursToPeer as number).toBeCloseTo((r.eventsPerSec as number) / (r.peerEventsPerSec as number), 6);
    }
  });

  it('has latency percentiles with the timer overhead, and heap growth per 10 million events', () => {
    const lat: Entry[] = report.results.filter((r: Entry) => r.suite === 'latency');
    expect(lat.length).toBeGreaterThan(0);
    for (const r of lat) {
      expect(r.timerOverheadNs as number).toBeGreaterThanOrEqual(0);
      expect(r.p50Ns as number).toBeLessThanOrEqual(r.p99Ns as number);
      expect(r.p99Ns as number).toBeLessThanOrEqual(r.p99_9Ns as number);
    }
    const heap: Entry[] = report.results.filter((r: Entry) => r.suite === 'heap');
    expect(heap.length).toBeGreaterThan(0);
    for (const r of heap) expect(r).toMatchObject({ gcAvailable: true, bytesPer10MEvents: expect.any(Number), updates: expect.any(Number) });
  });

  it('prints the tables', () => {
    expect(stdout).toContain('| suite | case | events/s | ns/event | ratio to baseline |');
    expect(stdout).toContain('| peer:metric | ours events/s | peer events/s | ours / peer |');
  });
});

describe.skipIf(!built)('bench argument checks', () => {
  it('rejects an unknown suite name, naming the known ones', () => {
    const r = run(['--suite', 'nope']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown suite 'nope' \(known: book, stats/);
  });
});
