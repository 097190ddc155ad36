/**
 * MACD with TA-Lib's alignment: the slow EMA is seeded on closes [0, slow−1]; the fast EMA is
 * seeded on closes [slow−fast, slow−1] (not from bar 0), so both start at bar slow−1; the
 * signal is an EMA of the MACD line seeded on its first `signal` values. All three outputs
 * start at bar (slow−1)+(signal−1), 33 for 12/26/9. Fast and slow are swapped if given reversed.
 * @see https://ta-lib.org/functions/ (MACD; src/ta_func/ta_MACD.c)
 */
import { EmaState, emaInto } from './ema.js';
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkPeriod, checkSeries, checkValue, rejectValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'macd';

/** MACD line, its signal line and the histogram (macd − signal). */
export interface Macd {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

function periods(fast: number, slow: number, signal: number): [number, number, number] {
  checkPeriod(NAME, 'fast', fast, 2);
  checkPeriod(NAME, 'slow', slow, 2);
  checkPeriod(NAME, 'signal', signal, 1);
  return slow < fast ? [slow, fast, signal] : [fast, slow, signal];
}

/**
 * MACD over `close`; NaN for the first (slow−1)+(signal−1) bars. Writes into the three arrays of
 * `out` when given (and returns `out`).
 */
export function macd(close: Float64Array, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9, out?: Macd): Macd {
  close = seriesInput(NAME, 'close', close);
  const [fast, slow, sig] = periods(fastPeriod, slowPeriod, signalPeriod);
  const n = close.length;
  const start = slow - 1 + sig - 1;
  if (out === undefined) {
    return macdLoop(close, fast, slow, sig, { macd: outputSeries(n, start), signal: outputSeries(n, start), histogram: outputSeries(n, start) });
  }
  const lines = {
    macd: outputSeries(n, start, out, NAME, 'macd'),
    signal: outputSeries(n, start, out, NAME, 'signal'),
    histogram: outputSeries(n, start, out, NAME, 'histogram'),
  };
  checkOutputsApart(NAME, [lines.macd, lines.signal, lines.histogram], [close]);
  macdLoop(close, fast, slow, sig, lines);
  return out;
}

/** The loops, in their own function: see sma.ts on why the caller's `out` is not merged in here. */
function macdLoop(close: Float64Array, fast: number, slow: number, sig: number, lines: Macd): Macd {
  const n = close.length;
  const start = slow - 1 + sig - 1;
  const { macd: macdOut, signal, histogram } = lines;
  if (n <= start) {
    checkSeries(NAME, 'close', close);
    return lines;
  }
  // The outputs double as scratch (macdOut: fast EMA, then the line; histogram: slow EMA): two
  // fewer n-sized temporaries, whose fresh pages cost more than the arithmetic. Same operations.
  // The slow EMA reads every close from bar 0, so it checks them as it goes (emaInto inlined).
  const line = macdOut;
  const ks = 2 / (slow + 1);
  let sum = 0;
  for (let i = 0; i < slow; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    sum += x;
  }
  let prev = sum / slow;
  histogram[slow - 1] = prev;
  for (let i = slow; i < n; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    prev = (x - prev) * ks + prev;
    histogram[i] = prev;
  }
  emaInto(close, slow - fast, fast, 2 / (fast + 1), line);
  for (let i = slow - 1; i < n; i++) line[i] = line[i]! - histogram[i]!;
  emaInto(line, slow - 1, sig, 2 / (sig + 1), signal);
  for (let i = slow - 1; i < start; i++) {
    line[i] = NaN;
    histogram[i] = NaN;
  }
  for (let i = start; i < n; i++) histogram[i] = line[i]! - signal[i]!;
  return lines;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

/** Streaming {@link macd}. */
export class MacdStream implements Streaming<number, MacdValue> {
  readonly warmup: number;
  private readonly skip: number;
  private readonly lineFrom: number;
  private n = 0;
  private pN = 0;
  private readonly fast: EmaState;
  private readonly slow: EmaState;
  private readonly sig: EmaState;
  private readonly pFast: EmaState;
  private readonly pSlow: EmaState;
  private readonly pSig: EmaState;
  private readonly out: MacdValue = { macd: NaN, signal: NaN, histogram: NaN };

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    const [fast, slow, sig] = periods(fastPeriod, slowPeriod, signalPeriod);
    this.skip = slow - fast;
    this.lineFrom = slow - 1;
    this.warmup = slow - 1 + sig - 1;
    this.fast = new EmaState(fast);
    this.slow = new EmaState(slow);
    this.sig = new EmaState(sig);
    this.pFast = new EmaState(fast);
    this.pSlow = new EmaState(slow);
    this.pSig = new EmaState(sig);
  }

  update(close: number): MacdValue {
    checkValue(NAME, 'close', close, this.n);
    this.pN = this.n;
    this.pFast.copyFrom(this.fast);
    this.pSlow.copyFrom(this.slow);
    this.pSig.copyFrom(this.sig);
    return this.step(close);
  }

  replace(close: number): MacdValue {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n = this.pN;
    this.fast.copyFrom(this.pFast);
    this.slow.copyFrom(this.pSlow);
    this.sig.copyFrom(this.pSig);
    return this.step(close);
  }

  private step(x: number): MacdValue {
    const n = this.n++;
    const o = this.out;
    const s = this.slow.next(x);
    const f = n >= this.skip ? this.fast.next(x) : NaN;
    if (n < this.lineFrom) {
      o.macd = o.signal = o.histogram = NaN;
      return o;
    }
    const m = f - s;
    const sg = this.sig.next(m);
    if (n < this.warmup) {
      o.macd = o.signal = o.histogram = NaN;
      return o;
    }
    o.macd = m;
    o.signal = sg;
    o.histogram = m - sg;
    return o;
  }
}
