/**
 * On-balance volume, TA-Lib's form: starts at the first bar's volume, then adds the volume on an
 * up close, subtracts it on a down close, keeps it on an unchanged close.
 * @see https://ta-lib.org/functions/ (OBV; src/ta_func/ta_OBV.c)
 */
import { callerOutput } from './output-series.js';
import { barsInput, checkSeries, checkValue } from './validate.js';
import { IndicatorInputError } from './indicator-error.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'obv';

/**
 * OBV over close and volume; no warm-up.
 * Writes into `out` when given.
 */
export function obv(bars: Bars, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, ['close', 'volume']);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(bars.close.length) : callerOutput(NAME, bars.close.length, 0, out, [bars.close, bars.volume]);
  return obvLoop(bars, o);
}

function obvLoop(bars: Bars, out: Float64Array): Float64Array {
  const { close, volume } = bars;
  if (volume === undefined) throw new IndicatorInputError(NAME, 'needs the volume column', { param: 'volume' });
  if (volume.length !== close.length) throw new IndicatorInputError(NAME, `volume has ${volume.length} rows, close has ${close.length}`, { param: 'volume' });
  checkSeries(NAME, 'close', close);
  checkSeries(NAME, 'volume', volume);
  const n = close.length;
  if (n === 0) return out;
  let acc = volume[0]!;
  let prev = close[0]!;
  out[0] = acc;
  for (let i = 1; i < n; i++) {
    const c = close[i]!;
    if (c > prev) acc += volume[i]!;
    else if (c < prev) acc -= volume[i]!;
    out[i] = acc;
    prev = c;
  }
  return out;
}

/** Streaming {@link obv}: reads `close` and `volume` of each bar. */
export class ObvStream implements Streaming<Bar, number> {
  readonly warmup = 0;
  private n = 0;
  private acc = 0;
  private prev = 0;
  private pN = 0;
  private pAcc = 0;
  private pPrev = 0;

  update(bar: Bar): number {
    this.check(bar, this.n);
    this.pN = this.n;
    this.pAcc = this.acc;
    this.pPrev = this.prev;
    return this.step(bar.close, bar.volume!);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    this.check(bar, this.n - 1);
    this.n = this.pN;
    this.acc = this.pAcc;
    this.prev = this.pPrev;
    return this.step(bar.close, bar.volume!);
  }

  private check(bar: Bar, index: number): void {
    checkValue(NAME, 'close', bar.close, index);
    checkValue(NAME, 'volume', bar.volume ?? NaN, index);
  }

  private step(c: number, v: number): number {
    if (this.n++ === 0) this.acc = v;
    else if (c > this.prev) this.acc += v;
    else if (c < this.prev) this.acc -= v;
    this.prev = c;
    return this.acc;
  }
}
