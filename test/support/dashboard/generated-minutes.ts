/**
 * Generated 1m candles (a seeded random walk) for the dashboard's first-paint measurement: a
 * year of them is more than the recorded fixtures hold, and the figure is about size, not
 * market behaviour (STYLE.md: generated data is fine for benchmarks, never for a format).
 */
import { allocateColumns, type CandleColumns } from '../../../src/core/candle.js';
import { seededRandom } from '../../../src/core/seeded-random.js';

const MINUTE = 60_000;

export function generatedMinutes(from: number, count: number, seed = 11): CandleColumns {
  const rnd = seededRandom(seed);
  const c = allocateColumns(count);
  let price = 30_000;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.round(Math.max(100, open * (1 + (rnd() - 0.5) * 0.002)) * 100) / 100;
    c.openTime[i] = from + i * MINUTE;
    c.open[i] = open;
    c.close[i] = close;
    c.high[i] = Math.round(Math.max(open, close) * (1 + rnd() * 0.0005) * 100) / 100;
    c.low[i] = Math.round(Math.min(open, close) * (1 - rnd() * 0.0005) * 100) / 100;
    c.volume[i] = Math.round(rnd() * 1e6) / 1e4;
    c.closeTime[i] = from + (i + 1) * MINUTE - 1;
    c.quoteVolume[i] = Math.round(c.volume[i]! * close * 100) / 100;
    c.trades[i] = 1 + Math.floor(rnd() * 500);
    c.takerBuyBase[i] = Math.round(c.volume[i]! * rnd() * 1e4) / 1e4;
    c.takerBuyQuote[i] = Math.round(c.takerBuyBase[i]! * close * 100) / 100;
    price = close;
  }
  c.length = count;
  return c;
}
