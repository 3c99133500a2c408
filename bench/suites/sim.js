// Simulators: events generated per second, each event read as a consumer would. The MarketSimulator
// (issue goal: >= 1,000,000 events/s with a book snapshot after every event) counts every MarketEvent it
// yields (an order message, the trade it made if any, the book after it); its baseline is a bare loop
// reading every field of the same events, generated once and copied to memory beforehand. Each pass
// builds a fresh simulator with the same seed (construction and the initial book included), so every
// pass generates the same events. Generators yield borrowed objects: reading them costs no copy.
import { packBook } from '../data.js';
import { consume } from '../harness.js';
import { bareRead } from './book.js';
import { bareRow } from './engine.js';

export const id = 'sim';
export const title = 'simulator';
export const requires = ['syntheticSession'];

/** Reads every field of a MarketEvent. */
function bareEvent(e) {
  switch (e.type) {
    case 'order': {
      const o = e.order;
      return o.ts + o.orderId + o.size + o.price + o.side + (o.kind === 'add' ? 1 : 0);
    }
    case 'trade': {
      const t = e.trade;
      return t.ts + t.price + t.size + (t.side ?? 0);
    }
    default:
      return bareRead(e.book);
  }
}

/** Copy borrowed events to memory, the books into one contiguous store (as bench/data.js lays them out). */
function copyEvents(lib, count) {
  const raw = [];
  const it = new lib.MarketSimulator({ seed: 1 }).events();
  for (let r = it.next(); r.done !== true && raw.length < count; r = it.next()) {
    const e = r.value;
    if (e.type === 'order') raw.push({ type: 'order', symbol: e.symbol, order: { ...e.order } });
    else if (e.type === 'trade') raw.push({ type: 'trade', symbol: e.symbol, trade: { ...e.trade } });
    else raw.push({ type: 'book', symbol: e.symbol, book: lib.cloneBook(e.book) });
  }
  const books = raw.filter((e) => e.type === 'book');
  const depth = books[0]?.book.bidPx.length ?? 1;
  const store = new Float64Array(books.length * 4 * depth);
  books.forEach((e, i) => {
    e.book = packBook(e.book, store, i, depth);
  });
  return raw;
}

export function cases({ lib, data }) {
  const n = data.rows.length;
  const out = [];
  if (lib.MarketSimulator) {
    const count = Math.max(1000, n);
    const copies = copyEvents(lib, count);
    const m = copies.length;
    out.push({
      name: 'bare loop (read every field of the same simulator events, in memory)',
      baseline: true,
      events: m,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < m; i++) acc += bareEvent(copies[i]);
        consume(acc);
      },
    });
    const simCase = (name, options, goal) => ({
      name,
      events: m,
      ...(goal ? { goal } : {}),
      fn: () => {
        const events = new lib.MarketSimulator({ seed: 1, ...options }).events();
        let acc = 0;
        let k = 0;
        for (let r = events.next(); r.done !== true && k < m; r = events.next(), k++) acc += bareEvent(r.value);
        consume(acc);
      },
    });
    out.push(
      simCase('MarketSimulator zero-intelligence (L3 book, book every event)', {}, {
        text: '>= 1,000,000 events/s with a book every event',
        check: (r) => r.eventsPerSec >= 1e6,
      }),
    );
    out.push(simCase('MarketSimulator reduced-form (dP = lambda OFI + noise)', { model: 'reduced-form' }));
    out.push(simCase('MarketSimulator zero-intelligence, no snapshots', { snapshotEvery: 'none' }));
  } else {
    out.push({
      name: 'bare loop (read every field of the input rows)',
      baseline: true,
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += bareRow(data.rows[i]);
        consume(acc);
      },
    });
  }
  out.push({
    name: 'syntheticSession (demo generator: L2, book every row; events = rows)',
    events: n,
    fn: () => {
      let acc = 0;
      for (const r of lib.syntheticSession({ seed: 1, events: n, depth: 10 })) acc += bareRow(r);
      consume(acc);
    },
  });
  return out;
}
