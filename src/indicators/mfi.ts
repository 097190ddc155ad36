/**
 * Money flow index: 100·Σ positive flow/(Σ positive + Σ negative flow) over `period` bars, where a
 * bar's flow is tp·volume (tp = (high + low + close)/3), positive when tp rose from the previous
 * bar, negative when it fell, neither when unchanged. As TA-Lib: running sums over a ring of
 * flows, first value at bar `period`, and 0 whenever the total flow is below 1.0 (so a very
 * quiet window reads 0, not 50).
 * @see https://ta-lib.org/functions/ (MFI; src/ta_func/ta_MFI.c)
 */
import { nanOutput } from './output-series.js';
import { barsInput, checkBars, checkBarWith, checkPeriod } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'mfi';
const NEEDS = { volume: true } as const;

/**
 * MFI over high/low/close/volume; NaN for the first `period` bars. Period 2..100000, as TA-Lib.
 * Writes into `out` when given.
 */
export function mfi(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, ['high', 'low', 'close', 'volume']);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return mfiLoop(bars, period, nanOutput(NAME, bars.close.length, out, [bars.high, bars.low, bars.close, bars.volume]));
}

function mfiLoop(bars: Bars, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkBars(NAME, bars, NEEDS);
  const { high, low, close } = bars;
  // checkBars has thrown unless the volume column is present.
  const volume = bars.volume!;
  const n = close.length;
  if (n <= period) return out;
  const pos = new Float64Array(period);
  const neg = new Float64Array(period);
  let posSum = 0.0;
  let negSum = 0.0;
  let prev = (high[0]! + low[0]! + close[0]!) / 3.0;
  for (let i = 1, slot = 0; i < n; i++) {
    if (i > period) {
      posSum -= pos[slot]!;
      negSum -= neg[slot]!;
    }
    const tp = (high[i]! + low[i]! + close[i]!) / 3.0;
    const change = tp - prev;
    prev = tp;
    const flow = tp * volume[i]!;
    if (change < 0) {
      neg[slot] = flow;
      negSum += flow;
      pos[slot] = 0.0;
    } else if (change > 0) {
      pos[slot] = flow;
      posSum += flow;
      neg[slot] = 0.0;
    } else {
      pos[slot] = 0.0;
      neg[slot] = 0.0;
    }
    if (i >= period) {
      const total = posSum + negSum;
      out[i] = total < 1.0 ? 0.0 : 100.0 * (posSum / total);
    }
    if (++slot === period) slot = 0;
  }
  return out;
}

/** Streaming {@link mfi}. */
export class MfiStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;
  private n = 0;
  private prev = 0;
  private posSum = 0.0;
  private negSum = 0.0;
  private pPrev = 0;
  private pPosSum = 0.0;
  private pNegSum = 0.0;
  // The flows the last update overwrote, so replace can put them back.
  private pSlotPos = 0.0;
  private pSlotNeg = 0.0;

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period;
    this.pos = new Float64Array(period);
    this.neg = new Float64Array(period);
  }

  update(bar: Bar): number {
    checkBarWith(NAME, bar, this.n, NEEDS);
    this.pPrev = this.prev;
    this.pPosSum = this.posSum;
    this.pNegSum = this.negSum;
    const slot = (this.n + this.period - 1) % this.period;
    this.pSlotPos = this.pos[slot]!;
    this.pSlotNeg = this.neg[slot]!;
    this.n++;
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBarWith(NAME, bar, this.n - 1, NEEDS);
    this.prev = this.pPrev;
    this.posSum = this.pPosSum;
    this.negSum = this.pNegSum;
    const slot = (this.n + this.period - 2) % this.period;
    this.pos[slot] = this.pSlotPos;
    this.neg[slot] = this.pSlotNeg;
    return this.step(bar);
  }

  /** Bar n − 1 is the one being written; its flow goes to slot (n − 2) % period, as in the batch loop. */
  private step(bar: Bar): number {
    const i = this.n - 1;
    const p = this.period;
    const tp = (bar.high + bar.low + bar.close) / 3.0;
    if (i === 0) {
      this.prev = tp;
      return NaN;
    }
    const slot = (i - 1) % p;
    if (i > p) {
      this.posSum -= this.pos[slot]!;
      this.negSum -= this.neg[slot]!;
    }
    const change = tp - this.prev;
    this.prev = tp;
    // Checked by checkBarWith (needs.volume).
    const flow = tp * bar.volume!;
    if (change < 0) {
      this.neg[slot] = flow;
      this.negSum += flow;
      this.pos[slot] = 0.0;
    } else if (change > 0) {
      this.pos[slot] = flow;
      this.posSum += flow;
      this.neg[slot] = 0.0;
    } else {
      this.pos[slot] = 0.0;
      this.neg[slot] = 0.0;
    }
    if (i < p) return NaN;
    const total = this.posSum + this.negSum;
    return total < 1.0 ? 0.0 : 100.0 * (this.posSum / total);
  }
}
