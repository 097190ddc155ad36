/**
 * Deterministic benchmark bars: a seeded geometric random walk with valid OHLCV (low ≤ open,
 * close ≤ high, volume > 0). Generated data is fine for speed measurements (STYLE.md); it is never
 * a stand-in for an exchange's format. The same seed gives bitwise the same bars on every machine,
 * so the JS runner and the C harness (through {@link encodeBars}) measure the same input.
 */
import { seededRandom } from '../../src/core/seeded-random.js';
import type { Bars } from '../../src/indicators/types.js';

/** Complete OHLCV columns (every field present), as the benchmark needs them. */
export interface BenchBars extends Bars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  openTime: Float64Array;
}

/** The first bar's open time, a UTC midnight, so session VWAP's days start on a bar boundary. */
export const FIRST_OPEN_TIME = Date.UTC(2024, 0, 1);
const MINUTE_MS = 60_000;

/**
 * `n` one-minute bars from {@link FIRST_OPEN_TIME} (1,440 a UTC day), starting near 30,000 with
 * ~0.1 % moves per bar; flat bars and equal highs occur (prices are rounded to cents) so
 * indicators meet ties as on real data. Each bar opens a small random gap (~0.05 %) away from the
 * previous close, so the candlestick patterns that need a gap (stars, piercing, dark cloud)
 * occur and their full tests are timed, not only the early rejection.
 */
export function generateBars(n: number, seed = 42): BenchBars {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`generateBars: n must be a positive integer, got ${n}`);
  const rnd = seededRandom(seed);
  const gauss = (): number => {
    const u = 1 - rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const cents = (x: number): number => Math.round(x * 100) / 100;
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const openTime = new Float64Array(n);
  let prev = 30_000;
  for (let i = 0; i < n; i++) {
    const o = cents(prev * Math.exp(0.0005 * gauss()));
    const c = cents(o * Math.exp(0.001 * gauss()));
    const top = Math.max(o, c);
    const bottom = Math.min(o, c);
    open[i] = o;
    close[i] = c;
    high[i] = cents(top * (1 + 0.0005 * Math.abs(gauss())));
    low[i] = cents(bottom * (1 - 0.0005 * Math.abs(gauss())));
    volume[i] = Math.round((0.01 + 50 * rnd() * rnd()) * 1e5) / 1e5;
    openTime[i] = FIRST_OPEN_TIME + i * MINUTE_MS;
    prev = c;
  }
  return { open, high, low, close, volume, openTime };
}

/**
 * The C harness's input format: int64 n, then open, high, low, close, volume as n
 * little-endian float64 each (no openTime: no TA-Lib function takes time).
 */
export function encodeBars(bars: BenchBars): Buffer {
  const n = bars.close.length;
  const buf = Buffer.alloc(8 + 5 * 8 * n);
  buf.writeBigInt64LE(BigInt(n), 0);
  let off = 8;
  for (const col of [bars.open, bars.high, bars.low, bars.close, bars.volume]) {
    for (let i = 0; i < n; i++) buf.writeDoubleLE(col[i]!, off + 8 * i);
    off += 8 * n;
  }
  return buf;
}
