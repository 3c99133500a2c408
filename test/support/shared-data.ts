/**
 * Locates the real market data in `../shared/data` (never copied into this repo: LOBSTER grants no
 * redistribution licence). On a user's clone without it, real-data tests skip and say why; with
 * `CI=true`, missing data fails the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/data` relative to the repo root, or `MICROSTRUCTURE_DATA` when set. */
export const sharedDataDir = process.env.MICROSTRUCTURE_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

export const lobsterDir = join(sharedDataDir, 'lobster');
export const tinyDir = join(lobsterDir, 'tiny');
export const referenceDir = join(sharedDataDir, 'reference');

const stem = 'GOOG_2012-06-21_34200000_57600000';
/** The dev day, full size (gzip). */
export const devDay = {
  message: join(lobsterDir, `${stem}_message_10.csv.gz`),
  orderbook: join(lobsterDir, `${stem}_orderbook_10.csv.gz`),
  reference: join(referenceDir, 'GOOG_10.json'),
};
/** The first 200 rows of the dev day, plain CSV. */
export const tinyDay = {
  message: join(tinyDir, `${stem}_message_10.csv`),
  orderbook: join(tinyDir, `${stem}_orderbook_10.csv`),
  reference: join(referenceDir, 'GOOG_10_tiny200.json'),
};

/** Whether the shared data is present. */
export const hasSharedData = existsSync(devDay.message) && existsSync(devDay.orderbook) && existsSync(devDay.reference);

/** Why real-data tests skip (shown in the test name), or '' when they run. */
export const skipReason = hasSharedData
  ? ''
  : `real-data tests skipped: ${sharedDataDir} not found (clone next to ../shared or set MICROSTRUCTURE_DATA)`;

if (!hasSharedData && process.env.CI === 'true') {
  throw new Error(`CI=true but the shared market data is missing at ${sharedDataDir}`);
}

/** Parsed reference JSON (null written for NaN / infinities). */
export function loadReference(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Relative closeness: |a - b| <= tol * max(|a|, |b|), or both exactly equal (incl. both 0). */
export function relClose(actual: number, expected: number, tol: number): boolean {
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= tol * Math.max(Math.abs(actual), Math.abs(expected));
}
