/**
 * The operator contract every analytic follows.
 *
 * - `update(input)`: consume one event, return the current value. Scalar operators return a `number`
 *   (`NaN` until warmed up) so the hot path stays monomorphic and allocates nothing.
 * - `reset()`: back to the freshly constructed state.
 * - `snapshot()` / `restore(state)`: the state as plain JSON data with a `version`, so a stream can be
 *   checkpointed and resumed, across processes and machines, with identical outputs.
 *
 * @module
 */
import { InvalidStateError } from './errors.js';

/** The plain-JSON state of an operator. `type` names the operator, `version` its state layout. */
export interface OperatorState {
  readonly type: string;
  readonly version: number;
}

/** The contract of a streaming operator. */
export interface Operator<In, Out, State extends OperatorState = OperatorState> {
  /** Consume one input and return the current value. */
  update(input: In): Out;
  /** Back to the freshly constructed state (options kept). */
  reset(): void;
  /** The state as plain JSON data. */
  snapshot(): State;
  /** Continue from a state returned by `snapshot()` of an operator with the same options. */
  restore(state: State): void;
}

/** Feed every input to `operator` in order and collect the outputs (a batch helper that only loops `update`). */
export function runBatch<In, Out>(operator: Pick<Operator<In, Out>, 'update'>, inputs: Iterable<In>): Out[] {
  const out: Out[] = [];
  for (const input of inputs) out.push(operator.update(input));
  return out;
}

/**
 * Check that `state` is an object of the given type and version; throws {@link InvalidStateError}.
 * Operators call it first thing in `restore`.
 */
export function checkState(state: unknown, type: string, version: number): asserts state is OperatorState {
  if (state === null || typeof state !== 'object') {
    throw new InvalidStateError(type, `expected a state object, got ${state === null ? 'null' : typeof state}`);
  }
  const s = state as { type?: unknown; version?: unknown };
  if (s.type !== type) throw new InvalidStateError(type, `state is of type ${JSON.stringify(s.type)}, not ${JSON.stringify(type)}`);
  if (s.version !== version) {
    throw new InvalidStateError(type, `state version ${JSON.stringify(s.version)} is not supported (expected ${version})`);
  }
}

/**
 * Encode a number for JSON state: JSON has no NaN, infinities or -0, so they travel as strings.
 * {@link decodeNumber} reverses it.
 */
export function encodeNumber(x: number): number | string {
  if (Object.is(x, -0)) return '-0';
  return Number.isFinite(x) ? x : String(x);
}

/** Reverse of {@link encodeNumber}. */
export function decodeNumber(x: number | string): number {
  return typeof x === 'number' ? x : Number(x);
}

/** Encode a typed array (or number list) for JSON state, NaN-safe. */
export function encodeNumbers(xs: ArrayLike<number>): Array<number | string> {
  const out: Array<number | string> = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = encodeNumber(xs[i] as number);
  return out;
}

/** Decode a list produced by {@link encodeNumbers} into `target` (which must be at least as long). */
export function decodeNumbersInto(xs: ReadonlyArray<number | string>, target: Float64Array): Float64Array {
  for (let i = 0; i < xs.length; i++) target[i] = decodeNumber(xs[i] as number | string);
  return target;
}
