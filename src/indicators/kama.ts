/**
 * Kaufman adaptive moving average with TA-Lib's fixed constants (fast 2, slow 30):
 * er = |close − close[period]| / Σ|Δclose| over `period` moves, sc = (er·(2/3 − 2/31) + 2/31)²,
 * kama += (close − kama)·sc. Seeded with close[period − 1]; first value at bar `period`.
 * The volatility sum is a running sum (add the new move, drop the oldest), and er is 1 when
 * that sum is ≤ the net change or ~0 (TA_IS_ZERO), exactly as ta_KAMA.c.
 * @see https://ta-lib.org/functions/ (KAMA; src/ta_func/ta_KAMA.c)
 */
import { nanOutput } from './output-series.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'kama';
const SC_SLOW = 2.0 / (30.0 + 1.0);
const SC_DIFF = 2.0 / (2.0 + 1.0) - SC_SLOW;
/** TA_EPSILON: TA-Lib treats a volatility sum below this as zero. */
const EPS = 1e-14;

function smoothing(change: number, volatility: number): number {
  const er = volatility <= change || (volatility > -EPS && volatility < EPS) ? 1.0 : Math.abs(change / volatility);
  const sc = er * SC_DIFF + SC_SLOW;
  return sc * sc;
}

/** KAMA over `close`; NaN for the first `period` bars. Period 2..100000, as TA-Lib. Writes into `out` when given. */
export function kama(close: Float64Array, period = 30, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return kamaLoop(close, period, nanOutput(NAME, close.length, out, [close]));
}

function kamaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  if (n <= period) return out;
  let vol = 0.0;
  for (let i = 0; i < period; i++) vol += Math.abs(close[i]! - close[i + 1]!);
  let prev = close[period - 1]!;
  let x = close[period]!;
  prev = (x - prev) * smoothing(x - close[0]!, vol) + prev;
  out[period] = prev;
  for (let i = period + 1; i < n; i++) {
    x = close[i]!;
    const old = close[i - period]!;
    vol -= Math.abs(close[i - period - 1]! - old);
    vol += Math.abs(x - close[i - 1]!);
    prev = (x - prev) * smoothing(x - old, vol) + prev;
    out[i] = prev;
  }
  return out;
}

/** Streaming {@link kama}: keeps the last period + 2 closes for the running volatility sum. */
export class KamaStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly size: number;
  private readonly ring: Float64Array;
  private n = 0;
  private vol = 0;
  private kama = 0;
  private pVol = 0;
  private pKama = 0;

  constructor(period = 30) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period;
    // period + 2 slots: bar n overwrites bar n − period − 2, which no later bar reads.
    this.size = period + 2;
    this.ring = new Float64Array(this.size);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.pVol = this.vol;
    this.pKama = this.kama;
    this.n++;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.vol = this.pVol;
    this.kama = this.pKama;
    return this.step(close);
  }

  /** Bar index n − 1 is the one being written (n already counts it). */
  private step(x: number): number {
    const i = this.n - 1;
    const p = this.period;
    const s = this.size;
    const ring = this.ring;
    ring[i % s] = x;
    if (i < p) {
      // Seed phase: the sum of the first `period` moves, in bar order like TA-Lib's first loop.
      if (i > 0) this.vol += Math.abs(ring[(i - 1) % s]! - x);
      return NaN;
    }
    const old = ring[(i - p) % s]!;
    if (i === p) {
      this.vol += Math.abs(ring[(i - 1) % s]! - x);
      const seed = ring[(p - 1) % s]!;
      return (this.kama = (x - seed) * smoothing(x - old, this.vol) + seed);
    }
    let vol = this.vol - Math.abs(ring[(i - p - 1) % s]! - old);
    vol += Math.abs(x - ring[(i - 1) % s]!);
    this.vol = vol;
    return (this.kama = (x - this.kama) * smoothing(x - old, vol) + this.kama);
  }
}
