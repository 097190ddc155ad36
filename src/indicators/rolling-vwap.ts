/**
 * Rolling N-bar VWAP: Σ price·volume / Σ volume over the last `period` bars, price (H+L+C)/3 by
 * default or (O+H+L+C)/4 (`'ohlc4'`: LEAN's `VolumeWeightedAveragePriceIndicator`). bukosabino
 * `ta` `VolumeWeightedAveragePrice(window=14)` is this on (H+L+C)/3. A window without volume
 * gives the current bar's price. The running sums are recomputed exactly every `period` bars,
 * so add/subtract rounding never accumulates (and a window of zero volumes is exactly zero).
 * TA-Lib has no VWAP.
 * @see https://github.com/QuantConnect/Lean/blob/master/Indicators/VolumeWeightedAveragePriceIndicator.cs
 */
import { callerOutput } from './output-series.js';
import { checkVwapPrice, type VwapPrice } from './vwap.js';
import { barsInput, checkBars, checkBarWith, checkPeriod } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'rollingVwap';

/**
 * Rolling VWAP; NaN for the first `period − 1` bars. Needs volume (and open for `'ohlc4'`). Period 1..100000.
 * Writes into `out` when given.
 */
export function rollingVwap(bars: Bars, period = 20, price: VwapPrice = 'hlc3', out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, price === 'ohlc4' ? ['open', 'high', 'low', 'close', 'volume'] : ['high', 'low', 'close', 'volume']);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(bars.close.length).fill(NaN, 0, period - 1) : callerOutput(NAME, bars.close.length, period - 1, out, [bars.open, bars.high, bars.low, bars.close, bars.volume]);
  return rollingVwapLoop(bars, period, price, o);
}

function rollingVwapLoop(bars: Bars, period: number, price: VwapPrice, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 1);
  checkVwapPrice(NAME, price);
  const ohlc4 = price === 'ohlc4';
  checkBars(NAME, bars, { volume: true, open: ohlc4 });
  const { high, low, close } = bars;
  const open = bars.open!;
  const volume = bars.volume!;
  const n = close.length;
  // price·volume per bar, kept so the bar leaving the window subtracts exactly what it added.
  const pvs = new Float64Array(n);
  let pv = 0;
  let vol = 0;
  let traded = 0;
  for (let i = 0; i < n; i++) {
    const tp = ohlc4 ? (open[i]! + high[i]! + low[i]! + close[i]!) / 4 : (high[i]! + low[i]! + close[i]!) / 3;
    const v = volume[i]!;
    const x = tp * v;
    pvs[i] = x;
    pv += x;
    vol += v;
    if (v > 0) traded++;
    if (i >= period) {
      const o = i - period;
      pv -= pvs[o]!;
      vol -= volume[o]!;
      if (volume[o]! > 0) traded--;
    }
    if ((i + 1) % period === 0) {
      pv = 0;
      vol = 0;
      for (let j = i + 1 - period; j <= i; j++) {
        pv += pvs[j]!;
        vol += volume[j]!;
      }
    }
    if (i >= period - 1) out[i] = traded > 0 ? pv / vol : tp;
  }
  return out;
}

/** Streaming {@link rollingVwap}; each bar needs `volume` (and `open` for `'ohlc4'`). */
export class RollingVwapStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly ohlc4: boolean;
  private readonly pvs: Float64Array;
  private readonly vols: Float64Array;
  private n = 0;
  private pv = 0;
  private vol = 0;
  private traded = 0;
  private pPv = 0;
  private pVol = 0;
  private pTraded = 0;
  /** The window slot the last bar overwrote, so `replace` can put the leaving bar back. */
  private lostPv = 0;
  private lostVol = 0;

  constructor(period = 20, price: VwapPrice = 'hlc3') {
    checkPeriod(NAME, 'period', period, 1);
    checkVwapPrice(NAME, price);
    this.period = period;
    this.ohlc4 = price === 'ohlc4';
    this.warmup = period - 1;
    this.pvs = new Float64Array(period);
    this.vols = new Float64Array(period);
  }

  update(bar: Bar): number {
    checkBarWith(NAME, bar, this.n, { volume: true, open: this.ohlc4 });
    this.pPv = this.pv;
    this.pVol = this.vol;
    this.pTraded = this.traded;
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBarWith(NAME, bar, this.n - 1, { volume: true, open: this.ohlc4 });
    this.n--;
    const slot = this.n % this.period;
    this.pvs[slot] = this.lostPv;
    this.vols[slot] = this.lostVol;
    this.pv = this.pPv;
    this.vol = this.pVol;
    this.traded = this.pTraded;
    return this.step(bar);
  }

  private step(bar: Bar): number {
    const p = this.period;
    const i = this.n++;
    const slot = i % p;
    const tp = this.ohlc4 ? (bar.open! + bar.high + bar.low + bar.close) / 4 : (bar.high + bar.low + bar.close) / 3;
    const v = bar.volume!;
    const x = tp * v;
    const oldPv = (this.lostPv = this.pvs[slot]!);
    const oldVol = (this.lostVol = this.vols[slot]!);
    this.pvs[slot] = x;
    this.vols[slot] = v;
    this.pv += x;
    this.vol += v;
    if (v > 0) this.traded++;
    if (i >= p) {
      this.pv -= oldPv;
      this.vol -= oldVol;
      if (oldVol > 0) this.traded--;
    }
    if ((i + 1) % p === 0) {
      // Slots 0..p−1 now hold bars i−p+1..i in order: the batch form's summation order.
      let pv = 0;
      let vol = 0;
      for (let j = 0; j < p; j++) {
        pv += this.pvs[j]!;
        vol += this.vols[j]!;
      }
      this.pv = pv;
      this.vol = vol;
    }
    if (i < p - 1) return NaN;
    return this.traded > 0 ? this.pv / this.vol : tp;
  }
}
