/**
 * Double exponential moving average (Mulloy): 2·EMA(x) − EMA(EMA(x)), with TA-Lib's seeding:
 * each EMA is seeded with the SMA of its first `period` inputs, so the first value is at bar
 * 2·(period − 1).
 * @see https://ta-lib.org/functions/ (DEMA; src/ta_func/ta_DEMA.c)
 */
import { callerOutput } from './output-series.js';
import { EmaCascade, cascadeSeed } from './ema-cascade.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'dema';

/**
 * DEMA over `close`; NaN for the first 2·(period − 1) bars. Period 2..100000, as TA-Lib.
 * Writes into `out` when given.
 */
export function dema(close: Float64Array, period = 30, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(close.length) : callerOutput(NAME, close.length, 0, out, [close]);
  return demaLoop(close, period, o);
}

function demaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  const first = 2 * (period - 1);
  out.fill(NaN, 0, Math.min(first, n));
  if (n <= first) return out;
  // Both EMAs in one pass, in locals: no intermediate column to allocate (fresh pages cost more
  // than the arithmetic), and the same operations as the stream's EmaState, bit for bit.
  const seed = cascadeSeed(close, period, 2);
  const k = 2 / (period + 1);
  let e1 = seed[0]!;
  let e2 = seed[1]!;
  out[first] = 2.0 * e1 - e2;
  for (let i = first + 1; i < n; i++) {
    e1 = (close[i]! - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    out[i] = 2.0 * e1 - e2;
  }
  return out;
}

/** Streaming {@link dema}. */
export class DemaStream implements Streaming<number, number> {
  readonly warmup: number;
  private n = 0;
  private readonly chain: EmaCascade;

  constructor(period = 30) {
    checkPeriod(NAME, 'period', period, 2);
    this.warmup = 2 * (period - 1);
    this.chain = new EmaCascade(period, 2);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.chain.save();
    this.n++;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.chain.restore();
    return this.step(close);
  }

  private step(x: number): number {
    if (!this.chain.step(x)) return NaN;
    const l = this.chain.levels;
    return 2.0 * l[0]! - l[1]!;
  }
}
