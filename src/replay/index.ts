/**
 * File sources (Node only): LOBSTER message + order-book files, wide and long L2 snapshot CSVs, trades
 * CSVs; plain or gzip, streamed in constant memory; and the byte-level line and field parsers they share.
 *
 * @module
 */
export * from './byte-stream.js';
export * from './csv-byte-parser.js';
export {
  type CsvColumn,
  CsvSource,
  type CsvSourceOptions,
  type CsvStats,
  DEFAULT_CSV_SOURCE_OPTIONS,
  TS_UNIT_SCALE,
  type TsUnit,
} from './csv-source.js';
export { type ErrorPolicy, LineParseError, PARSE_ERROR_REASONS, type ParseErrorKind, SourceMismatchError } from './errors.js';
export * from './l2-csv.js';
export * from './l2-long-csv.js';
export * from './line-splitter.js';
export * from './lobster.js';
export * from './lobster-trade-totals.js';
export * from './trades-csv.js';
