/**
 * A minimal reader of the dev day for the stats real-data tests: per row, the message time, type, size
 * and direction, and the level-1 book (raw integer prices, dollars x 10000). Deliberately independent of
 * the library's own readers; it reads whole files (a few MB) synchronously.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface LobsterDay {
  rows: number;
  time: Float64Array;
  type: Int8Array;
  size: Float64Array;
  direction: Int8Array;
  askPx: Float64Array;
  askSz: Float64Array;
  bidPx: Float64Array;
  bidSz: Float64Array;
}

function text(path: string): string {
  const buf = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

function lines(s: string): string[] {
  const out = s.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** Read a message file and its order-book file (row n of the book = state after message n). */
export function readLobsterDay(messagePath: string, orderbookPath: string): LobsterDay {
  const msg = lines(text(messagePath));
  const book = lines(text(orderbookPath));
  if (msg.length !== book.length) throw new Error(`row counts differ: ${msg.length} messages, ${book.length} book rows`);
  const n = msg.length;
  const day: LobsterDay = {
    rows: n,
    time: new Float64Array(n),
    type: new Int8Array(n),
    size: new Float64Array(n),
    direction: new Int8Array(n),
    askPx: new Float64Array(n),
    askSz: new Float64Array(n),
    bidPx: new Float64Array(n),
    bidSz: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const m = msg[i]!.split(',');
    day.time[i] = Number(m[0]);
    day.type[i] = Number(m[1]);
    day.size[i] = Number(m[3]);
    day.direction[i] = Number(m[5]);
    const b = book[i]!.split(',', 4);
    day.askPx[i] = Number(b[0]);
    day.askSz[i] = Number(b[1]);
    day.bidPx[i] = Number(b[2]);
    day.bidSz[i] = Number(b[3]);
  }
  return day;
}
