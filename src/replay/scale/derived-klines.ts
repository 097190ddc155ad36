/**
 * `/api/v3/klines` rows of a derived symbol (1m only), by the same selection rules as the
 * recorded series (kline-query.ts): every minute from the first derived month on exists, up to
 * the simulated now, so the days after the archive's last month come over REST.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import type { KlineQuery } from '../kline-query.js';
import { MINUTE_MS, type DerivedSeries } from './derived-series.js';
import { seriesStart } from './scale-layout.js';

/** The JSON rows to answer, oldest first. */
export function derivedKlines(series: DerivedSeries, index: number, q: KlineQuery): string[] {
  const first = seriesStart(series.spec);
  let last = Math.floor(q.now / MINUTE_MS) * MINUTE_MS;
  if (q.endTime !== undefined) last = Math.min(last, Math.floor(q.endTime / MINUTE_MS) * MINUTE_MS);
  let from: number;
  let to: number;
  if (q.startTime !== undefined) {
    from = Math.max(first, Math.ceil(q.startTime / MINUTE_MS) * MINUTE_MS);
    to = Math.min(last, from + (q.limit - 1) * MINUTE_MS);
  } else {
    to = last;
    from = Math.max(first, last - (q.limit - 1) * MINUTE_MS);
  }
  const rows: string[] = [];
  for (let t = from; t <= to; t += MINUTE_MS) rows.push(series.restRow(index, t));
  return rows;
}
