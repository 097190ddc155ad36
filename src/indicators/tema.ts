/**
 * Triple exponential moving average (Mulloy): 3·e1 − 3·e2 + e3 where e1 = EMA(x), e2 = EMA(e1),
 * e3 = EMA(e2), each SMA-seeded as in TA-Lib, so the first value is at bar 3·(period − 1).
 * Evaluated as e3 + (3·e1 − 3·e2), TA-Lib's order of operations.
 * @see https://ta-lib.org/functions/ (TEMA; src/ta_func/ta_TEMA.c)
 */
import { callerOutput } from './output-series.js';
import { EmaState, emaInto } from './ema.js';
import { checkPeriod, checkSeries, checkValue } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'tema';

/**
 * TEMA over `close`; NaN for the first 3·(period − 1) bars. Period 2..100000, as TA-Lib.
 * Writes into `out` when given.
 */
export function tema(close: Float64Array, period = 30, out?: Float64Array): Float64Array {
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(close.length) : callerOutput(NAME, close.length, 0, out, [close]);
  return temaLoop(close, period, o);
}

function temaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  const k = 2 / (period + 1);
  const e1 = new Float64Array(n);
  const e2 = new Float64Array(n);
  const first = emaInto(e2, emaInto(e1, emaInto(close, 0, period, k, e1), period, k, e2), period, k, out);
  out.fill(NaN, 0, first);
  for (let i = first; i < n; i++) out[i] = out[i]! + (3.0 * e1[i]! - 3.0 * e2[i]!);
  return out;
}

/** Streaming {@link tema}. */
export class TemaStream implements Streaming<number, number> {
  readonly warmup: number;
  private n = 0;
  private readonly e1: EmaState;
  private readonly e2: EmaState;
  private readonly e3: EmaState;
  private readonly p1: EmaState;
  private readonly p2: EmaState;
  private readonly p3: EmaState;

  constructor(period = 30) {
    checkPeriod(NAME, 'period', period, 2);
    this.warmup = 3 * (period - 1);
    this.e1 = new EmaState(period);
    this.e2 = new EmaState(period);
    this.e3 = new EmaState(period);
    this.p1 = new EmaState(period);
    this.p2 = new EmaState(period);
    this.p3 = new EmaState(period);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.p1.copyFrom(this.e1);
    this.p2.copyFrom(this.e2);
    this.p3.copyFrom(this.e3);
    this.n++;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.e1.copyFrom(this.p1);
    this.e2.copyFrom(this.p2);
    this.e3.copyFrom(this.p3);
    return this.step(close);
  }

  private step(x: number): number {
    const a = this.e1.next(x);
    if (Number.isNaN(a)) return NaN;
    const b = this.e2.next(a);
    if (Number.isNaN(b)) return NaN;
    const c = this.e3.next(b);
    return Number.isNaN(c) ? NaN : c + (3.0 * a - 3.0 * b);
  }
}
