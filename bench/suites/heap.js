// Heap growth on the hot path: heap used after a full GC, before and after N updates cycling the input.
// Needs node --expose-gc (the bench script passes it); without it the figure is marked unavailable.
import { Engine } from '../../dist/index.js';
import { makeBookPipeline } from './book.js';

function measure(name, books, updates, step) {
  const gc = globalThis.gc;
  const n = books.length;
  for (let i = 0; i < n; i++) step(books[i]); // warm up and let every lazy allocation happen
  if (gc) gc();
  const before = process.memoryUsage().heapUsed;
  let acc = 0;
  for (let i = 0; i < updates; i++) acc += step(books[i % n]);
  if (gc) gc();
  const after = process.memoryUsage().heapUsed;
  return {
    suite: 'heap',
    name,
    updates,
    heapGrowthBytes: gc ? after - before : null,
    bytesPerMillion: gc ? ((after - before) * 1e6) / updates : NaN,
    gcAvailable: Boolean(gc),
    checksum: acc === acc ? 1 : 0,
  };
}

export function heapGrowth({ rows }, { updates }) {
  const books = rows.map((r) => r.book);
  const pipeline = makeBookPipeline();
  const engine = new Engine({ symbol: 'BENCH' });
  return [
    measure('book pipeline', books, updates, pipeline),
    measure('Engine.onBook', books, updates, (b) => engine.onBook(b).mid),
  ];
}
