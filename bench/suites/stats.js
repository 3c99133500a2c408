// Streaming statistics (src/stats) on numbers taken from the books: the mid (x), its time (ts), the
// level-1 OBI (a second series), all in Float64Arrays, against a bare loop that reads the same numbers.
import { consume } from '../harness.js';

export const id = 'stats';
export const title = 'stats';
export const requires = ['Ewma', 'ZScore', 'RollingStats', 'StreamingOls', 'normalCdf', 'normalQuantile'];

/** The series the cases read, built once. */
function series(data) {
  const n = data.books.length;
  const x = new Float64Array(n);
  const ts = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = data.books[i];
    x[i] = (b.bidPx[0] + b.askPx[0]) / 2;
    ts[i] = b.ts;
    const s = b.bidSz[0] + b.askSz[0];
    y[i] = s > 0 ? (b.bidSz[0] - b.askSz[0]) / s : 0;
    z[i] = 4 * y[i]; // in [-4, 4]
    p[i] = (i % 9973) / 9973 + 0.5 / 9973; // in (0, 1)
  }
  return { n, x, ts, y, z, p };
}

export function cases({ lib, data }) {
  const { n, x, ts, y, z, p } = series(data);
  const c = (name, make, body, extra = {}) => {
    // make() builds the operator once; body(op, i) processes event i. Each pass starts from reset(), the
    // fresh state (time-based operators must not see their clock run backwards on the next pass).
    let op = null;
    return {
      name,
      events: n,
      ...extra,
      fn: () => {
        if (op === null) op = make();
        else if (op.reset) op.reset();
        let acc = 0;
        for (let i = 0; i < n; i++) acc += body(op, i);
        consume(acc);
      },
    };
  };
  return [
    {
      name: 'bare loop (read x, ts, y)',
      baseline: true,
      events: n,
      fn: () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += x[i] + ts[i] + y[i];
        consume(acc);
      },
    },
    c('Ewma (halfLife 1000 events)', () => new lib.Ewma({ halfLife: 1000 }), (o, i) => o.update(x[i])),
    c('Ewma (halfLifeMs 1000, by time)', () => new lib.Ewma({ halfLifeMs: 1000 }), (o, i) => o.update(x[i], ts[i])),
    c('ZScore (EWMA baseline, halfLife 1000)', () => new lib.ZScore({ halfLife: 1000 }), (o, i) => o.update(x[i])),
    c('ZScore (rolling window 1000)', () => new lib.ZScore({ window: 1000 }), (o, i) => o.update(x[i])),
    c('RollingStats (window 1000)', () => new lib.RollingStats({ window: 1000 }), (o, i) => o.update(x[i])),
    c('TimeRollingStats (windowMs 10000)', () => new lib.TimeRollingStats({ windowMs: 10_000 }), (o, i) => o.update(x[i], ts[i]), {
      requires: ['TimeRollingStats'],
    }),
    c('StreamingOls (expanding)', () => new lib.StreamingOls(), (o, i) => o.update(y[i], x[i])),
    c('StreamingOls (window 1000)', () => new lib.StreamingOls({ window: 1000 }), (o, i) => o.update(y[i], x[i])),
    c('Summary', () => new lib.Summary(), (o, i) => o.update(x[i]), { requires: ['Summary'] }),
    c(
      'BucketRegression (10 s buckets: flow + level)',
      () => new lib.BucketRegression({ bucketMs: 10_000 }),
      (o, i) => {
        o.flow(ts[i], y[i]);
        o.level(ts[i], x[i]);
        return 0;
      },
      { requires: ['BucketRegression'] },
    ),
    c('HawkesIntensity (one event per book)', () => new lib.HawkesIntensity({ mu: 1, alpha: 0.5, beta: 1 }), (o, i) => o.update(ts[i]), {
      requires: ['HawkesIntensity'],
    }),
    c('normalCdf', () => null, (_o, i) => lib.normalCdf(z[i])),
    c('normalQuantile', () => null, (_o, i) => lib.normalQuantile(p[i])),
  ];
}
