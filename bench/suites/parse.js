// Replay: LOBSTER parsing and `analyze` end to end, each against a bare read of the same bytes.
// These cases are async and take about a second each, so they are timed by repeated whole runs (median),
// not by benchmark.js.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { readLobster, analyze } from '../../dist/node.js';

async function bareRead(file) {
  let bytes = 0;
  const gz = file.endsWith('.gz');
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of gz ? stream.pipe(createGunzip({ chunkSize: 1 << 16 })) : stream) bytes += chunk.length;
  return bytes;
}

/** Reads both files in parallel (as the reader does), decompressing, counting bytes. */
async function bareGunzip(files) {
  const [a, b] = await Promise.all([bareRead(files.message), bareRead(files.orderbook)]);
  return a + b;
}

/** Bare gunzip plus a minimal newline-and-comma scan, converting nothing: the floor of any parser. */
async function bareGunzipAndScan(files) {
  let fields = 0;
  const scan = async (file) => {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const chunk of file.endsWith('.gz') ? stream.pipe(createGunzip({ chunkSize: 1 << 16 })) : stream) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === 44 || c === 10) fields++;
      }
    }
  };
  await Promise.all([scan(files.message), scan(files.orderbook)]);
  return fields;
}

async function parseOnly(files) {
  let acc = 0;
  const reader = readLobster(files.message, { orderbookFile: files.orderbook });
  for await (const row of reader) acc += row.book.bidLevels;
  return { acc, bytes: reader.stats().messageBytes + reader.stats().orderbookBytes };
}

async function median(reps, fn) {
  const times = [];
  let result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

export async function run({ files, rows }, { quick }) {
  if (files === null) return [];
  const reps = quick ? 3 : 7;
  const n = rows.length;
  await parseOnly(files); // warm up
  const bare = await median(reps, () => bareGunzip(files));
  const scan = await median(reps, () => bareGunzipAndScan(files));
  const parse = await median(reps, () => parseOnly(files));
  const full = await median(reps, () => analyze({ messageFile: files.message, orderbookFile: files.orderbook }));
  const bytes = parse.result.bytes;
  const entry = (name, m, base, baseName) => ({
    suite: 'replay',
    name,
    eventsPerSec: (n * 1000) / m.ms,
    nsPerEvent: (m.ms * 1e6) / n,
    mbPerSec: bytes / 1e6 / (m.ms / 1000),
    baseline: baseName,
    ratioToBaseline: base.ms / m.ms,
    rme: null,
    samples: reps,
  });
  return [
    entry('bare read (gunzip, count bytes)', bare, bare, 'bare read (gunzip, count bytes)'),
    entry('bare gunzip + scan (count fields, convert nothing)', scan, bare, 'bare read (gunzip, count bytes)'),
    entry('LOBSTER parse (readLobster, rows with books)', parse, bare, 'bare read (gunzip, count bytes)'),
    entry('analyze end to end (parse + engine + L3 + report)', full, parse, 'LOBSTER parse (readLobster, rows with books)'),
  ];
}
