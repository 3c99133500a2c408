import { describe, expect, it } from 'vitest';
import { DETECTOR_KINDS, DetectorSet } from '../../src/detectors/detector-set.js';
import { lobsterEvents } from '../../src/replay/lobster.js';
import type { Signal } from '../../src/trades/signal.js';
import { devDay, hasSharedData, skipReason } from '../support/shared-data.js';

describe.skipIf(!hasSharedData)(`the detectors on the dev day (GOOG 2012-06-21, LOBSTER) ${skipReason}`, () => {
  it('run the whole day without quarantining a clean event, and report alerts per hour per detector', async () => {
    const set = new DetectorSet();
    const alerts: Signal[] = [];
    let first = NaN;
    let last = NaN;
    for await (const e of lobsterEvents(devDay.message)) {
      const ts = e.type === 'book' ? e.book.ts : e.type === 'trade' ? e.trade.ts : e.order.ts;
      if (first !== first) first = ts;
      last = ts;
      for (const s of set.update(e)) alerts.push(s);
    }
    const stats = set.stats();
    // 147 916 rows: an order event and a book each, and a trade for each of the 11 678 executions
    expect(stats.events).toEqual({ order: 147_916, book: 147_916, trade: 11_678 });
    expect(stats.quarantined).toEqual({ book: 0, trade: 0, order: 0 });
    const hours = (last - first) / 3_600_000;
    expect(hours).toBeCloseTo(6.5, 2);
    const perHour: Record<string, number> = {};
    for (const kind of DETECTOR_KINDS) perHour[kind] = alerts.filter((a) => a.kind === kind).length / hours;
    // the data's README: the book is never crossed or locked and no value is bad
    expect(perHour.crossedMarket).toBe(0);
    expect(perHour.badData).toBe(0);
    // every alert lies in the session, in time order
    for (let i = 0; i < alerts.length; i++) {
      expect(alerts[i]!.ts).toBeGreaterThanOrEqual(first);
      expect(alerts[i]!.ts).toBeLessThanOrEqual(last);
      if (i > 0) expect(alerts[i]!.ts).toBeGreaterThanOrEqual(alerts[i - 1]!.ts);
    }
    const total = alerts.length / hours;
    // the record for docs/detectors.md (the goal is <= 2 per hour together; see there for why not)
    console.log(`dev day alerts per hour: ${JSON.stringify(Object.fromEntries(Object.entries(perHour).map(([k, v]) => [k, Number(v.toFixed(2))])))}; together ${total.toFixed(2)}`);
    expect(total).toBeCloseTo(Object.values(perHour).reduce((a, b) => a + b, 0), 9);
  });
});
