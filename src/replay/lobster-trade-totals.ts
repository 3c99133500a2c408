import { ParseError } from '../core/errors.js';
import { LineReader } from './byte-stream.js';
import { CsvByteParser } from './csv-byte-parser.js';
import { PARSE_ERROR_REASONS } from './errors.js';

/** What {@link lobsterTradeTotals} returns. */
export interface LobsterTradeTotals {
  /** Executions (types 4 and 5). */
  trades: number;
  /** Their total size: the day's traded volume. */
  volume: number;
  /** Time bars holding at least one execution. */
  bars: number;
  /**
   * Sample standard deviation (ddof = 1) of the bar-to-bar changes of the last execution price, in
   * dollars: the sigma of bulk volume classification. The first bar's change is from the day's first
   * execution price. NaN below two bars.
   */
  barSigma: number;
}

/**
 * A first pass over a LOBSTER message file (plain or gzip) for what a one-pass stream cannot know in
 * advance: the day's traded volume (VPIN's bucket size, Easley, Lopez de Prado & O'Hara 2012: daily
 * volume / 50) and the standard deviation of time-bar price changes behind bulk volume classification.
 * Reads only the message file, fields by bytes; a malformed line throws a `ParseError`.
 *
 * @param barMs bar length, ms (bars aligned to multiples of it since midnight). @defaultValue 60000
 */
export async function lobsterTradeTotals(messageFile: string, barMs = 60_000): Promise<LobsterTradeTotals> {
  const reader = new LineReader(messageFile);
  const p = new CsvByteParser();
  const s = reader.splitter;
  let trades = 0;
  let volume = 0;
  let bar = NaN;
  let close = NaN;
  let prevClose = NaN;
  let bars = 0;
  // Welford over the bar changes
  let n = 0;
  let mean = 0;
  let m2 = 0;
  const closeBar = () => {
    const d = close - prevClose;
    n++;
    const delta = d - mean;
    mean += delta / n;
    m2 += delta * (d - mean);
    prevClose = close;
    bars++;
  };
  try {
    while (reader.nextSync() || (await reader.nextAsync())) {
      p.reset(s.buf, s.start, s.end);
      const ts = p.number(3);
      const type = p.int();
      if (type !== 4 && type !== 5) continue;
      p.skip();
      const size = p.int();
      const price = p.int() / 10_000;
      if (p.errorKind !== null || !(ts === ts) || !(size === size) || !(price === price)) {
        throw new ParseError(PARSE_ERROR_REASONS[p.errorKind ?? 'badNumber'], { source: messageFile, line: s.line, column: p.errorColumn, text: p.lineText() });
      }
      trades++;
      volume += size;
      const b = Math.floor(ts / barMs);
      if (b !== bar) {
        if (bar === bar) closeBar();
        else prevClose = price;
        bar = b;
      }
      close = price;
    }
  } finally {
    await reader.close();
  }
  if (bar === bar) closeBar();
  return { trades, volume, bars, barSigma: n >= 2 ? Math.sqrt(m2 / (n - 1)) : NaN };
}
