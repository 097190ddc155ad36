/**
 * TD Setup (Tom DeMark) alone: the price flip and the setup count, the part of TD Sequential that
 * reads only closes (PROTOCOLS.md §7). One signed number per bar: +n on sell-setup bar n (its close
 * above the close 4 bars earlier), −n on buy-setup bar n (below), 0 on neither. Counts run on past
 * 9 (18, 27… are recycles), so the value always equals {@link tdSequential}'s
 * `sellSetup − buySetup`; both step with {@link nextSetupCount}. For perfection, countdown, TDST
 * and cancellation, which need highs and lows, use tdSequential.
 *
 * @see https://demark.com/sequential-indicator/
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkSeries, checkValue, rejectValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'tdSetup';

/** Bars before the first possible setup bar 1: the flip compares close[i−1] with close[i−5]. */
export const TD_SETUP_WARMUP = 5;

/**
 * The setup count after a bar, from the count after the bar before (signed as above). `c` and
 * `c4` are this bar's close and the close 4 bars earlier; `c1` and `c5` the same pair for the bar
 * before, which decide the price flip: a buy setup starts only on a bar after one whose close was
 * not below its close 4 bars earlier (mirror for sell). Strict comparisons: a close equal to the
 * close 4 bars earlier ends a count.
 */
export function nextSetupCount(count: number, c: number, c4: number, c1: number, c5: number): number {
  if (c < c4) return count < 0 ? count - 1 : c1 >= c5 ? -1 : 0;
  if (c > c4) return count > 0 ? count + 1 : c1 <= c5 ? 1 : 0;
  return 0;
}

/** TD Setup over closes; NaN for the first {@link TD_SETUP_WARMUP} bars. Writes into `out` when given. */
export function tdSetup(close: Float64Array, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  const n = close.length;
  // The loop lives in its own function (see ema.ts): `out` and fresh arrays never meet in it.
  if (out === undefined) return tdSetupLoop(close, outputSeries(n, TD_SETUP_WARMUP));
  checkOutputsApart(NAME, [outputSeries(n, TD_SETUP_WARMUP, out, NAME)], [close]);
  return tdSetupLoop(close, out);
}

function tdSetupLoop(close: Float64Array, out: Float64Array): Float64Array {
  const n = close.length;
  // Each close is checked as it is read (the warm-up ones first); the output is not returned if one is bad.
  checkSeries(NAME, 'close', close.subarray(0, TD_SETUP_WARMUP));
  let count = 0;
  for (let i = TD_SETUP_WARMUP; i < n; i++) {
    const c = close[i]!;
    if (!(c >= 0 && c < Infinity)) rejectValue(NAME, 'close', i, c);
    count = nextSetupCount(count, c, close[i - 4]!, close[i - 1]!, close[i - 5]!);
    out[i] = count;
  }
  return out;
}

/** The closes the stream keeps, a power of two above the 6 it reads (this bar and 5 back). */
const RING = 8;
const MASK = RING - 1;

/** Streaming {@link tdSetup}: one close at a time. */
export class TdSetupStream implements Streaming<number, number> {
  readonly warmup = TD_SETUP_WARMUP;
  private readonly closes = new Float64Array(RING);
  /** Bars seen. */
  private n = 0;
  /** Count after the latest bar, and after the bar before it (`replace` steps from it again). */
  private count = 0;
  private before = 0;

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.before = this.count;
    return this.step(close, this.n++);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.count = this.before;
    return this.step(close, this.n - 1);
  }

  /** Bar `i` (its close written over any earlier one at the same ring slot). */
  private step(close: number, i: number): number {
    const ring = this.closes;
    ring[i & MASK] = close;
    if (i < TD_SETUP_WARMUP) return NaN;
    return (this.count = nextSetupCount(this.count, close, ring[(i - 4) & MASK]!, ring[(i - 1) & MASK]!, ring[(i - 5) & MASK]!));
  }
}
