/**
 * Runs TA-Lib (the `talib` npm addon, TA-Lib C 0.6.0 built from source) for parity tests and
 * returns its outputs aligned to the input: NaN before TA-Lib's begIndex.
 * @see https://ta-lib.org/functions/
 */
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}

const require = createRequire(import.meta.url);
const addon: unknown = require('talib');

function execute(params: Record<string, unknown>): TalibResult {
  assert.ok(typeof addon === 'object' && addon !== null && 'execute' in addon && typeof addon.execute === 'function');
  const r: unknown = addon.execute(params);
  assert.ok(typeof r === 'object' && r !== null && 'begIndex' in r && 'nbElement' in r && 'result' in r, `talib ${String(params.name)}: ${JSON.stringify(r)}`);
  const { begIndex, nbElement, result } = r;
  assert.ok(typeof begIndex === 'number' && typeof nbElement === 'number' && typeof result === 'object' && result !== null);
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(result)) {
    assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'number'), `talib ${String(params.name)}: output ${k}`);
    out[k] = v;
  }
  return { begIndex, nbElement, result: out };
}

/**
 * Calls TA-Lib function `name` on the whole input (startIdx 0) and returns each output
 * (outReal, outMACD, …) as a Float64Array of the input's length.
 */
export function talib(name: string, inputs: Record<string, Float64Array>, options: Record<string, number> = {}): Record<string, Float64Array> {
  const first = Object.values(inputs)[0];
  assert.ok(first !== undefined);
  const n = first.length;
  const params: Record<string, unknown> = { name, startIdx: 0, endIdx: n - 1, ...options };
  for (const [k, v] of Object.entries(inputs)) params[k] = Array.from(v);
  const r = execute(params);
  const out: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(r.result)) {
    const a = new Float64Array(n).fill(NaN);
    for (let i = 0; i < r.nbElement; i++) a[r.begIndex + i] = v[i]!;
    out[k] = a;
  }
  return out;
}

/** Asserts same NaN positions and values within `rel` relative error (absolute near zero). */
export function assertParity(label: string, ours: Float64Array, theirs: Float64Array, rel = 1e-9): void {
  assert.equal(ours.length, theirs.length, `${label}: length`);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      assert.ok(Number.isNaN(a) && Number.isNaN(b), `${label}: bar ${i} ours ${a}, TA-Lib ${b}`);
      continue;
    }
    const err = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
    if (err > worst) worst = err;
    if (err > rel) assert.fail(`${label}: bar ${i} ours ${a}, TA-Lib ${b} (relative error ${err})`);
  }
}
