// The whole engine per book (validator, every book signal, baseline, z-score, frame).
import { Engine, L3OrderBook, LobsterL3Replay } from '../../dist/index.js';
import { consume } from '../harness.js';
import { bareRead } from './book.js';

export function cases({ rows }) {
  const n = rows.length;
  const books = rows.map((r) => r.book);
  const engine = new Engine({ symbol: 'BENCH' });
  const replay = new LobsterL3Replay();
  return [
    {
      name: 'bare loop (read every field)',
      baseline: true,
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += bareRead(books[i]);
        consume(acc);
      },
    },
    {
      name: 'Engine.onBook (default graph)',
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += engine.onBook(books[i]).microprice;
        consume(acc);
      },
    },
    {
      name: 'L3OrderBook.apply (messages, seeded from row 0)',
      events: n,
      fn: () => {
        const book = new L3OrderBook({ sizePolicy: 'levels' });
        book.seedFromBook(rows[0].book);
        let acc = 0;
        for (let i = 1; i < n; i++) acc += book.apply(rows[i].order);
        consume(acc);
      },
    },
    {
      name: 'LobsterL3Replay (apply + compare + resync)',
      events: n,
      fn: () => {
        replay.reset();
        let acc = 0;
        for (let i = 0; i < n; i++) acc += replay.update({ index: i, order: rows[i].order, book: rows[i].book }) ? 1 : 0;
        consume(acc);
      },
    },
  ];
}
