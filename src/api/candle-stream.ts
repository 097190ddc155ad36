/**
 * The text of `GET /candles`, produced chunk by chunk from Store.streamCandles: a whole window is
 * never held, whatever its size, and a client that goes away stops the read (the generator's
 * return ends the store's stream). Numbers are written in their shortest exact form (String()).
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { ChunkCompleteness } from '../store/chunk-completeness.js';
import type { Store } from '../store/store.js';

/** Bars per chunk read from the store (as the CLI's export reads them). */
const CHUNK_ROWS = 16_384;
/** Bars per piece of text handed to the socket: about 0.5 MB of JSON. */
const TEXT_ROWS = 8192;

/** The dashboard's columns (`columns=chart`, the default). */
export const CHART_COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'complete'] as const;
/** Every stored field in the archive's order, then `complete` (`columns=all`): what the CLI's `candles` prints, so it can read through the API. */
export const ALL_COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote', 'complete'] as const;
const CSV_NAMES: Record<string, string> = {
  openTime: 'open_time',
  closeTime: 'close_time',
  quoteVolume: 'quote_volume',
  takerBuyBase: 'taker_buy_base',
  takerBuyQuote: 'taker_buy_quote',
};

export interface CandleRead {
  exchange: string;
  symbol: string;
  interval: Interval;
  from: number;
  to: number;
  priceDecimals: number | null;
  volumeDecimals: number | null;
  /** The clock that decides whether the last bars are still forming. */
  now: number;
  columns: 'chart' | 'all';
}

/** JSON `{symbol, interval, priceDecimals, volumeDecimals, columns, rows:[[openTime, open, high, low, close, volume, complete], …]}`, or CSV with a header of the same columns (snake case, as the CLI's). */
export async function* candleText(store: Store, r: CandleRead, format: 'json' | 'csv', signal: AbortSignal): AsyncGenerator<string> {
  const completeness = await ChunkCompleteness.load(store, r.exchange, r.symbol, r.interval, r.now);
  const json = format === 'json';
  const all = r.columns === 'all';
  const names = all ? ALL_COLUMNS : CHART_COLUMNS;
  yield json
    ? `{"symbol":${JSON.stringify(r.symbol)},"interval":"${r.interval}","intervalMs":${intervalMs(r.interval)},"priceDecimals":${r.priceDecimals},"volumeDecimals":${r.volumeDecimals},"columns":${JSON.stringify(names)},"rows":[`
    : `${names.map((n) => CSV_NAMES[n] ?? n).join(',')}\n`;
  let first = true;
  for await (const chunk of store.streamCandles(r.exchange, r.symbol, r.interval, r.from, r.to, { chunkRows: CHUNK_ROWS, signal })) {
    const flags = await completeness.flags(chunk);
    const c = chunk.candles;
    for (let lo = 0; lo < c.length; lo += TEXT_ROWS) {
      const hi = Math.min(c.length, lo + TEXT_ROWS);
      let out = '';
      for (let i = lo; i < hi; i++) {
        // A template per row (as the CLI's CSV): String() of each number is its shortest exact form.
        const values = all
          ? `${c.openTime[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]},${c.closeTime[i]},${c.quoteVolume[i]},${c.trades[i]},${c.takerBuyBase[i]},${c.takerBuyQuote[i]},${flags[i] === 1}`
          : `${c.openTime[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]},${flags[i] === 1}`;
        if (json) {
          out += `${first ? '' : ','}[${values}]`;
          first = false;
        } else out += `${values}\n`;
      }
      yield out;
    }
  }
  if (json) yield ']}\n';
}
