/**
 * Error classes. Every error the library throws is a {@link MicrostructureError} with a stable,
 * literal `code` (safe to switch on) and fields naming what went wrong and where.
 *
 * @module
 */

/** Stable error codes. Adding a code is a minor change; renaming one is breaking. */
export type ErrorCode =
  | 'INVALID_OPTION'
  | 'PARSE_ERROR'
  | 'INVALID_STATE'
  | 'INVALID_INPUT'
  | 'SOURCE_MISMATCH';

/** Base class of every error thrown by `microstructure`. */
export class MicrostructureError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MicrostructureError';
    this.code = code;
  }
}

/** Quote a value for an error message: strings in quotes, numbers as written (NaN, -0, Infinity kept). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** An option passed to a constructor or function is out of its documented domain. */
export class InvalidOptionError extends MicrostructureError {
  /** The option's name, e.g. `halfLifeMs`. */
  readonly option: string;
  /** The offending value, as given. */
  readonly value: unknown;
  /** What the option accepts, in words, e.g. `a finite number > 0`. */
  readonly expected: string;

  constructor(option: string, value: unknown, expected: string) {
    super('INVALID_OPTION', `option "${option}" must be ${expected}; got ${describeValue(value)}`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

/** Where in a source a {@link ParseError} happened. */
export interface ParseErrorLocation {
  /** File path or another name of the source (e.g. `"<stdin>"`). */
  source: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column (field) number, when one field is at fault. */
  column?: number;
  /** Name of the field at fault, e.g. `"price"`. */
  field?: string;
  /** The offending text (the field, or the whole line), truncated to 200 characters. */
  text: string;
}

/** A record of a file or stream could not be parsed. */
export class ParseError extends MicrostructureError {
  readonly source: string;
  readonly line: number;
  readonly column: number | undefined;
  readonly field: string | undefined;
  readonly text: string;
  /** Short reason, e.g. `"not a number"`. */
  readonly reason: string;

  constructor(reason: string, where: ParseErrorLocation) {
    const text = where.text.length > 200 ? `${where.text.slice(0, 197)}...` : where.text;
    const col = where.column === undefined ? '' : `:${where.column}`;
    const field = where.field === undefined ? '' : ` (field "${where.field}")`;
    super('PARSE_ERROR', `${where.source}:${where.line}${col}${field}: ${reason}: ${JSON.stringify(text)}`);
    this.name = 'ParseError';
    this.source = where.source;
    this.line = where.line;
    this.column = where.column;
    this.field = where.field;
    this.text = text;
    this.reason = reason;
  }
}

/** A state passed to `restore()` does not belong to this operator or this version. */
export class InvalidStateError extends MicrostructureError {
  /** The operator's name, e.g. `"Ewma"`. */
  readonly operator: string;

  constructor(operator: string, detail: string) {
    super('INVALID_STATE', `${operator}.restore: ${detail}`);
    this.name = 'InvalidStateError';
    this.operator = operator;
  }
}

/** An argument passed at call time (not an option) is invalid, e.g. books of different depth. */
export class InvalidInputError extends MicrostructureError {
  /** The argument or field at fault. */
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, expected: string) {
    super('INVALID_INPUT', `"${field}" must be ${expected}; got ${describeValue(value)}`);
    this.name = 'InvalidInputError';
    this.field = field;
    this.value = value;
  }
}
