// Book signals, one case per signal and the signal set together, against a bare loop that reads every
// field of every snapshot (ts, both level counts, all 4 x depth numbers).
import { eachEvent } from '../harness.js';

export const id = 'book';
export const title = 'book signals';
export const requires = ['spread', 'mid', 'microprice', 'obi', 'WeightedObi', 'Ofi', 'BookValidator', 'Ewma'];

/** Reads ts, both level counts and every element of the four arrays. */
export function bareRead(b) {
  let acc = b.ts + b.bidLevels + b.askLevels;
  const bidPx = b.bidPx;
  const bidSz = b.bidSz;
  const askPx = b.askPx;
  const askSz = b.askSz;
  const n = bidPx.length;
  for (let i = 0; i < n; i++) acc += bidPx[i] + bidSz[i] + askPx[i] + askSz[i];
  return acc;
}

/** The signal set of the issue (and of the numpy peer): spread, mid, microprice, OBI, weighted OBI (10 levels), OFI. */
export function makeSignals(lib) {
  const { spread, mid, microprice, obi } = lib;
  const wobi = new lib.WeightedObi({ levels: 10 });
  const ofi = new lib.Ofi();
  const step = (b) => spread(b) + mid(b) + microprice(b) + obi(b) + wobi.update(b) + ofi.update(b);
  step.reset = () => ofi.reset();
  return step;
}

/**
 * A book pipeline: validate (default options, so the stale check is on) + spread + mid + microprice +
 * OBI + weighted OBI (10 levels) + OFI + EWMA of the spread, plus `extra(b)` when given.
 * @param {any} lib
 * @param {((b: any) => number) | null} extra
 */
function makePipeline(lib, extra) {
  const { spread, mid, microprice, obi } = lib;
  const validator = new lib.BookValidator();
  const wobi = new lib.WeightedObi({ levels: 10 });
  const ofi = new lib.Ofi();
  const ewma = new lib.Ewma({ halfLife: 1000 });
  const core = (b) => {
    const issues = validator.validate(b);
    const s = spread(b);
    return issues + s + mid(b) + microprice(b) + obi(b) + wobi.update(b) + ofi.update(b) + ewma.update(s);
  };
  const step = extra === null ? core : (b) => core(b) + extra(b);
  step.reset = () => {
    validator.reset();
    ofi.reset();
    ewma.reset();
  };
  return step;
}

/** The foundation issue's benchmark, exactly: validate + the six signals + EWMA of the spread. */
export function makeIssuePipeline(lib) {
  return makePipeline(lib, null);
}

/** The issue's pipeline + spreadBps + cumulative depth of both sides: what a book goes through in the engine. */
export function makeBookPipeline(lib) {
  const { spreadBps, cumulativeDepth } = lib;
  return makePipeline(lib, (b) => spreadBps(b) + cumulativeDepth(b, 'bid', 10) + cumulativeDepth(b, 'ask', 10));
}

/** A case that calls `f(book)` for every book; `reset` (if any) runs at the start of each pass. */
function perBook(name, books, f, extra = {}) {
  const n = books.length;
  const reset = f.reset;
  return {
    name,
    events: n,
    ...extra,
    fn: eachEvent(books, f, reset),
  };
}

export function cases({ lib, data }) {
  const { books } = data;
  const { spread, spreadBps, mid, microprice, obi, cumulativeDepth, depthWithinBps } = lib;
  const wobi = new lib.WeightedObi({ levels: 10 });
  const ofi = new lib.Ofi();
  const ofiStep = (b) => ofi.update(b);
  ofiStep.reset = () => ofi.reset();
  const out = [
    { ...perBook('bare loop (read every field)', books, bareRead), baseline: true },
    perBook('spread', books, spread),
    perBook('spreadBps', books, spreadBps, { requires: ['spreadBps'] }),
    perBook('mid', books, mid),
    perBook('microprice', books, microprice),
    perBook('obi (level 1)', books, obi),
    perBook('WeightedObi (10 levels)', books, (b) => wobi.update(b)),
    perBook('Ofi (level 1)', books, ofiStep),
  ];
  if (lib.MultiLevelOfi) {
    const mlofi = new lib.MultiLevelOfi({ levels: 10 });
    const f = (b) => mlofi.update(b);
    f.reset = () => mlofi.reset();
    out.push(perBook('MultiLevelOfi (10 levels)', books, f, { requires: ['MultiLevelOfi'] }));
  }
  if (cumulativeDepth) out.push(perBook('cumulativeDepth (bid + ask, 10 levels)', books, (b) => cumulativeDepth(b, 'bid', 10) + cumulativeDepth(b, 'ask', 10)));
  if (depthWithinBps) out.push(perBook('depthWithinBps (bid + ask, 10 bps)', books, (b) => depthWithinBps(b, 'bid', 10) + depthWithinBps(b, 'ask', 10)));
  const validator = new lib.BookValidator();
  const validate = (b) => validator.validate(b);
  validate.reset = () => validator.reset();
  out.push(perBook('BookValidator.validate', books, validate));
  out.push(
    perBook('book signals: spread+mid+microprice+OBI+wOBI(10)+OFI', books, makeSignals(lib)),
    perBook('validate+spread+mid+microprice+OBI+wOBI(10)+OFI+EWMA(spread)', books, makeIssuePipeline(lib), {
      requires: ['Ewma'],
      goal: { text: '>= 0.6x the bare loop', check: (r) => r.ratioToBaseline >= 0.6 },
    }),
  );
  out.push(perBook('pipeline: validate+signals+spreadBps+depth+EWMA', books, makeBookPipeline(lib), { requires: ['spreadBps', 'cumulativeDepth'] }));
  return out;
}
