// Parsers and `analyze` end to end, each against a bare read of the same bytes. These cases are async and
// take up to a few seconds each, so they are timed by whole runs (the median of `reps` runs after one
// warm-up), not by benchmark.js. `rme` is null; `samples` is the number of runs.
//
// - LOBSTER (the input's files; the dev day is gzip): a bare read (gunzip, count bytes), a bare gunzip
//   plus a newline-and-comma scan (the floor of any parser), readLobster (rows with books),
//   lobsterTradeTotals (analyze's first pass), and analyze end to end (both passes, engine, L3 replay,
//   report), whose goal is >= 0.8x the bare gunzip-and-parse (readLobster alone).
// - CSV (wide L2 snapshots and trades, written once from the input to a temp directory, plain text): the
//   readers against a bare read of the same file.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { applyGoal, medianRuns as timed } from '../harness.js';

export const id = 'replay';
export const title = 'parsers';
export const requires = [];
export const nodeRequires = ['readLobster', 'analyze'];

function open(file) {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  return file.endsWith('.gz') ? stream.pipe(createGunzip({ chunkSize: 1 << 16 })) : stream;
}

async function bareRead(file) {
  let bytes = 0;
  for await (const chunk of open(file)) bytes += chunk.length;
  return bytes;
}

async function bareScan(file) {
  let fields = 0;
  for await (const chunk of open(file)) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 44 || c === 10) fields++;
    }
  }
  return fields;
}

/** Copy `file` to `to`, gunzipped when it ends in .gz. */
async function decompressTo(file, to) {
  await pipeline(open(file), createWriteStream(to));
}

/** Write the input's books as a wide L2 CSV and its trades as a trades CSV (plain text). */
function writeCsvs(data, dir) {
  const depth = data.depth;
  const head = ['ts'];
  for (let l = 1; l <= depth; l++) head.push(`bid_px_${l}`, `bid_sz_${l}`, `ask_px_${l}`, `ask_sz_${l}`);
  const lines = [head.join(',')];
  for (const b of data.books) {
    const cells = [String(b.ts)];
    for (let l = 0; l < depth; l++) {
      const bid = l < b.bidLevels;
      const ask = l < b.askLevels;
      cells.push(bid ? String(b.bidPx[l]) : '', bid ? String(b.bidSz[l]) : '', ask ? String(b.askPx[l]) : '', ask ? String(b.askSz[l]) : '');
    }
    lines.push(cells.join(','));
  }
  const l2 = join(dir, 'l2.csv');
  writeFileSync(l2, `${lines.join('\n')}\n`);
  const tl = ['ts,price,size,side'];
  for (const t of data.trades) tl.push(`${t.trade.ts},${t.trade.price},${t.trade.size},${t.trade.side}`);
  const trades = join(dir, 'trades.csv');
  writeFileSync(trades, `${tl.join('\n')}\n`);
  return { l2, trades, l2Rows: data.books.length, tradeRows: data.trades.length };
}

export async function run({ node, data, quick, reps: repsOption, log }) {
  const out = [];
  const reps = repsOption ?? (quick ? 1 : 7);
  // quick: no warm-up run (the first run carries the JIT warm-up; fine for development figures)
  const medianRuns = (k, fn) => timed(k, fn, { warmup: !quick });
  const entry = (name, events, m, bytes, base, baseName) => ({
    suite: 'replay',
    name,
    eventsPerSec: (events * 1000) / m.ms,
    nsPerEvent: (m.ms * 1e6) / events,
    mbPerSec: bytes / 1e6 / (m.ms / 1000),
    baseline: baseName,
    ratioToBaseline: base.ms / m.ms,
    rme: null,
    samples: m.all.length,
  });
  const files = data.files;
  if (files !== null) {
    // the whole files are read, whatever --rows kept in memory: count their rows here
    const n = data.fileRows ?? data.rows.length;
    const bothBare = () => Promise.all([bareRead(files.message), bareRead(files.orderbook)]).then(([a, b]) => a + b);
    const bare = await medianRuns(reps, bothBare);
    const bytes = bare.result;
    log?.('  replay / bare read');
    const scan = await medianRuns(reps, () => Promise.all([bareScan(files.message), bareScan(files.orderbook)]));
    log?.('  replay / bare scan');
    const parse = await medianRuns(reps, async () => {
      let acc = 0;
      for await (const row of node.readLobster(files.message, { orderbookFile: files.orderbook })) acc += row.book.bidLevels;
      return acc;
    });
    log?.('  replay / readLobster');
    const baseName = 'bare read (gunzip, count bytes)';
    const parseName = 'LOBSTER parse (readLobster: rows with books)';
    out.push(entry(baseName, n, bare, bytes, bare, baseName));
    out.push(entry('bare gunzip + scan (count fields, convert nothing)', n, scan, bytes, bare, baseName));
    out.push(entry(parseName, n, parse, bytes, bare, baseName));
    if (node.lobsterTradeTotals) {
      const totals = await medianRuns(reps, () => node.lobsterTradeTotals(files.message));
      out.push(entry('lobsterTradeTotals (analyze first pass, message file only)', n, totals, bytes, bare, baseName));
      log?.('  replay / lobsterTradeTotals');
    }
    // The parser alone on the decompressed CSV (the files decompressed once to a temp directory, untimed):
    // its own speed in MB/s of CSV text, without gunzip in front of it.
    const plainDir = mkdtempSync(join(tmpdir(), 'microstructure-bench-plain-'));
    try {
      const plain = { message: join(plainDir, 'message.csv'), orderbook: join(plainDir, 'orderbook.csv') };
      await Promise.all([decompressTo(files.message, plain.message), decompressTo(files.orderbook, plain.orderbook)]);
      const plainBare = await medianRuns(reps, () => Promise.all([bareRead(plain.message), bareRead(plain.orderbook)]).then(([a, b]) => a + b));
      const plainParse = await medianRuns(reps, async () => {
        let acc = 0;
        for await (const row of node.readLobster(plain.message, { orderbookFile: plain.orderbook })) acc += row.book.bidLevels;
        return acc;
      });
      const plainName = 'bare read (decompressed CSV, plain)';
      out.push(entry(plainName, n, plainBare, plainBare.result, plainBare, plainName));
      out.push(
        applyGoal(entry('LOBSTER parse of the decompressed CSV (readLobster, plain files)', n, plainParse, plainBare.result, plainBare, plainName), {
          text: '>= 300 MB/s of decompressed CSV',
          check: (r) => r.mbPerSec >= 300,
        }),
      );
      log?.('  replay / readLobster, plain');
    } finally {
      rmSync(plainDir, { recursive: true, force: true });
    }
    const full = await medianRuns(reps, () => node.analyze({ messageFile: files.message, orderbookFile: files.orderbook }));
    log?.('  replay / analyze');
    out.push(
      applyGoal(entry('analyze end to end (2 passes: parse + engine + L3 replay + report)', n, full, bytes, parse, parseName), {
        text: '>= 0.8x the bare gunzip-and-parse (readLobster alone)',
        check: (r) => r.ratioToBaseline >= 0.8,
      }),
    );
  }
  if ((node.readL2Csv || node.readTradesCsv) && data.books.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'microstructure-bench-'));
    try {
      const csv = writeCsvs(data, dir);
      if (node.readL2Csv) {
        const bare = await medianRuns(reps, () => bareRead(csv.l2));
        const parse = await medianRuns(reps, async () => {
          let acc = 0;
          for await (const b of node.readL2Csv(csv.l2)) acc += b.bidLevels;
          return acc;
        });
        const name = 'bare read (wide L2 CSV, plain)';
        out.push(entry(name, csv.l2Rows, bare, bare.result, bare, name));
        out.push(entry('readL2Csv (wide, 10 levels)', csv.l2Rows, parse, bare.result, bare, name));
        log?.('  replay / readL2Csv');
      }
      if (node.readTradesCsv && csv.tradeRows > 0) {
        const bare = await medianRuns(reps, () => bareRead(csv.trades));
        const parse = await medianRuns(reps, async () => {
          let acc = 0;
          for await (const t of node.readTradesCsv(csv.trades)) acc += t.size;
          return acc;
        });
        const name = 'bare read (trades CSV, plain)';
        out.push(entry(name, csv.tradeRows, bare, bare.result, bare, name));
        out.push(entry('readTradesCsv', csv.tradeRows, parse, bare.result, bare, name));
        log?.('  replay / readTradesCsv');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
