// Order books rebuilt from messages: the L2 book from deltas, the L3 (market-by-order) book, and the
// LOBSTER L3 replay that compares every rebuilt row with the file's book and resyncs. Against a bare loop
// reading every field of the same order events (and, for the replay, of the books it compares with).
import { consume } from '../harness.js';
import { bareRead } from './book.js';

export const id = 'l3';
export const title = 'L3 book';
export const requires = ['L3OrderBook', 'LobsterL3Replay'];

function bareOrder(o) {
  return o.ts + o.orderId + o.size + o.price + o.side + (o.kind === 'add' ? 1 : 0);
}

export function cases({ lib, data }) {
  const { rows } = data;
  const n = rows.length;
  const out = [
    {
      name: 'bare loop (read every field of the order events)',
      baseline: true,
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += bareOrder(rows[i].order);
        consume(acc);
      },
    },
    {
      name: 'bare loop (order events + the books after them)',
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += bareOrder(rows[i].order) + bareRead(rows[i].book);
        consume(acc);
      },
    },
  ];
  if (lib.L2Book) {
    const l2 = new lib.L2Book({ depth: 10, capacity: 64 });
    out.push({
      name: 'L2Book.update (messages as L2 deltas, seeded from row 0)',
      events: n,
      requires: ['L2Book'],
      fn: () => {
        l2.reset();
        l2.seedFromBook(rows[0].book);
        let acc = 0;
        for (let i = 1; i < n; i++) acc += l2.update(rows[i].order);
        consume(acc);
      },
    });
  }
  const l3 = new lib.L3OrderBook({ sizePolicy: 'levels' });
  out.push({
    name: 'L3OrderBook.apply (messages, seeded from row 0)',
    events: n,
    goal: { text: '>= 3,000,000 messages/s', check: (r) => r.eventsPerSec >= 3e6 },
    fn: () => {
      l3.reset();
      l3.seedFromBook(rows[0].book);
      let acc = 0;
      for (let i = 1; i < n; i++) acc += l3.apply(rows[i].order);
      consume(acc);
    },
  });
  const replay = new lib.LobsterL3Replay();
  out.push({
    name: 'LobsterL3Replay (apply + compare with the file + resync)',
    events: n,
    fn: () => {
      replay.reset();
      let acc = 0;
      for (let i = 0; i < n; i++) acc += replay.update(rows[i]) ? 1 : 0;
      consume(acc);
    },
  });
  return out;
}
