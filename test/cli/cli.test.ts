import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseTime } from '../../src/cli/main.js';
import { demo } from '../../src/cli/demo.js';
import { hasSharedData, loadReference, relClose, skipReason, tinyDay } from '../support/shared-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'microstructure-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += `${s}\n`), (s) => (err += `${s}\n`));
  return { code, out, err };
}

describe('microstructure CLI', () => {
  it('prints help with exit 0, and exit 2 for no command or an unknown one', async () => {
    expect((await run('help')).out).toContain('microstructure analyze <message-file>');
    expect((await run()).code).toBe(2);
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    expect((await run('analyze', '--bogus', 'x')).code).toBe(2);
    expect((await run('analyze')).code).toBe(2);
    expect((await run('--version')).out.trim()).toMatch(/^(dev|\d+\.\d+\.\d+)$/);
  });

  it('exits 1 with the file named when the input is missing or malformed', async () => {
    const missing = await run('analyze', join(tmp, 'NONE_2012-01-01_0_1_message_1.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('NONE_2012-01-01_0_1');
    const msg = join(tmp, 'BAD_2012-01-01_0_1_message_1.csv');
    writeFileSync(msg, '34200.1,1,1,100,5000000,1\n34200.2,x,1,100,5000000,1\n');
    writeFileSync(join(tmp, 'BAD_2012-01-01_0_1_orderbook_1.csv'), '5001000,100,5000000,100\n5001000,100,5000000,200\n');
    const bad = await run('analyze', msg);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/BAD_2012-01-01_0_1_message_1\.csv:2/);
  });

  it('routes evaluate to the scoring harness, with usage errors on stderr and exit 2', async () => {
    const bad = await run('evaluate', '--seeds', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('microstructure evaluate:');
  });

  it('parses clock times and milliseconds for --from/--to', () => {
    expect(parseTime('09:30', '--from')).toBe(34_200_000);
    expect(parseTime('09:30:01.5', '--from')).toBe(34_201_500);
    expect(parseTime('1234', '--to')).toBe(1234);
    expect(() => parseTime('noon', '--to')).toThrow(/--to expects/);
  });

  it('runs the demo on the simulator with no files and reports every section', async () => {
    const r = await run('demo', '--duration', '2m', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.rows).toBeGreaterThan(1000);
    expect(report.validation.rejectedBooks).toBe(0);
    expect(report.book.spread.min).toBeGreaterThan(0);
    expect(report.trades.count).toBeGreaterThan(0);
    expect(report.trades.signSource).toBe('source');
    expect(Object.keys(report.scenarios).length).toBeGreaterThan(0);
    const text = await run('demo', '--duration', '1m');
    expect(text.out).toContain('microstructure report: simulated session with every scenario (seed 1, 1m)');
    expect(text.out).toContain('scenarios injected:');
    expect((await run('demo', '--seed', 'x')).code).toBe(2);
    expect((await run('demo', '--duration', 'soon')).code).toBe(2);
    // the same seed gives the same session
    expect(demo({ seed: 3, durationMs: 60_000 }).book).toEqual(demo({ seed: 3, durationMs: 60_000 }).book);
  });

  it('simulates a labelled session into LOBSTER files that analyze reads back', async () => {
    const out = join(tmp, 'sim');
    const r = await run('simulate', '--out', out, '--scenario', 'spoofing', '--seed', '7', '--duration', '3m', '--depth', '5', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.rows).toBeGreaterThan(0);
    expect(result.labelsByKind.spoofing).toBeGreaterThan(0);
    const back = await run('analyze', result.messageFile, '--json');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.out).rows).toBe(result.rows);
    expect((await run('simulate', '--scenario', 'spoofing')).code).toBe(2); // no --out
    expect((await run('simulate', '--out', out, '--scenario', 'nonsense')).code).toBe(2);
    expect((await run('simulate', '--out', out, '--depth', '0')).code).toBe(2);
    expect((await run('simulate', '--out', out, '--messages', 'some')).code).toBe(2);
  });

  it('analyzes CSV sources (L2 snapshots merged with trades by time)', async () => {
    const l2 = join(tmp, 'l2.csv');
    writeFileSync(l2, 'ts,bid_px_1,bid_sz_1,ask_px_1,ask_sz_1\n1,100,5,101,5\n2,100,4,101,5\n3,100,4,101,6\n');
    const trades = join(tmp, 'trades.csv');
    writeFileSync(trades, 'ts,price,size,side\n2,100,1,-1\n');
    const r = await run('analyze', '--csv-l2', l2, '--csv-trades', trades, '--json', '--symbol', 'X', '--to', '3');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.rows).toBe(2);
    expect(report.events.trades).toBe(1);
    expect(report.ofi.sum).toBe(-1); // e_1 = -(5 - 4): the bid queue shrank by one share
    expect((await run('analyze', l2, '--csv-l2', l2)).code).toBe(2);
  });
});

describe.skipIf(!hasSharedData)(`microstructure analyze on the tiny dev slice ${skipReason}`, () => {
  it('reports the 200-row slice in agreement with its reference', async () => {
    const ref = loadReference(tinyDay.reference);
    const r = await run('analyze', tinyDay.message, tinyDay.orderbook, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.rows).toBe(200);
    expect(report.ofi.sum).toBe(ref.ofi.sum_e);
    expect(relClose(report.book.microprice.mean, ref.book.microprice.mean, 1e-9)).toBe(true);
    expect(report.l3.rowsCompared).toBe(199);
    expect(report.throughput.rowsPerSec).toBeGreaterThan(0);
    expect((await run('analyze', tinyDay.message)).out).toContain('rows 200');
  });

  it('writes per-row features as CSV and as JSON lines, filtered by time', async () => {
    const csv = join(tmp, 'f.csv');
    const jsonl = join(tmp, 'f.jsonl');
    expect((await run('analyze', tinyDay.message, '--features', csv)).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines.length).toBe(201);
    expect(lines[0]).toBe('symbol,seq,ts,issues,spread,spreadBps,mid,microprice,obi,weightedObi,ofi,ofiSum,bidDepth,askDepth,spreadMean,spreadZ,regime');
    expect(lines[1]!.split(',').slice(0, 3)).toEqual(['GOOG', '1', '34200015.105074']);
    expect((await run('analyze', tinyDay.message, '--features', jsonl, '--from', '34200100')).code).toBe(0);
    const rows = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(200);
    expect(rows.every((f) => f.ts >= 34200100)).toBe(true);
    expect((await run('analyze', tinyDay.message, '--features', join(tmp, 'f.txt'))).code).toBe(1);
  });

  it('runs as the built bin with documented exit codes', () => {
    const bin = join(root, 'dist', 'cli.js');
    const out = execFileSync(process.execPath, [bin, 'analyze', tinyDay.message, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).rows).toBe(200);
    expect(spawnSync(process.execPath, [bin, 'nope']).status).toBe(2);
    expect(spawnSync(process.execPath, [bin, 'analyze', join(tmp, 'X_1_2_3_message_1.csv')]).status).toBe(1);
  });
});
