/**
 * Wilder's directional movement system with TA-Lib's seeding and zero rules: ADX, +DI, −DI,
 * DX, +DM, −DM from one pass.
 *
 * +DM/−DM of a bar: the part of its range outside the previous bar's (the larger side wins,
 * a tie gives 0 to both). TR is the true range. The first smoothed DM/TR (bar period−1) is the
 * plain sum of period−1 one-bar values (there is no DM on bar 0); then x = x − x/period + today.
 * +DI = 100·+DM/TR and −DI = 100·−DM/TR from bar `period` (0 when TR is ~0, |TR| < 1e-14).
 * DX = 100·|+DI − −DI|/(+DI + −DI) from bar `period` (0 on its first bar and then the previous
 * DX when TR or the DI sum is ~0). ADX at bar 2·period−1 is the sum of the DX of bars
 * period..2·period−1 divided by period (a skipped DX counts 0); then Wilder smoothing, held
 * when DX is skipped. StockCharts/LEAN seed TR14 with 14 one-bar values at bar 14 instead of
 * TA-Lib's 13 + one smoothing step: the difference decays by 13/14 a bar (docs/INDICATORS.md).
 * @see https://ta-lib.org/functions/ (ADX, DX, PLUS_DI, MINUS_DI, PLUS_DM, MINUS_DM; src/ta_func/ta_ADX.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { barsInput, barValid, checkBar, checkPeriod, columnsFit, HLC, rejectBars } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'adx';

/** TA-Lib's TA_IS_ZERO: |v| < 1e-14. */
function isZero(v: number): boolean {
  return v > -1e-14 && v < 1e-14;
}

/** The directional movement lines; warm-ups: DM period−1, DI and DX period, ADX 2·period−1 bars. */
export interface AdxLines {
  adx: Float64Array;
  plusDi: Float64Array;
  minusDi: Float64Array;
  dx: Float64Array;
  plusDm: Float64Array;
  minusDm: Float64Array;
}

/**
 * ADX, ±DI, DX and smoothed ±DM over high/low/close. Period 2..100000 (TA-Lib's period-1
 * DI is a ratio, not a percentage, so we refuse it). Writes into the arrays of `out` (and
 * returns it) when given.
 */
export function adx(bars: Bars, period = 14, out?: AdxLines): AdxLines {
  bars = barsInput(NAME, bars, HLC);
  checkPeriod(NAME, 'period', period, 2);
  if (!columnsFit(bars)) rejectBars(NAME, bars);
  const n = bars.close.length;
  // Every bar from the warm-up on is written below, so only the warm-up is filled with NaN.
  // The loop lives in its own function (see sma.ts): `out` and fresh arrays never meet in it.
  const lines: AdxLines = {
    adx: outputSeries(n, 2 * period - 1, out, NAME, 'adx'),
    plusDi: outputSeries(n, period, out, NAME, 'plusDi'),
    minusDi: outputSeries(n, period, out, NAME, 'minusDi'),
    dx: outputSeries(n, period, out, NAME, 'dx'),
    plusDm: outputSeries(n, period - 1, out, NAME, 'plusDm'),
    minusDm: outputSeries(n, period - 1, out, NAME, 'minusDm'),
  };
  if (out !== undefined) checkOutputsApart(NAME, Object.values(lines), [bars.high, bars.low, bars.close]);
  adxLoop(bars, period, lines);
  return out ?? lines;
}

function adxLoop(bars: Bars, period: number, out: AdxLines): AdxLines {
  const { high, low, close } = bars;
  const n = close.length;
  if (n === 0) return out;
  // Each bar is checked as it is read; on a fault rejectBars throws what checkBars would have.
  if (!barValid(high[0]!, low[0]!, close[0]!)) rejectBars(NAME, bars);
  const { adx: adxOut, plusDi, minusDi, dx, plusDm, minusDm } = out;
  const adxFrom = 2 * period - 1;
  const m = period - 1;
  let ph = high[0]!;
  let pl = low[0]!;
  let pc = close[0]!;
  let pdm = 0;
  let mdm = 0;
  let tr = 0;
  let sumDx = 0;
  let adxV = 0;
  let dxV = 0;
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!barValid(h, l, c)) rejectBars(NAME, bars);
    const up = h - ph;
    const down = pl - l;
    let t = h - l;
    const a = Math.abs(h - pc);
    if (a > t) t = a;
    const b = Math.abs(l - pc);
    if (b > t) t = b;
    ph = h;
    pl = l;
    pc = c;
    let dmP = 0;
    let dmM = 0;
    if (down > 0 && up < down) dmM = down;
    else if (up > 0 && up > down) dmP = up;
    if (i < period) {
      pdm += dmP;
      mdm += dmM;
      tr += t;
      if (i === m) {
        plusDm[i] = pdm;
        minusDm[i] = mdm;
      }
      continue;
    }
    pdm = pdm - pdm / period + dmP;
    mdm = mdm - mdm / period + dmM;
    tr = tr - tr / period + t;
    plusDm[i] = pdm;
    minusDm[i] = mdm;
    let pdi = 0;
    let mdi = 0;
    let raw = 0;
    let valid = false;
    if (!isZero(tr)) {
      mdi = 100 * (mdm / tr);
      pdi = 100 * (pdm / tr);
      const sum = mdi + pdi;
      if (!isZero(sum)) {
        raw = 100 * (Math.abs(mdi - pdi) / sum);
        valid = true;
      }
    }
    plusDi[i] = pdi;
    minusDi[i] = mdi;
    if (valid) dxV = raw;
    else if (i === period) dxV = 0;
    dx[i] = dxV;
    if (i <= adxFrom) {
      if (valid) sumDx += raw;
      if (i === adxFrom) adxOut[i] = adxV = sumDx / period;
    } else {
      if (valid) adxV = (adxV * m + raw) / period;
      adxOut[i] = adxV;
    }
  }
  return out;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface AdxValue {
  adx: number;
  plusDi: number;
  minusDi: number;
  dx: number;
  plusDm: number;
  minusDm: number;
}

/** The recurrence state between bars; copied whole so `replace` can step back one bar. */
class DmState {
  n = 0;
  ph = 0;
  pl = 0;
  pc = 0;
  pdm = 0;
  mdm = 0;
  tr = 0;
  sumDx = 0;
  adx = 0;
  dx = 0;

  copyFrom(o: DmState): void {
    this.n = o.n;
    this.ph = o.ph;
    this.pl = o.pl;
    this.pc = o.pc;
    this.pdm = o.pdm;
    this.mdm = o.mdm;
    this.tr = o.tr;
    this.sumDx = o.sumDx;
    this.adx = o.adx;
    this.dx = o.dx;
  }
}

/** Streaming {@link adx}: all six lines per bar; `warmup` is the ADX's, 2·period−1. */
export class AdxStream implements Streaming<Bar, AdxValue> {
  readonly warmup: number;
  private readonly period: number;
  private readonly cur = new DmState();
  private readonly prev = new DmState();
  private readonly out: AdxValue = { adx: NaN, plusDi: NaN, minusDi: NaN, dx: NaN, plusDm: NaN, minusDm: NaN };

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = 2 * period - 1;
  }

  update(bar: Bar): AdxValue {
    checkBar(NAME, bar, this.cur.n);
    this.prev.copyFrom(this.cur);
    return this.step(bar.high, bar.low, bar.close);
  }

  replace(bar: Bar): AdxValue {
    if (this.cur.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.cur.n - 1);
    this.cur.copyFrom(this.prev);
    return this.step(bar.high, bar.low, bar.close);
  }

  private step(h: number, l: number, c: number): AdxValue {
    const s = this.cur;
    const o = this.out;
    const p = this.period;
    const i = s.n++;
    o.adx = o.plusDi = o.minusDi = o.dx = o.plusDm = o.minusDm = NaN;
    if (i === 0) {
      s.ph = h;
      s.pl = l;
      s.pc = c;
      return o;
    }
    const up = h - s.ph;
    const down = s.pl - l;
    let t = h - l;
    const a = Math.abs(h - s.pc);
    if (a > t) t = a;
    const b = Math.abs(l - s.pc);
    if (b > t) t = b;
    s.ph = h;
    s.pl = l;
    s.pc = c;
    let dmP = 0;
    let dmM = 0;
    if (down > 0 && up < down) dmM = down;
    else if (up > 0 && up > down) dmP = up;
    if (i < p) {
      s.pdm += dmP;
      s.mdm += dmM;
      s.tr += t;
      if (i === p - 1) {
        o.plusDm = s.pdm;
        o.minusDm = s.mdm;
      }
      return o;
    }
    const pdm = (s.pdm = s.pdm - s.pdm / p + dmP);
    const mdm = (s.mdm = s.mdm - s.mdm / p + dmM);
    const tr = (s.tr = s.tr - s.tr / p + t);
    o.plusDm = pdm;
    o.minusDm = mdm;
    let pdi = 0;
    let mdi = 0;
    let raw = 0;
    let valid = false;
    if (!isZero(tr)) {
      mdi = 100 * (mdm / tr);
      pdi = 100 * (pdm / tr);
      const sum = mdi + pdi;
      if (!isZero(sum)) {
        raw = 100 * (Math.abs(mdi - pdi) / sum);
        valid = true;
      }
    }
    o.plusDi = pdi;
    o.minusDi = mdi;
    if (valid) s.dx = raw;
    else if (i === p) s.dx = 0;
    o.dx = s.dx;
    const adxFrom = 2 * p - 1;
    if (i <= adxFrom) {
      if (valid) s.sumDx += raw;
      if (i === adxFrom) o.adx = s.adx = s.sumDx / p;
    } else {
      if (valid) s.adx = (s.adx * (p - 1) + raw) / p;
      o.adx = s.adx;
    }
    return o;
  }
}
