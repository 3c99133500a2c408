// Trade analytics (src/trades): each trade operator alone and all of them together, on the input's
// trades, each trade with the quote it met (the book before it, as TAQ-style trades-with-quotes carry
// it). Against a bare loop reading every field of the same trades (ts, price, size, side, quote ts,
// bid, ask). Each pass starts from reset(): the operators are time-based and must see time move forward.
import { eachEvent } from '../harness.js';

export const id = 'trades';
export const title = 'trade analytics';
export const requires = [
  'TickRule',
  'QuoteRule',
  'LeeReady',
  'Emo',
  'Clnv',
  'EffectiveSpread',
  'RealizedSpread',
  'QuotedSpread',
  'Vpin',
  'KyleLambda',
  'Amihud',
  'RollSpread',
  'UnusualSize',
  'RapidTrading',
];

/** Every trade operator of src/trades with the report's settings (VPIN: the day's volume / 50, BVC). */
export function makeTradeOperators(lib, data) {
  const dailyVolume = data.tradeVolume > 0 ? data.tradeVolume : 1;
  return {
    tick: new lib.TickRule(),
    quote: new lib.QuoteRule(),
    leeReady: new lib.LeeReady(),
    emo: new lib.Emo(),
    clnv: new lib.Clnv(),
    effective: new lib.EffectiveSpread(),
    realized: new lib.RealizedSpread({ horizonMs: 5000 }),
    quoted: new lib.QuotedSpread(),
    vpin: new lib.Vpin({ dailyVolume, bucketsPerDay: 50, window: 50 }),
    kyle: new lib.KyleLambda(),
    amihud: new lib.Amihud(),
    roll: new lib.RollSpread(),
    unusualSize: new lib.UnusualSize(),
    rapid: new lib.RapidTrading(),
  };
}

/** One step of all trade operators together; returns a number so the work is kept. */
export function makeAllTrades(lib, data) {
  const o = makeTradeOperators(lib, data);
  const { tick, quote, leeReady, emo, clnv, effective, realized, quoted, vpin, kyle, amihud, roll, unusualSize, rapid } = o;
  const step = (tr) => {
    const t = tr.trade;
    const qt = tr.quoteTs;
    const bid = tr.bid;
    const ask = tr.ask;
    quote.onQuote(qt, bid, ask);
    leeReady.onQuote(qt, bid, ask);
    emo.onQuote(qt, bid, ask);
    clnv.onQuote(qt, bid, ask);
    effective.onQuote(qt, bid, ask);
    realized.onQuote(qt, bid, ask);
    kyle.onQuote(qt, bid, ask);
    let acc = quoted.onQuote(qt, bid, ask);
    acc += tick.update(t) + quote.update(t) + leeReady.update(t) + emo.update(t) + clnv.update(t);
    acc += effective.update(t) + realized.update(t) + vpin.update(t) + kyle.update(t) + amihud.update(t) + roll.update(t);
    if (unusualSize.update(t) !== null) acc += 1;
    if (rapid.update(t) !== null) acc += 1;
    return acc;
  };
  step.reset = () => {
    for (const k in o) o[k].reset();
  };
  return step;
}

export function bareTrade(tr) {
  const t = tr.trade;
  return t.ts + t.price + t.size + t.side + tr.quoteTs + tr.bid + tr.ask;
}

export function cases({ lib, data }) {
  const { trades } = data;
  const n = trades.length;
  const perTrade = (name, step, extra = {}) => ({
    name,
    events: n,
    ...extra,
    fn: eachEvent(trades, step, step.reset),
  });
  const op = (make, body) => {
    const o = make();
    const step = (tr) => body(o, tr);
    step.reset = () => o.reset();
    return step;
  };
  const withQuote = (make) =>
    op(make, (o, tr) => {
      o.onQuote(tr.quoteTs, tr.bid, tr.ask);
      return o.update(tr.trade);
    });
  const signal = (make) => op(make, (o, tr) => (o.update(tr.trade) === null ? 0 : 1));
  const dailyVolume = data.tradeVolume > 0 ? data.tradeVolume : 1;
  return [
    { ...perTrade('bare loop (read every field of trade + quote)', bareTrade), baseline: true },
    perTrade('TickRule', op(() => new lib.TickRule(), (o, tr) => o.update(tr.trade))),
    perTrade('QuoteRule (+ onQuote)', withQuote(() => new lib.QuoteRule())),
    perTrade('LeeReady (+ onQuote)', withQuote(() => new lib.LeeReady())),
    perTrade('LeeReady, 5 s quote lag (+ onQuote)', withQuote(() => new lib.LeeReady({ quoteLagMs: 5000 }))),
    perTrade('Emo (+ onQuote)', withQuote(() => new lib.Emo())),
    perTrade('Clnv (+ onQuote)', withQuote(() => new lib.Clnv())),
    perTrade('EffectiveSpread (+ onQuote)', withQuote(() => new lib.EffectiveSpread())),
    perTrade('RealizedSpread 5 s (+ onQuote)', withQuote(() => new lib.RealizedSpread({ horizonMs: 5000 }))),
    perTrade('QuotedSpread (time-weighted, per quote)', op(() => new lib.QuotedSpread(), (o, tr) => o.onQuote(tr.quoteTs, tr.bid, tr.ask))),
    perTrade('Vpin (BVC, 1-min bars, day volume / 50)', op(() => new lib.Vpin({ dailyVolume }), (o, tr) => o.update(tr.trade))),
    perTrade('Vpin (true sides)', op(() => new lib.Vpin({ dailyVolume, classification: 'given' }), (o, tr) => o.update(tr.trade))),
    perTrade('KyleLambda 5-min (+ onQuote)', withQuote(() => new lib.KyleLambda())),
    perTrade('Amihud 5-min', op(() => new lib.Amihud(), (o, tr) => o.update(tr.trade))),
    perTrade('RollSpread', op(() => new lib.RollSpread(), (o, tr) => o.update(tr.trade))),
    perTrade('UnusualSize', signal(() => new lib.UnusualSize())),
    perTrade('RapidTrading', signal(() => new lib.RapidTrading())),
    perTrade('all trade operators together (14, quotes included)', makeAllTrades(lib, data), {
      goal: { text: '>= 5,000,000 trades/s', check: (r) => r.eventsPerSec >= 5e6 },
    }),
  ];
}
