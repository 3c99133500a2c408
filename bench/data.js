// Bench inputs: the dev day from ../shared/data (read through the built LOBSTER reader), or a seeded
// synthetic session when the data is absent. Everything is loaded before any timing starts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloneBook, syntheticSession } from '../dist/index.js';
import { readLobster } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const stem = 'GOOG_2012-06-21_34200000_57600000';
const dataDir = process.env.MICROSTRUCTURE_DATA ?? resolve(here, '..', '..', 'shared', 'data');

/** The input files of a named input, or null for the synthetic one. */
export function inputFiles(input) {
  if (input === 'synthetic') return null;
  const dir = input === 'tiny' ? join(dataDir, 'lobster', 'tiny') : join(dataDir, 'lobster');
  const ext = input === 'tiny' ? '.csv' : '.csv.gz';
  const message = join(dir, `${stem}_message_10${ext}`);
  const orderbook = join(dir, `${stem}_orderbook_10${ext}`);
  return existsSync(message) && existsSync(orderbook) ? { message, orderbook, name: input === 'tiny' ? `${stem} (first 200 rows)` : stem } : null;
}

/**
 * Rows as independent objects: { order, trade, book }.
 * @returns {Promise<{ name: string, rows: Array<{ order: object, trade: object | null, book: object }> }>}
 */
export async function loadRows(input) {
  const files = inputFiles(input);
  const rows = [];
  if (files === null) {
    for (const r of syntheticSession({ seed: 1, events: 150_000 })) {
      rows.push({ order: { ...r.order }, trade: r.trade && { ...r.trade }, book: cloneBook(r.book) });
    }
    return { name: 'synthetic session (seed 1, 150,000 events)', rows, files: null };
  }
  for await (const r of readLobster(files.message, { orderbookFile: files.orderbook })) {
    rows.push({ order: { ...r.order }, trade: r.trade && { ...r.trade }, book: cloneBook(r.book) });
  }
  return { name: files.name, rows, files };
}
