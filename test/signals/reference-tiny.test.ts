/**
 * All 200 rows of the tiny LOBSTER slice against the independent reference
 * (../shared/data/reference/GOOG_10_tiny200.json): sums over rows and the spot rows, 1e-9 relative.
 */
import { describe, expect, it } from 'vitest';
import { mid } from '../../src/signals/mid.js';
import { microprice } from '../../src/signals/microprice.js';
import { MultiLevelOfi } from '../../src/signals/multi-level-ofi.js';
import { obi } from '../../src/signals/obi.js';
import { Ofi } from '../../src/signals/ofi.js';
import { spread } from '../../src/signals/spread.js';
import { WeightedObi } from '../../src/signals/weighted-obi.js';
import { hasSharedData, loadReference, relClose, skipReason, tinyDay } from '../support/shared-data.js';
import { readLobsterBooks } from './books.js';

const TOL = 1e-9;

function close(actual: number, expected: number, what: string): void {
  if (!relClose(actual, expected, TOL)) expect.fail(`${what}: ${actual} vs reference ${expected}`);
}

describe.skipIf(!hasSharedData)(`signals on the 200-row LOBSTER slice vs the reference ${skipReason}`, () => {
  it('matches the reference sums of spread, mid, microprice, obi_l1, dwobi, sum_e and multi_level_sum_e', () => {
    const ref = loadReference(tinyDay.reference);
    const books = readLobsterBooks(tinyDay.orderbook);
    expect(books).toHaveLength(ref.counts.rows);
    expect(ref.book.rows_invalid).toBe(0);

    const dwobi = new WeightedObi();
    const ofi = new Ofi();
    const ml = new MultiLevelOfi({ levels: 10 });
    const sums = { bid: 0, ask: 0, spread: 0, mid: 0, microprice: 0, obi: 0, dwobi: 0, e: 0, absE: 0, nonzero: 0 };
    const levelSums = new Array<number>(10).fill(0);
    for (const book of books) {
      sums.bid += book.bidPx[0]!;
      sums.ask += book.askPx[0]!;
      sums.spread += spread(book);
      sums.mid += mid(book);
      sums.microprice += microprice(book);
      sums.obi += obi(book);
      sums.dwobi += dwobi.update(book);
      const e = ofi.update(book);
      sums.e += e;
      sums.absE += Math.abs(e);
      if (e !== 0) sums.nonzero++;
      ml.update(book);
      for (let m = 0; m < 10; m++) levelSums[m]! += ml.values[m]!;
    }
    close(sums.bid, ref.book.best_bid.sum, 'best_bid');
    close(sums.ask, ref.book.best_ask.sum, 'best_ask');
    close(sums.spread, ref.book.spread.sum, 'spread');
    close(sums.mid, ref.book.mid.sum, 'mid');
    close(sums.microprice, ref.book.microprice.sum, 'microprice');
    close(sums.obi, ref.book.obi_l1.sum, 'obi_l1');
    close(sums.dwobi, ref.book.dwobi.sum, 'dwobi');
    // sizes are integers: the OFI sums are exact
    expect(sums.e).toBe(ref.ofi.sum_e);
    expect(sums.absE).toBe(ref.ofi.sum_abs_e);
    expect(sums.nonzero).toBe(ref.ofi.nonzero_e);
    expect(levelSums).toEqual(ref.ofi.multi_level_sum_e);
    expect(levelSums[0]).toBe(ref.ofi.sum_e);
  });

  it('matches the reference spot rows value by value', () => {
    const ref = loadReference(tinyDay.reference);
    const books = readLobsterBooks(tinyDay.orderbook);
    const dwobi = new WeightedObi();
    const ofi = new Ofi();
    const e = books.map((b) => ofi.update(b));
    for (const s of ref.spot_rows as Array<Record<string, number>>) {
      const book = books[s.row!]!;
      const at = `row ${s.row}`;
      close(spread(book), s.spread!, `${at} spread`);
      close(mid(book), s.mid!, `${at} mid`);
      close(microprice(book), s.microprice!, `${at} microprice`);
      close(obi(book), s.obi_l1!, `${at} obi_l1`);
      close(dwobi.update(book), s.dwobi!, `${at} dwobi`);
      expect(e[s.row!], `${at} e_n`).toBe(s.e_n);
    }
  });
});
