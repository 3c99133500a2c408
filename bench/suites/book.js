// Book signals: the per-snapshot pipeline of the foundation issue against a bare loop that reads every
// field of every snapshot.
import { BookValidator, Ewma, microprice, mid, obi, Ofi, spread, WeightedObi } from '../../dist/index.js';
import { consume } from '../harness.js';

/** validate + spread + mid + microprice + OBI + weighted OBI (10 levels) + OFI + EWMA of spread. */
export function makeBookPipeline() {
  const validator = new BookValidator();
  const wobi = new WeightedObi({ levels: 10 });
  const ofi = new Ofi();
  const ewma = new Ewma({ halfLife: 1000 });
  return (b) => {
    let acc = validator.validate(b);
    const s = spread(b);
    acc += s + mid(b) + microprice(b) + obi(b) + wobi.update(b) + ofi.update(b) + ewma.update(s);
    return acc;
  };
}

/** Reads ts, both level counts and every element of the four arrays. */
export function bareRead(b) {
  let acc = b.ts + b.bidLevels + b.askLevels;
  const n = b.bidPx.length;
  for (let i = 0; i < n; i++) acc += b.bidPx[i] + b.bidSz[i] + b.askPx[i] + b.askSz[i];
  return acc;
}

export function cases({ rows }) {
  const books = rows.map((r) => r.book);
  const n = books.length;
  const pipeline = makeBookPipeline();
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
      name: 'validate+spread+mid+microprice+OBI+wOBI(10)+OFI+EWMA',
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += pipeline(books[i]);
        consume(acc);
      },
    },
  ];
}
