/**
 * Output columns of batch indicators. A fresh zero-filled 8 MB Float64Array costs more than the
 * SMA that fills it (the allocator clears, or the kernel faults in, every page), so batch forms
 * that write every index themselves take uninitialised memory instead, or the caller's own
 * buffer (`out`) when it reuses one across calls.
 */
import { Buffer } from 'node:buffer';
import { IndicatorInputError } from './indicator-error.js';

/**
 * A Float64Array of `n` whose first `warmup` values are NaN and whose other values are
 * UNINITIALISED (or, with `out`, whatever the caller left there): the indicator must write every
 * index from `warmup` to `n − 1` before returning it. `warmup` is clamped to `n`.
 *
 * With `out` (the caller's reusable buffer) that buffer is checked and returned instead of a new
 * one; `key` picks the field of a multi-output `out` object (`out.signal`…). A missing field, a
 * non-Float64Array or a wrong length throws {@link IndicatorInputError} naming `indicator` and the
 * parameter `out`.
 */
export function outputSeries(n: number, warmup: number, out?: unknown, indicator = 'indicator', key?: string): Float64Array {
  if (out === undefined) {
    // allocUnsafeSlow: its own ArrayBuffer (never the shared small-buffer pool), so offset 0 and
    // nothing else aliases it.
    const bytes = Buffer.allocUnsafeSlow(n * 8);
    return new Float64Array(bytes.buffer, bytes.byteOffset, n).fill(NaN, 0, Math.min(warmup, n));
  }
  const s = key === undefined ? out : field(out, key, indicator);
  const what = key === undefined ? 'out' : `out.${key}`;
  if (!(s instanceof Float64Array)) throw new IndicatorInputError(indicator, `${what} must be a Float64Array, got ${describe(s)}`, { param: 'out' });
  if (s.length !== n) throw new IndicatorInputError(indicator, `${what} has ${s.length} values, the input has ${n}`, { param: 'out' });
  return s.fill(NaN, 0, Math.min(warmup, n));
}

function field(out: unknown, key: string, indicator: string): unknown {
  if (typeof out !== 'object' || out === null) {
    throw new IndicatorInputError(indicator, `out must be an object of Float64Arrays, got ${describe(out)}`, { param: 'out' });
  }
  if (!(key in out)) throw new IndicatorInputError(indicator, `out has no "${key}"`, { param: 'out' });
  return Reflect.get(out, key);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return v.constructor.name;
}

/**
 * Rejects caller buffers that overlap each other or an input column: the indicators read inputs
 * after writing outputs (and MACD uses its outputs as scratch), so shared memory would corrupt
 * the result. Only needed when the caller passed `out`.
 */
export function checkOutputsApart(indicator: string, outputs: readonly Float64Array[], inputs: readonly (Float64Array | undefined)[]): void {
  for (let i = 0; i < outputs.length; i++) {
    const a = outputs[i]!;
    for (let j = i + 1; j < outputs.length; j++) {
      if (overlap(a, outputs[j]!)) throw new IndicatorInputError(indicator, 'out fields must not share memory with each other', { param: 'out' });
    }
    for (const b of inputs) {
      if (b !== undefined && overlap(a, b)) throw new IndicatorInputError(indicator, 'out must not share memory with an input column', { param: 'out' });
    }
  }
}

function overlap(a: Float64Array, b: Float64Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * The caller's `out` checked (see {@link outputSeries}, NaN over `warmup`) and apart from
 * `inputs`: for batch forms that allocate their own way when `out` is absent.
 */
export function callerOutput(indicator: string, n: number, warmup: number, out: Float64Array, inputs: readonly (Float64Array | undefined)[]): Float64Array {
  const s = outputSeries(n, warmup, out, indicator);
  checkOutputsApart(indicator, [s], inputs);
  return s;
}

/** For batch forms that write only some indices: `out` (checked) or a fresh series, all NaN either way. */
export function nanOutput(indicator: string, n: number, out: Float64Array | undefined, inputs: readonly (Float64Array | undefined)[]): Float64Array {
  return out === undefined ? new Float64Array(n).fill(NaN) : callerOutput(indicator, n, n, out, inputs);
}

/** Multi-output {@link nanOutput}: field `key` of the caller's `out` (checked), or a fresh series; all NaN. */
export function nanOutputField(indicator: string, n: number, out: object | undefined, key: string): Float64Array {
  return out === undefined ? new Float64Array(n).fill(NaN) : outputSeries(n, n, out, indicator, key);
}
