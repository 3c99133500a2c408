/**
 * Errors and error-policy helpers shared by the file sources.
 *
 * A malformed line is a {@link ParseError} (code `PARSE_ERROR`) naming the file, the 1-based line, the
 * 1-based column, the field and the offending text. Under `onError: 'skip'` the source skips the line
 * instead and counts it by {@link ParseErrorKind} in `stats().skippedByKind`; nothing is dropped
 * uncounted. Structural problems (files of different lengths, an empty file, a truncated gzip, a header
 * that cannot be read, a line longer than the line limit) always throw, whatever the policy.
 *
 * @module
 */
import { MicrostructureError, ParseError } from '../core/errors.js';

/**
 * A LOBSTER message file and its order-book file disagree in row count: one of them has a row with no
 * partner in the other. Always thrown (also under `onError: 'skip'`), when the shorter file ends.
 */
export class SourceMismatchError extends MicrostructureError {
  /** The two files that should pair up, message file first. */
  readonly files: readonly [string, string];
  /** The file holding the first row without a partner. */
  readonly file: string;
  /** The file that ended early. */
  readonly endedFile: string;
  /** 0-based index of the first row without a partner. */
  readonly row: number;
  /** 1-based line number of that row in {@link file}. */
  readonly line: number;

  constructor(files: readonly [string, string], file: string, row: number, line: number) {
    const endedFile = file === files[0] ? files[1] : files[0];
    super(
      'SOURCE_MISMATCH',
      `${endedFile} ends after ${row} ${row === 1 ? 'row' : 'rows'} but ${file} goes on: its row ${row} (line ${line}) has no partner ` +
        `(message file ${files[0]}, order-book file ${files[1]})`,
    );
    this.name = 'SourceMismatchError';
    this.files = files;
    this.file = file;
    this.endedFile = endedFile;
    this.row = row;
    this.line = line;
  }
}

/**
 * Why a line was rejected; the keys of `stats().skippedByKind` under `onError: 'skip'`.
 *
 * - `badNumber`: a numeric field that is not a number (`12x`, `abc`, `1.2.3`).
 * - `notInteger`: an integer field holding a fraction (`5.5`).
 * - `outOfRange`: a number beyond the safe integer range, or not finite.
 * - `emptyField`: a required field is empty.
 * - `missingField` / `extraField`: fewer or more fields than the layout has.
 * - `badType`: a LOBSTER message type outside 1..7.
 * - `badDirection`: a LOBSTER direction other than 1 or -1.
 * - `levelGap`: a book level present after an empty level of the same side.
 * - `badSide`: a side token that is not one of the accepted spellings.
 * - `badLevel`: a level number (long L2 layout) that is not an integer >= 1.
 * - `duplicateLevel`: the same side and level twice in one snapshot (long L2 layout).
 */
export type ParseErrorKind =
  | 'badNumber'
  | 'notInteger'
  | 'outOfRange'
  | 'emptyField'
  | 'missingField'
  | 'extraField'
  | 'badType'
  | 'badDirection'
  | 'levelGap'
  | 'badSide'
  | 'badLevel'
  | 'duplicateLevel';

/** The reason text a {@link ParseError} carries for each {@link ParseErrorKind}. */
export const PARSE_ERROR_REASONS: Readonly<Record<ParseErrorKind, string>> = Object.freeze({
  badNumber: 'not a number',
  notInteger: 'not an integer',
  outOfRange: 'number out of range',
  emptyField: 'empty field',
  missingField: 'too few fields',
  extraField: 'too many fields',
  badType: 'unknown message type (expected 1..7)',
  badDirection: 'direction must be 1 or -1',
  levelGap: 'level present after an empty level',
  badSide: 'unknown side',
  badLevel: 'level must be an integer >= 1',
  duplicateLevel: 'same side and level twice in one snapshot',
});

/** What a source does with a malformed line: throw a {@link ParseError}, or skip and count it. */
export type ErrorPolicy = 'throw' | 'skip';

/** Counts of skipped lines by kind (a source's `stats().skippedByKind`). */
export class SkipCounter {
  /** Total skipped. */
  total = 0;
  private readonly counts: Record<string, number> = {};

  /** Count one skip of `kind`. */
  add(kind: ParseErrorKind): void {
    this.total++;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  /** A copy of the counts by kind. */
  byKind(): Record<string, number> {
    return { ...this.counts };
  }

  reset(): void {
    this.total = 0;
    for (const key of Object.keys(this.counts)) delete this.counts[key];
  }
}

/**
 * A {@link ParseError} for one rejected line of a file source, with the {@link ParseErrorKind} it is
 * counted under when skipped. `instanceof ParseError` holds; `name` stays `"ParseError"`.
 */
export class LineParseError extends ParseError {
  /** Why the line was rejected (the key of `stats().skippedByKind` under `onError: 'skip'`). */
  readonly kind: ParseErrorKind;

  constructor(
    kind: ParseErrorKind,
    source: string,
    line: number,
    column: number,
    field: string | undefined,
    text: string,
    detail = '',
  ) {
    const reason = detail === '' ? PARSE_ERROR_REASONS[kind] : `${PARSE_ERROR_REASONS[kind]} (${detail})`;
    super(reason, field === undefined ? { source, line, column, text } : { source, line, column, field, text });
    this.kind = kind;
  }
}
