/**
 * Keltner channels, the modern (Raschke / StockCharts) variant: middle = EMA(close, emaPeriod),
 * upper/lower = middle ± multiplier·ATR(atrPeriod); default EMA(20) ± 2·ATR(10). The EMA and
 * ATR are ours, i.e. TA-Lib's: EMA seeded with the SMA of the first closes, ATR (Wilder) from
 * bar 1 seeded with the mean of TR[1..atrPeriod]. The StockCharts worksheet (bukosabino
 * `cs-kc.csv`, ta's `KeltnerChannel(20, 10, original_version=False)`) uses the same recurrences
 * with other seeds: the EMA starts at the first close (pandas `ewm(adjust=False)`) and the ATR
 * counts bar 0's high − low in its first mean. Keltner's 1960 original (SMA of typical price ±
 * SMA of the range) is not this. TA-Lib has no Keltner.
 * @see https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-overlays/keltner-channels
 */
import { checkOutputsApart, nanOutputField } from './output-series.js';
import { atr, AtrStream } from './atr.js';
import { EmaState, emaInto } from './ema.js';
import { barsInput, checkBar, checkBars, checkNumber, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'keltner';

/** Upper, middle and lower Keltner lines. */
export interface KeltnerChannel {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

function checkParams(emaPeriod: number, atrPeriod: number, multiplier: number): void {
  checkPeriod(NAME, 'emaPeriod', emaPeriod, 1);
  checkPeriod(NAME, 'atrPeriod', atrPeriod, 1);
  checkNumber(NAME, 'multiplier', multiplier, 0, 1000);
}

/**
 * Keltner channel over high/low/close. The middle line is NaN for the first emaPeriod − 1
 * bars; the bands for the first max(emaPeriod − 1, atrPeriod) bars.
 * Writes into the arrays of `out` (and returns it) when given.
 */
export function keltner(bars: Bars, emaPeriod = 20, atrPeriod = 10, multiplier = 2, out?: KeltnerChannel): KeltnerChannel {
  bars = barsInput(NAME, bars, HLC);
  const n = bars.close.length;
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const res = {
    upper: nanOutputField(NAME, n, out, 'upper'),
    middle: nanOutputField(NAME, n, out, 'middle'),
    lower: nanOutputField(NAME, n, out, 'lower'),
  };
  if (out !== undefined) checkOutputsApart(NAME, [res.upper, res.middle, res.lower], [bars.high, bars.low, bars.close]);
  keltnerLoop(bars, emaPeriod, atrPeriod, multiplier, res);
  return out ?? res;
}

function keltnerLoop(bars: Bars, emaPeriod: number, atrPeriod: number, multiplier: number, res: KeltnerChannel): KeltnerChannel {
  checkParams(emaPeriod, atrPeriod, multiplier);
  checkBars(NAME, bars);
  const n = bars.close.length;
  const { upper, middle, lower } = res;
  emaInto(bars.close, 0, emaPeriod, 2 / (emaPeriod + 1), middle);
  // Already validated under our name, so atr's own (second) check cannot throw.
  const range = atr(bars, atrPeriod);
  for (let i = Math.max(emaPeriod - 1, atrPeriod); i < n; i++) {
    const m = middle[i]!;
    const w = multiplier * range[i]!;
    upper[i] = m + w;
    lower[i] = m - w;
  }
  return res;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface KeltnerValue {
  upper: number;
  middle: number;
  lower: number;
}

/** Streaming {@link keltner}. */
export class KeltnerStream implements Streaming<Bar, KeltnerValue> {
  readonly warmup: number;
  private readonly multiplier: number;
  private readonly ema: EmaState;
  private readonly pEma: EmaState;
  private readonly atr: AtrStream;
  private readonly out: KeltnerValue = { upper: NaN, middle: NaN, lower: NaN };

  constructor(emaPeriod = 20, atrPeriod = 10, multiplier = 2) {
    checkParams(emaPeriod, atrPeriod, multiplier);
    this.multiplier = multiplier;
    this.warmup = Math.max(emaPeriod - 1, atrPeriod);
    this.ema = new EmaState(emaPeriod);
    this.pEma = new EmaState(emaPeriod);
    this.atr = new AtrStream(atrPeriod);
  }

  update(bar: Bar): KeltnerValue {
    checkBar(NAME, bar, this.ema.n);
    this.pEma.copyFrom(this.ema);
    return this.emit(this.ema.next(bar.close), this.atr.update(bar));
  }

  replace(bar: Bar): KeltnerValue {
    if (this.ema.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.ema.n - 1);
    this.ema.copyFrom(this.pEma);
    return this.emit(this.ema.next(bar.close), this.atr.replace(bar));
  }

  private emit(m: number, range: number): KeltnerValue {
    const o = this.out;
    const w = this.multiplier * range;
    o.middle = m;
    // Before the ATR is ready `range` is NaN and so are the bands, as in the batch form.
    o.upper = m + w;
    o.lower = m - w;
    return o;
  }
}
