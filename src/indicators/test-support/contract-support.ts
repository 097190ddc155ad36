/** Types and assertions of the indicator contract (../indicator.contract.ts). */
import assert from 'node:assert/strict';
import { IndicatorInputError } from '../indicator-error.js';
import type { Bar, Bars, SeriesRecord, Streaming, ValueRecord } from '../types.js';
import type { RealBars } from './real-bars.js';

/** A Float64Array, or an object whose fields are Float64Arrays (an interface is fine). */
export type BatchOutput = Float64Array | object;
/** A number, or an object whose fields are numbers. */
export type StreamOutput = number | object;

interface CommonSpec<O extends BatchOutput> {
  /** The indicator's name as it appears in its error messages (matched case-insensitively). */
  name: string;
  batch: (bars: Bars) => O;
  /**
   * The batch form given the optional `out` buffer, same parameters as `batch`; omit if the
   * indicator has none. Method syntax on purpose: specs of any output type fit ContractSpec.
   */
  into?(bars: Bars, out: O): O;
  /** Leading NaN bars of the output; per output key when they differ (the stream declares the largest). */
  warmup: number | Record<string, number>;
  /** Relative tolerance of batch vs streaming; 0 (the default) means bitwise equal. Say why if not 0. */
  tolerance?: number;
  /** Thunks calling the indicator with out-of-range parameters: each must throw IndicatorInputError. */
  badParams?: Array<() => unknown>;
  /** Extra columns the indicator reads and validates (volume, open, openTime). */
  needs?: { volume?: boolean; open?: boolean; openTime?: boolean };
  /** Columns the indicator reads, each of which must reject NaN and negative values (default: close, or close/high/low [+ volume] for bars). */
  columns?: Array<'close' | 'high' | 'low' | 'volume' | 'open'>;
  /** Override the datasets (defaults to realDatasets()). */
  datasets?: RealBars[];
}

export interface CloseContractSpec<O extends BatchOutput = BatchOutput> extends CommonSpec<O> {
  input: 'close';
  stream: () => Streaming<number, StreamOutput>;
}

export interface BarsContractSpec<O extends BatchOutput = BatchOutput> extends CommonSpec<O> {
  input: 'bars';
  stream: () => Streaming<Bar, StreamOutput>;
}

export type ContractSpec<O extends BatchOutput = BatchOutput> = CloseContractSpec<O> | BarsContractSpec<O>;

export function asRecord(out: BatchOutput): SeriesRecord {
  if (out instanceof Float64Array) return { value: out };
  const rec: SeriesRecord = {};
  for (const [k, v] of Object.entries(out)) {
    assert.ok(v instanceof Float64Array, `batch output "${k}" is not a Float64Array`);
    rec[k] = v;
  }
  return rec;
}

export function copyOut(out: StreamOutput): ValueRecord {
  if (typeof out === 'number') return { value: out };
  const rec: ValueRecord = {};
  for (const [k, v] of Object.entries(out)) {
    assert.ok(typeof v === 'number', `stream output "${k}" is not a number`);
    rec[k] = v;
  }
  return rec;
}

export function same(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return tol > 0 && Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

export function barAt(b: Bars, i: number, scale = 1, volScale = 1): Bar {
  const bar: Bar = { high: b.high[i]! * scale, low: b.low[i]! * scale, close: b.close[i]! * scale };
  if (b.open !== undefined) bar.open = b.open[i]! * scale;
  if (b.volume !== undefined) bar.volume = b.volume[i]! * volScale;
  if (b.openTime !== undefined) bar.openTime = b.openTime[i]!;
  return bar;
}

export function sliceBars(b: Bars, end: number): Bars {
  const s: Bars = { high: b.high.subarray(0, end), low: b.low.subarray(0, end), close: b.close.subarray(0, end) };
  if (b.open !== undefined) s.open = b.open.subarray(0, end);
  if (b.volume !== undefined) s.volume = b.volume.subarray(0, end);
  if (b.openTime !== undefined) s.openTime = b.openTime.subarray(0, end);
  return s;
}

export function cloneBars(b: Bars): Bars {
  const s: Bars = { high: b.high.slice(), low: b.low.slice(), close: b.close.slice() };
  if (b.open !== undefined) s.open = b.open.slice();
  if (b.volume !== undefined) s.volume = b.volume.slice();
  if (b.openTime !== undefined) s.openTime = b.openTime.slice();
  return s;
}

/** Feeds one bar through `update` or `replace`, hiding whether the stream takes closes or bars. */
export function feeder(spec: ContractSpec): {
  make: () => (op: 'update' | 'replace', bars: Bars, i: number, scale?: number, volScale?: number) => ValueRecord;
} {
  return {
    make: () => {
      if (spec.input === 'close') {
        const s = spec.stream();
        return (op, bars, i, scale = 1) => copyOut(s[op](bars.close[i]! * scale));
      }
      const s = spec.stream();
      return (op, bars, i, scale = 1, volScale = 1) => copyOut(s[op](barAt(bars, i, scale, volScale)));
    },
  };
}

export function warmupOf(spec: ContractSpec, key: string): number {
  if (typeof spec.warmup === 'number') return spec.warmup;
  const w = spec.warmup[key];
  assert.ok(w !== undefined, `${spec.name}: no declared warm-up for output "${key}"`);
  return w;
}

export function maxWarmup(spec: ContractSpec): number {
  return typeof spec.warmup === 'number' ? spec.warmup : Math.max(...Object.values(spec.warmup));
}

export function assertStreamMatches(spec: ContractSpec, expected: SeriesRecord, got: ValueRecord, i: number, how: string): void {
  const tol = spec.tolerance ?? 0;
  for (const key of Object.keys(expected)) {
    const e = expected[key]![i]!;
    const g = got[key];
    assert.ok(g !== undefined, `${spec.name}: stream output has no "${key}"`);
    if (!same(e, g, tol)) assert.fail(`${spec.name} ${how}: bar ${i} "${key}" stream ${g} != batch ${e}`);
  }
}

export function assertThrowsAt(spec: ContractSpec, fn: () => unknown, index: number | undefined, what: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof IndicatorInputError, `${spec.name} ${what}: threw ${String(err)}, not IndicatorInputError`);
    assert.ok(err.message.toLowerCase().includes(spec.name.toLowerCase()), `${spec.name} ${what}: message "${err.message}" does not name the indicator`);
    if (index !== undefined) assert.equal(err.index, index, `${spec.name} ${what}: error does not name bar ${index}`);
    return true;
  }, `${spec.name} ${what}: did not throw`);
}

/** Values no indicator produces, so a field the batch forgets to write shows up. */
const GARBAGE = [123456.789, -0, Infinity, -1e300, 0.5, NaN];

export function fillGarbage(rec: SeriesRecord): void {
  for (const s of Object.values(rec)) for (let i = 0; i < s.length; i++) s[i] = GARBAGE[i % GARBAGE.length]!;
}

export function assertSameSeries(name: string, got: SeriesRecord, expected: SeriesRecord, how: string): void {
  for (const [key, e] of Object.entries(expected)) {
    const g = got[key];
    assert.ok(g !== undefined, `${name} ${how}: no "${key}"`);
    assert.equal(g.length, e.length);
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(g[i], e[i])) assert.fail(`${name} ${how}: bar ${i} "${key}" ${g[i]} != allocating batch ${e[i]}`);
    }
  }
}

export function assertOutRejected(spec: ContractSpec, fn: () => unknown, what: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof IndicatorInputError, `${spec.name} ${what}: threw ${String(err)}, not IndicatorInputError`);
    assert.ok(err.message.toLowerCase().includes(spec.name.toLowerCase()), `${spec.name} ${what}: message "${err.message}" does not name the indicator`);
    assert.equal(err.param, 'out', `${spec.name} ${what}: error names ${err.param}, not out`);
    return true;
  }, `${spec.name} ${what}: did not throw`);
}
