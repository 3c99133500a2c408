/**
 * The operator contract, as one reusable property test (after trading-signals' testIndicatorContract):
 * batch equals stream, reset equals fresh, and restore(snapshot()) through JSON on a fresh instance
 * continues with identical outputs.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Operator } from '../../src/core/operator.js';

/** Compare outputs: numbers with Object.is (NaN equals NaN), everything else deeply. */
export function sameOutputs(a: unknown[], b: unknown[]): void {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) {
        expect.fail(`output ${i}: ${y} !== ${x}`);
      }
    } else {
      expect(y).toEqual(x);
    }
  }
}

/**
 * Registers property tests of the operator contract.
 * @param make builds a fresh operator (same options every call)
 * @param inputs arbitrary of input sequences; `call` feeds one input (default: `op.update(input)`)
 */
export function testOperatorContract<In, Op extends Operator<any, any, any>>(
  name: string,
  make: () => Op,
  inputs: fc.Arbitrary<In[]>,
  call: (op: Op, input: In) => unknown = (op, input) => op.update(input),
  numRuns = 100,
): void {
  const feed = (op: Op, xs: In[]): unknown[] => xs.map((x) => {
    const out = call(op, x);
    return out !== null && typeof out === 'object' ? structuredClone(out) : out;
  });

  it(`${name}: reset() gives the same outputs as a fresh instance`, () => {
    fc.assert(
      fc.property(inputs, inputs, (warm, xs) => {
        const used = make();
        feed(used, warm);
        used.reset();
        sameOutputs(feed(make(), xs), feed(used, xs));
      }),
      { numRuns },
    );
  });

  it(`${name}: restore(snapshot()) through JSON continues identically`, () => {
    fc.assert(
      fc.property(inputs, inputs, (head, tail) => {
        const original = make();
        feed(original, head);
        const state = JSON.parse(JSON.stringify(original.snapshot()));
        const resumed = make();
        resumed.restore(state);
        sameOutputs(feed(original, tail), feed(resumed, tail));
        expect(JSON.parse(JSON.stringify(resumed.snapshot()))).toEqual(JSON.parse(JSON.stringify(original.snapshot())));
      }),
      { numRuns },
    );
  });
}
