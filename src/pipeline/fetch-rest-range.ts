/** Fetches closed candles of [from, to) from the exchange's REST API and stores them, page by page. */
import type { SeriesKey } from '../core/instrument.js';
import type { Store } from '../store/store.js';
import { throwIfAborted } from './abortable.js';
import type { ExchangeSource } from './sources.js';

/**
 * Each page is its own write, adding its rows to task `taskId` in the same transaction; `signal`
 * stops the fetch between pages.
 */
export async function fetchRestRange(
  store: Store, exchange: ExchangeSource, series: SeriesKey, from: number, to: number, signal?: AbortSignal, taskId?: number,
): Promise<number> {
  let rows = 0;
  for await (const page of exchange.klines(series.symbol, series.interval, from, to)) {
    throwIfAborted(signal);
    if (page.length > 0) rows += await store.writeCandles(series, page, 'rest', undefined, { taskId });
  }
  return rows;
}
