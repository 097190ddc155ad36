/**
 * Rate of change in percent: 100·(close / close[i−period] − 1); 0 where the old close is 0, as TA-Lib.
 * @see https://ta-lib.org/functions/ (ROC; src/ta_func/ta_ROC.c)
 */
import { nanOutput } from './output-series.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'roc';

/** ROC over `close`; NaN for the first `period` bars. Period 1..100000. Writes into `out` when given. */
export function roc(close: Float64Array, period = 10, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return rocLoop(close, period, nanOutput(NAME, close.length, out, [close]));
}

function rocLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 1);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  for (let i = period; i < n; i++) {
    const old = close[i - period]!;
    out[i] = old !== 0 ? (close[i]! / old - 1) * 100 : 0;
  }
  return out;
}

/** Streaming {@link roc}. */
export class RocStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly ring: Float64Array;
  private n = 0;

  constructor(period = 10) {
    checkPeriod(NAME, 'period', period, 1);
    this.period = period;
    this.warmup = period;
    this.ring = new Float64Array(period + 1);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n--;
    return this.step(close);
  }

  private step(x: number): number {
    const p = this.period;
    const n = this.n++;
    // period+1 slots: bar n and bar n−period never share one.
    this.ring[n % (p + 1)] = x;
    if (n < p) return NaN;
    const old = this.ring[(n + 1) % (p + 1)]!;
    return old !== 0 ? (x / old - 1) * 100 : 0;
  }
}
