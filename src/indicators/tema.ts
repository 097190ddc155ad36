/**
 * Triple exponential moving average (Mulloy): 3·e1 − 3·e2 + e3 where e1 = EMA(x), e2 = EMA(e1),
 * e3 = EMA(e2), each SMA-seeded as in TA-Lib, so the first value is at bar 3·(period − 1).
 * Evaluated as e3 + (3·e1 − 3·e2), TA-Lib's order of operations.
 * @see https://ta-lib.org/functions/ (TEMA; src/ta_func/ta_TEMA.c)
 */
import { callerOutput } from './output-series.js';
import { EmaCascade, cascadeSeed } from './ema-cascade.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'tema';

/**
 * TEMA over `close`; NaN for the first 3·(period − 1) bars. Period 2..100000, as TA-Lib.
 * Writes into `out` when given.
 */
export function tema(close: Float64Array, period = 30, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(close.length) : callerOutput(NAME, close.length, 0, out, [close]);
  return temaLoop(close, period, o);
}

function temaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  const first = 3 * (period - 1);
  out.fill(NaN, 0, Math.min(first, n));
  if (n <= first) return out;
  // The three EMAs in one pass, in locals (see dema.ts).
  const seed = cascadeSeed(close, period, 3);
  const k = 2 / (period + 1);
  let e1 = seed[0]!;
  let e2 = seed[1]!;
  let e3 = seed[2]!;
  out[first] = e3 + (3.0 * e1 - 3.0 * e2);
  for (let i = first + 1; i < n; i++) {
    e1 = (close[i]! - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    e3 = (e2 - e3) * k + e3;
    out[i] = e3 + (3.0 * e1 - 3.0 * e2);
  }
  return out;
}

/** Streaming {@link tema}. */
export class TemaStream implements Streaming<number, number> {
  readonly warmup: number;
  private n = 0;
  private readonly chain: EmaCascade;

  constructor(period = 30) {
    checkPeriod(NAME, 'period', period, 2);
    this.warmup = 3 * (period - 1);
    this.chain = new EmaCascade(period, 3);
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
    return l[2]! + (3.0 * l[0]! - 3.0 * l[1]!);
  }
}
