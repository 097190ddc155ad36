/**
 * ADXR, TA-Lib's average directional movement rating: (ADX today + ADX period−1 bars ago) / 2,
 * first at bar 3·period−2, on {@link adx}'s TA-Lib-seeded ADX.
 * @see https://ta-lib.org/functions/ (ADXR; src/ta_func/ta_ADXR.c)
 */
import { callerOutput } from './output-series.js';
import { adx, AdxStream } from './adx.js';
import { barsInput, checkBar, checkBars, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'adxr';

/**
 * ADXR over high/low/close; NaN for the first 3·period−2 bars. Period 2..100000.
 * Writes into `out` when given.
 */
export function adxr(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, HLC);
  checkPeriod(NAME, 'period', period, 2);
  const n = bars.close.length;
  const warm = 3 * period - 2;
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(n).fill(NaN, 0, warm) : callerOutput(NAME, n, warm, out, [bars.high, bars.low, bars.close]);
  return adxrLoop(bars, period, o);
}

function adxrLoop(bars: Bars, period: number, out: Float64Array): Float64Array {
  checkBars(NAME, bars);
  // Validated under our name above, so adx's own (second) check cannot throw.
  const line = adx(bars, period).adx;
  const n = line.length;
  const lag = period - 1;
  for (let i = 3 * period - 2; i < n; i++) out[i] = (line[i]! + line[i - lag]!) / 2;
  return out;
}

/** Streaming {@link adxr}. */
export class AdxrStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly adx: AdxStream;
  /** The last period−1 ADX values, by bar index modulo period−1. */
  private readonly ring: Float64Array;
  private n = 0;
  private lost = NaN;

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.adx = new AdxStream(period);
    this.ring = new Float64Array(period - 1).fill(NaN);
    this.warmup = 3 * period - 2;
  }

  update(bar: Bar): number {
    checkBar(NAME, bar, this.n);
    return this.step(this.adx.update(bar).adx);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.n - 1);
    this.n--;
    this.ring[this.n % this.ring.length] = this.lost;
    return this.step(this.adx.replace(bar).adx);
  }

  private step(a: number): number {
    const slot = this.n++ % this.ring.length;
    const old = (this.lost = this.ring[slot]!);
    this.ring[slot] = a;
    // NaN until both ADX values exist, i.e. from bar 3·period−2 on, as in the batch form.
    return (a + old) / 2;
  }
}
