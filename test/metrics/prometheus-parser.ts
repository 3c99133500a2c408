/**
 * A strict parser of the Prometheus text exposition format, version 0.0.4, for tests
 * (prometheus.io/docs/instrumenting/exposition_formats, "Text format details"). Stricter than
 * Prometheus itself where the spec says "must" or "should":
 * - the text ends with a line feed; lines are `# HELP`, `# TYPE`, other `#` comments, blank, or samples;
 * - metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*` and do not
 *   start with `__`; a label appears once per sample; label values are double-quoted with only the
 *   escapes `\\`, `\"` and `\n`; HELP text has only `\\` and `\n`;
 * - values are Go floats (`NaN`, `+Inf`, `-Inf`, decimal or exponent form); timestamps are integers;
 * - at most one HELP and one TYPE per name, both before the family's first sample; TYPE is one of
 *   counter, gauge, histogram, summary, untyped;
 * - all lines of a family form one group; no series (name and label set) repeats;
 * - summaries: `x{quantile="q"}` with q in [0, 1], `x_sum` and `x_count` without quantile;
 *   histograms: `x_bucket{le=...}` with a `+Inf` bucket, `x_sum`, `x_count`; counters are >= 0 or NaN.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | undefined;
  samples: Sample[];
}

export class ExpositionError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!FLOAT.test(text)) throw new ExpositionError(line, `not a float: ${JSON.stringify(text)}`);
  return Number(text);
}

function unescape(text: string, allowed: string, line: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = text[++i];
    if (n === undefined || !allowed.includes(n)) throw new ExpositionError(line, `bad escape \\${n ?? ''}`);
    out += n === 'n' ? '\n' : n;
  }
  return out;
}

/** Parse `text`; throws {@link ExpositionError} at the first violation. Families in order of appearance. */
export function parseExposition(text: string): Family[] {
  if (text !== '' && !text.endsWith('\n')) throw new ExpositionError(0, 'the last line must end with a line feed');
  const lines = text.split('\n');
  lines.pop(); // after the final line feed
  const families = new Map<string, Family>();
  const typeOf = new Map<string, Family['type']>();
  const helpOf = new Map<string, string>();
  const closed = new Set<string>();
  const seen = new Set<string>();
  let current: string | null = null;

  const familyOf = (name: string): string => {
    for (const [suffix, types] of [
      ['_sum', ['summary', 'histogram']],
      ['_count', ['summary', 'histogram']],
      ['_bucket', ['histogram']],
    ] as const) {
      if (name.endsWith(suffix)) {
        const base = name.slice(0, -suffix.length);
        const t = typeOf.get(base);
        if (t !== undefined && (types as readonly string[]).includes(t)) return base;
      }
    }
    return name;
  };
  const enter = (family: string, line: number): void => {
    if (family === current) return;
    if (closed.has(family)) throw new ExpositionError(line, `lines of ${family} are not one group`);
    if (current !== null) closed.add(current);
    current = family;
  };
  const familyRecord = (name: string): Family => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, type: typeOf.get(name) ?? 'untyped', help: helpOf.get(name), samples: [] };
      families.set(name, f);
    }
    return f;
  };

  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(trimmed);
      if (m === null) return; // a comment
      const [, keyword, name, rest] = m as unknown as [string, string, string, string | undefined];
      if (!METRIC_NAME.test(name)) throw new ExpositionError(line, `bad metric name ${JSON.stringify(name)}`);
      enter(name, line);
      const f = families.get(name);
      if (f !== undefined && f.samples.length > 0) throw new ExpositionError(line, `${keyword} of ${name} after its samples`);
      if (keyword === 'HELP') {
        if (helpOf.has(name)) throw new ExpositionError(line, `second HELP for ${name}`);
        helpOf.set(name, unescape(rest ?? '', '\\n', line));
        if (f !== undefined) f.help = helpOf.get(name);
      } else {
        if (typeOf.has(name)) throw new ExpositionError(line, `second TYPE for ${name}`);
        if (rest === undefined || !TYPES.has(rest)) throw new ExpositionError(line, `bad TYPE ${JSON.stringify(rest)} for ${name}`);
        typeOf.set(name, rest as Family['type']);
        if (f !== undefined) f.type = rest as Family['type'];
      }
      familyRecord(name);
      return;
    }
    // A sample: name [{labels}] value [timestamp]
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(trimmed);
    if (nm === null) throw new ExpositionError(line, `bad metric name at ${JSON.stringify(trimmed.slice(0, 20))}`);
    const name = nm[0];
    let i = name.length;
    const labels: Record<string, string> = {};
    if (trimmed[i] === '{') {
      i++;
      for (;;) {
        while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
        if (trimmed[i] === '}') {
          i++;
          break;
        }
        const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(trimmed.slice(i));
        if (ln === null) throw new ExpositionError(line, `bad label name at column ${i + 1}`);
        const label = ln[0];
        if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new ExpositionError(line, `reserved label name ${label}`);
        if (label in labels) throw new ExpositionError(line, `label ${label} twice`);
        i += label.length;
        while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
        if (trimmed[i] !== '=') throw new ExpositionError(line, `expected = after ${label}`);
        i++;
        while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
        if (trimmed[i] !== '"') throw new ExpositionError(line, `expected " to open the value of ${label}`);
        i++;
        let j = i;
        while (j < trimmed.length && trimmed[j] !== '"') j += trimmed[j] === '\\' ? 2 : 1;
        if (j >= trimmed.length) throw new ExpositionError(line, `unterminated value of ${label}`);
        labels[label] = unescape(trimmed.slice(i, j), '\\"n', line);
        i = j + 1;
        while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
        if (trimmed[i] === ',') i++;
        else if (trimmed[i] !== '}') throw new ExpositionError(line, `expected , or } after the value of ${label}`);
      }
    }
    if (trimmed[i] !== ' ' && trimmed[i] !== '\t') throw new ExpositionError(line, 'expected whitespace before the value');
    const tokens = trimmed.slice(i).trim().split(/[ \t]+/);
    if (tokens.length < 1 || tokens.length > 2) throw new ExpositionError(line, `expected a value and an optional timestamp, got ${JSON.stringify(tokens)}`);
    const value = parseValue(tokens[0]!, line);
    const sample: Sample = { name, labels, value };
    if (tokens.length === 2) {
      if (!/^-?\d+$/.test(tokens[1]!)) throw new ExpositionError(line, `bad timestamp ${JSON.stringify(tokens[1])}`);
      sample.timestamp = Number(tokens[1]);
    }
    const family = familyOf(name);
    enter(family, line);
    const f = familyRecord(family);
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(series)) throw new ExpositionError(line, `series ${series} twice`);
    seen.add(series);
    if (f.type === 'counter' && !(value >= 0) && value === value) throw new ExpositionError(line, `counter ${name} is negative`);
    if (f.type === 'summary') {
      if (name === family) {
        if (!('quantile' in labels)) throw new ExpositionError(line, `summary sample ${name} without a quantile label`);
        const q = parseValue(labels.quantile!, line);
        if (!(q >= 0 && q <= 1)) throw new ExpositionError(line, `quantile ${labels.quantile} outside [0, 1]`);
      } else if ('quantile' in labels) throw new ExpositionError(line, `${name} with a quantile label`);
    }
    if (f.type === 'histogram' && name === `${family}_bucket` && !('le' in labels)) throw new ExpositionError(line, `${name} without le`);
    f.samples.push(sample);
  });
  for (const f of families.values()) {
    if (f.type === 'histogram' && f.samples.length > 0 && !f.samples.some((s) => s.name === `${f.name}_bucket` && s.labels.le === '+Inf')) {
      throw new ExpositionError(0, `histogram ${f.name} without a +Inf bucket`);
    }
  }
  return [...families.values()];
}
