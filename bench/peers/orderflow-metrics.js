// Peer: the npm package orderflow-metrics (a dev dependency), on the same snapshots and trades, for every
// metric it shares with us. Its functions take plain objects ({ bidPrice, bidSize, askPrice, askSize },
// { bids: Level[], asks: Level[] }, { price, mid }, ...) or arrays of them, so each metric is measured
// twice:
//   - streaming: its input objects are built per snapshot / trade inside the timed loop, as a streaming
//     user holding our BookSnapshot (or any feed) must. This is the comparison the goal is about.
//   - prebuilt: the objects are built in advance, outside the timing; only its function calls are timed.
// Where it only has a batch function over a whole array (tickRule, leeReady, rollSpread), a streaming user
// who wants the current value after every trade would have to re-run it over the growing array; we time
// the cheapest streaming use instead (push each input, one batch call at the end), a LOWER bound of its
// streaming cost: such entries say so in `note`. Where its value changes only per bucket (VPIN, Kyle's
// lambda, Amihud), the streaming user keeps the buckets and re-runs the function at each bucket close.
// Ours always returns the current value after every event.
import { consume, runSuite } from '../harness.js';

export const id = 'orderflow-metrics';

/** Sum a number array (a peer result vector) without allocating. */
function sum(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

function quoteOf(b) {
  return { bidPrice: b.bidPx[0], bidSize: b.bidSz[0], askPrice: b.askPx[0], askSize: b.askSz[0] };
}

function snapshotOf(b, levels) {
  const bids = [];
  const asks = [];
  const nb = Math.min(levels, b.bidLevels);
  const na = Math.min(levels, b.askLevels);
  for (let i = 0; i < nb; i++) bids.push({ price: b.bidPx[i], size: b.bidSz[i] });
  for (let i = 0; i < na; i++) asks.push({ price: b.askPx[i], size: b.askSz[i] });
  return { bids, asks };
}

/**
 * The metrics: for each, `ours`, `streaming` and `prebuilt` cases over the same events.
 * @returns {Array<{ metric: string, events: number, unit: string, ours: object, streaming: object, prebuilt: object, note?: string }>}
 */
export function metrics(lib, om, data) {
  const { books, trades } = data;
  const n = books.length;
  const m = trades.length;
  const L = 10;
  const quotes = books.map(quoteOf);
  const snaps = books.map((b) => snapshotOf(b, L));
  const loop = (count, body, reset) => () => {
    if (reset) reset();
    let acc = 0;
    for (let i = 0; i < count; i++) acc += body(i);
    consume(acc);
  };
  const out = [];
  const bookMetric = (metric, oursFn, oursReset, streamingBody, prebuiltBody, streamingReset) =>
    out.push({
      metric,
      events: n,
      unit: 'snapshots',
      ours: loop(n, oursFn, oursReset),
      streaming: loop(n, streamingBody, streamingReset),
      prebuilt: loop(n, prebuiltBody),
    });

  // --- book signals, per snapshot
  const ofi = new lib.Ofi();
  let prevQ = null;
  bookMetric(
    'ofi',
    (i) => ofi.update(books[i]),
    () => ofi.reset(),
    (i) => {
      const q = quoteOf(books[i]);
      const e = prevQ === null ? 0 : om.ofiContribution(prevQ, q);
      prevQ = q;
      return e;
    },
    (i) => (i === 0 ? 0 : om.ofiContribution(quotes[i - 1], quotes[i])),
    () => {
      prevQ = null;
    },
  );
  bookMetric(
    'depthImbalance (OBI level 1)',
    (i) => lib.obi(books[i]),
    null,
    (i) => om.depthImbalance(quoteOf(books[i])),
    (i) => om.depthImbalance(quotes[i]),
  );
  bookMetric(
    'weightedMid (microprice)',
    (i) => lib.microprice(books[i]),
    null,
    (i) => om.weightedMid(quoteOf(books[i])),
    (i) => om.weightedMid(quotes[i]),
  );
  bookMetric(
    'mid',
    (i) => lib.mid(books[i]),
    null,
    (i) => om.mid(quoteOf(books[i])),
    (i) => om.mid(quotes[i]),
  );
  bookMetric(
    'relativeSpreadBps (spreadBps)',
    (i) => lib.spreadBps(books[i]),
    null,
    (i) => om.relativeSpreadBps(quoteOf(books[i])),
    (i) => om.relativeSpreadBps(quotes[i]),
  );
  bookMetric(
    'quotedSpread (spread)',
    (i) => lib.spread(books[i]),
    null,
    (i) => om.quotedSpread(books[i].bidPx[0], books[i].askPx[0]),
    (i) => om.quotedSpread(quotes[i].bidPrice, quotes[i].askPrice),
  );
  const mlofi = new lib.MultiLevelOfi({ levels: L });
  let prevS = null;
  bookMetric(
    'multiLevelOFI (10 levels, summed)',
    (i) => mlofi.update(books[i]),
    () => mlofi.reset(),
    (i) => {
      const s = snapshotOf(books[i], L);
      const e = prevS === null ? 0 : sum(om.multiLevelOFI(prevS, s, L));
      prevS = s;
      return e;
    },
    (i) => (i === 0 ? 0 : sum(om.multiLevelOFI(snaps[i - 1], snaps[i], L))),
    () => {
      prevS = null;
    },
  );

  if (m === 0) return out;
  // --- trade metrics, per trade (each trade with the quote it met)
  const mids = new Float64Array(m);
  const prices = new Float64Array(m);
  const sides = new Array(m);
  for (let j = 0; j < m; j++) {
    mids[j] = (trades[j].bid + trades[j].ask) / 2;
    prices[j] = trades[j].trade.price;
    sides[j] = trades[j].trade.side >= 0 ? 'buy' : 'sell';
  }
  const pricesArray = Array.from(prices);
  const obs = pricesArray.map((price, j) => ({ price, mid: mids[j] }));
  const tradeMetric = (metric, oursFn, oursReset, streaming, prebuilt, note) =>
    out.push({ metric, events: m, unit: 'trades', ours: loop(m, oursFn, oursReset), streaming, prebuilt, ...(note ? { note } : {}) });

  const tick = new lib.TickRule();
  tradeMetric(
    'tickRule',
    (j) => tick.classify(trades[j].trade.price),
    () => tick.reset(),
    () => {
      const ps = [];
      for (let j = 0; j < m; j++) ps.push(trades[j].trade.price);
      consume(sum(om.tickRule(ps)));
    },
    () => consume(sum(om.tickRule(pricesArray))),
    'peer: one batch call at the end (lower bound of its streaming cost)',
  );
  const lr = new lib.LeeReady();
  tradeMetric(
    'leeReady',
    (j) => {
      const tr = trades[j];
      lr.onQuote(tr.quoteTs, tr.bid, tr.ask);
      return lr.update(tr.trade);
    },
    () => lr.reset(),
    () => {
      const o = [];
      for (let j = 0; j < m; j++) {
        const tr = trades[j];
        o.push({ price: tr.trade.price, mid: (tr.bid + tr.ask) / 2 });
      }
      consume(sum(om.leeReady(o)));
    },
    () => consume(sum(om.leeReady(obs))),
    'peer: one batch call at the end (lower bound of its streaming cost)',
  );
  const es = new lib.EffectiveSpread();
  tradeMetric(
    'effectiveSpread',
    (j) => {
      const tr = trades[j];
      es.onQuote(tr.quoteTs, tr.bid, tr.ask);
      return es.update(tr.trade);
    },
    () => es.reset(),
    loop(m, (j) => {
      const tr = trades[j];
      return om.effectiveSpread(tr.trade.price, (tr.bid + tr.ask) / 2, tr.trade.side >= 0 ? 'buy' : 'sell');
    }),
    loop(m, (j) => om.effectiveSpread(prices[j], mids[j], sides[j])),
    'ours in bps of the mid (one more division), the peer in price units',
  );
  // realized spread at 5 s: a trade resolves at the first later event past t + 5 s, with the mid then in force
  const tau = 5000;
  const rs = new lib.RealizedSpread({ horizonMs: tau });
  const midAfter = new Float64Array(m);
  {
    let k = 0;
    for (let j = 0; j < m; j++) {
      while (k < m && trades[k].quoteTs <= trades[j].trade.ts + tau) k++;
      // the quote in force at t + tau among the quotes seen: the last with quoteTs <= t + tau
      midAfter[j] = mids[k - 1];
    }
  }
  tradeMetric(
    'realizedSpread (5 s)',
    (j) => {
      const tr = trades[j];
      rs.onQuote(tr.quoteTs, tr.bid, tr.ask);
      return rs.update(tr.trade);
    },
    () => rs.reset(),
    () => {
      // the user's pending queue: plain objects, resolved when a later quote passes t + tau
      const pending = [];
      let head = 0;
      let lastMid = NaN;
      let acc = 0;
      for (let j = 0; j < m; j++) {
        const tr = trades[j];
        while (head < pending.length && tr.quoteTs > pending[head].ts + tau) {
          const p = pending[head++];
          acc += om.realizedSpread(p.price, lastMid, p.side);
        }
        lastMid = (tr.bid + tr.ask) / 2;
        pending.push({ ts: tr.trade.ts, price: tr.trade.price, side: tr.trade.side >= 0 ? 'buy' : 'sell' });
      }
      while (head < pending.length) {
        const p = pending[head++];
        acc += om.realizedSpread(p.price, lastMid, p.side);
      }
      consume(acc);
    },
    loop(m, (j) => om.realizedSpread(prices[j], midAfter[j], sides[j])),
    'peer streaming: a pending queue of plain objects in user code; prebuilt: mids after 5 s computed in advance',
  );
  const bucketVolume = data.tradeVolume > 0 ? data.tradeVolume / 50 : 1;
  const vpin = new lib.Vpin({ bucketVolume, window: 50 });
  const tradeObjects = trades.map((tr) => ({ price: tr.trade.price, size: tr.trade.size }));
  tradeMetric(
    'vpin (day volume / 50 per bucket, window 50)',
    (j) => vpin.update(trades[j].trade),
    () => vpin.reset(),
    () => {
      const ts = [];
      let filled = 0;
      let value = 0;
      for (let j = 0; j < m; j++) {
        const t = trades[j].trade;
        ts.push({ price: t.price, size: t.size });
        filled += t.size;
        if (filled >= bucketVolume) {
          filled -= bucketVolume * Math.floor(filled / bucketVolume);
          value = om.vpin(om.bucketByVolume(ts, bucketVolume), { window: 50 });
        }
      }
      consume(value);
    },
    () => consume(om.vpin(om.bucketByVolume(tradeObjects, bucketVolume), { window: 50 })),
    'each its own definition (ours: BVC on 1-minute bars; peer: BVC per bucket); peer streaming re-runs bucketByVolume + vpin over the trades so far at each bucket close; prebuilt: one call over trade objects built in advance',
  );
  // Kyle's lambda and Amihud on 5-minute buckets; the peer's streaming user keeps the bucket in user code
  const bucketMs = 300_000;
  const kyle = new lib.KyleLambda({ bucketMs });
  const kyleObs = [];
  const amihudObs = [];
  {
    let bucket = NaN;
    let sv = 0;
    let firstMid = NaN;
    let prevEnd = NaN;
    let lastMid = NaN;
    let firstPrice = NaN;
    let prevClose = NaN;
    let close = NaN;
    let dv = 0;
    const closeBucket = () => {
      kyleObs.push({ signedVolume: sv, priceChange: lastMid - (prevEnd === prevEnd ? prevEnd : firstMid) });
      prevEnd = lastMid;
      amihudObs.push({ ret: close / (prevClose === prevClose ? prevClose : firstPrice) - 1, volume: dv });
      prevClose = close;
    };
    for (let j = 0; j < m; j++) {
      const tr = trades[j];
      const k = Math.floor(tr.trade.ts / bucketMs);
      if (k !== bucket && bucket === bucket) {
        closeBucket();
        sv = 0;
        dv = 0;
      }
      bucket = k;
      const md = (tr.bid + tr.ask) / 2;
      if (md === md) {
        if (!(firstMid === firstMid)) firstMid = md;
        lastMid = md;
      }
      if (!(firstPrice === firstPrice)) firstPrice = tr.trade.price;
      close = tr.trade.price;
      sv += tr.trade.side * tr.trade.size;
      dv += tr.trade.price * tr.trade.size;
    }
    if (bucket === bucket) closeBucket();
  }
  tradeMetric(
    "kyleLambda (5-min buckets)",
    (j) => {
      const tr = trades[j];
      kyle.onQuote(tr.quoteTs, tr.bid, tr.ask);
      return kyle.update(tr.trade);
    },
    () => kyle.reset(),
    () => {
      const o = [];
      let bucket = NaN;
      let sv = 0;
      let firstMid = NaN;
      let prevEnd = NaN;
      let lastMid = NaN;
      let value = 0;
      for (let j = 0; j < m; j++) {
        const tr = trades[j];
        const k = Math.floor(tr.trade.ts / bucketMs);
        if (k !== bucket && bucket === bucket) {
          o.push({ signedVolume: sv, priceChange: lastMid - (prevEnd === prevEnd ? prevEnd : firstMid) });
          prevEnd = lastMid;
          sv = 0;
          value = om.kyleLambda(o);
        }
        bucket = k;
        const md = (tr.bid + tr.ask) / 2;
        if (md === md) {
          if (!(firstMid === firstMid)) firstMid = md;
          lastMid = md;
        }
        sv += tr.trade.side * tr.trade.size;
      }
      consume(value);
    },
    () => consume(om.kyleLambda(kyleObs)),
    'peer streaming: buckets kept in user code, kyleLambda re-run at each bucket close; prebuilt: the bucket observations built in advance (the bucketing untimed), one call',
  );
  const amihud = new lib.Amihud({ bucketMs });
  tradeMetric(
    'amihudIlliquidity (5-min buckets)',
    (j) => amihud.update(trades[j].trade),
    () => amihud.reset(),
    () => {
      const o = [];
      let bucket = NaN;
      let firstPrice = NaN;
      let prevClose = NaN;
      let close = NaN;
      let dv = 0;
      let value = 0;
      for (let j = 0; j < m; j++) {
        const t = trades[j].trade;
        const k = Math.floor(t.ts / bucketMs);
        if (k !== bucket && bucket === bucket) {
          o.push({ ret: close / (prevClose === prevClose ? prevClose : firstPrice) - 1, volume: dv });
          prevClose = close;
          dv = 0;
          value = om.amihudIlliquidity(o);
        }
        bucket = k;
        if (!(firstPrice === firstPrice)) firstPrice = t.price;
        close = t.price;
        dv += t.price * t.size;
      }
      consume(value);
    },
    () => consume(om.amihudIlliquidity(amihudObs)),
    'peer streaming: buckets kept in user code, amihudIlliquidity re-run at each bucket close; prebuilt: the bucket observations built in advance (the bucketing untimed), one call',
  );
  const roll = new lib.RollSpread();
  tradeMetric(
    'rollSpread',
    (j) => roll.update(trades[j].trade),
    () => roll.reset(),
    () => {
      const ps = [];
      for (let j = 0; j < m; j++) ps.push(trades[j].trade.price);
      consume(om.rollSpread(ps));
    },
    () => consume(om.rollSpread(pricesArray)),
    'peer: one batch call at the end (lower bound of its streaming cost)',
  );
  return out;
}

/** Run every metric (ours, peer streaming, peer prebuilt) and return peer entries. */
export function run({ lib, om, data, timing, log, skipped }) {
  const list = metrics(lib, om, data);
  const cases = [];
  for (const x of list) {
    cases.push({ name: `ours:${x.metric}`, events: x.events, fn: x.ours });
    cases.push({ name: `streaming:${x.metric}`, events: x.events, fn: x.streaming });
    cases.push({ name: `prebuilt:${x.metric}`, events: x.events, fn: x.prebuilt });
  }
  const raw = runSuite('peers: orderflow-metrics', cases, timing, { lib, log, skipped });
  const rate = new Map(raw.map((r) => [r.name, r]));
  const out = [];
  for (const x of list) {
    const ours = rate.get(`ours:${x.metric}`);
    for (const mode of ['streaming', 'prebuilt']) {
      const peer = rate.get(`${mode}:${x.metric}`);
      const e = {
        suite: 'peers',
        name: `orderflow-metrics:${x.metric} (${mode === 'streaming' ? 'its objects built per event' : 'its objects built in advance'})`,
        peer: 'orderflow-metrics',
        metric: x.metric,
        mode,
        unit: x.unit,
        eventsPerSec: ours.eventsPerSec,
        peerEventsPerSec: peer.eventsPerSec,
        ratioOursToPeer: ours.eventsPerSec / peer.eventsPerSec,
        rme: ours.rme,
        peerRme: peer.rme,
      };
      if (x.note) e.note = x.note;
      if (mode === 'streaming') {
        e.goal = 'faster than the peer on the same stream (ours / peer > 1)';
        e.goalMet = e.ratioOursToPeer > 1;
      }
      out.push(e);
    }
  }
  return out;
}
