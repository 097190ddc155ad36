/** The candle, in row form and in column form, and the invariants every stored candle keeps. */
import { intervalMs, type Interval } from './intervals.js';

/** Where a stored candle came from. Archive outranks REST, REST outranks stream. */
export type CandleSource = 'archive' | 'rest' | 'stream';
export const SOURCE_RANK: Record<CandleSource, number> = { stream: 0, rest: 1, archive: 2 };

/** One kline with all 11 archive columns (the 12th, "ignore", is dropped). Times in epoch ms. */
export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closeTime: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
  takerBuyQuote: number;
}

export const CANDLE_FIELDS = [
  'openTime',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'closeTime',
  'quoteVolume',
  'trades',
  'takerBuyBase',
  'takerBuyQuote',
] as const satisfies readonly (keyof Candle)[];

/** CSV header of `tickerflow candles --format csv` (snake_case, archive order). */
export const CANDLE_CSV_HEADER =
  'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote';

/**
 * Column form: one Float64Array per field, `length` rows, sorted by openTime.
 * Used on hot paths (archive ingest, bulk writes, indicators) to avoid an object per row.
 */
export interface CandleColumns {
  length: number;
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  closeTime: Float64Array;
  quoteVolume: Float64Array;
  trades: Float64Array;
  takerBuyBase: Float64Array;
  takerBuyQuote: Float64Array;
}

export function allocateColumns(capacity: number): CandleColumns {
  return {
    length: 0,
    openTime: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    closeTime: new Float64Array(capacity),
    quoteVolume: new Float64Array(capacity),
    trades: new Float64Array(capacity),
    takerBuyBase: new Float64Array(capacity),
    takerBuyQuote: new Float64Array(capacity),
  };
}

export function columnsFromCandles(rows: readonly Candle[]): CandleColumns {
  const c = allocateColumns(rows.length);
  for (const r of rows) pushCandle(c, r);
  return c;
}

export function pushCandle(c: CandleColumns, r: Candle): void {
  const i = c.length++;
  for (const f of CANDLE_FIELDS) c[f][i] = r[f];
}

export function candleAt(c: CandleColumns, i: number): Candle {
  const r = {} as Candle;
  for (const f of CANDLE_FIELDS) r[f] = c[f][i] as number;
  return r;
}

export function candlesFromColumns(c: CandleColumns): Candle[] {
  const out: Candle[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = candleAt(c, i);
  return out;
}

/** The distinct ArrayBuffers behind `c`'s columns, in field order (SharedArrayBuffers left out), e.g. to transfer them. */
export function columnArrayBuffers(c: CandleColumns): ArrayBuffer[] {
  return [...new Set(CANDLE_FIELDS.map((f) => c[f].buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** A view of rows [start, end) sharing the underlying buffers. */
export function sliceColumns(c: CandleColumns, start: number, end: number): CandleColumns {
  const s = {} as CandleColumns;
  for (const f of CANDLE_FIELDS) s[f] = c[f].subarray(start, end);
  s.length = end - start;
  return s;
}

/**
 * Checks the invariants of one candle; returns why it is broken, or null if it is sound.
 * low ≤ open, close ≤ high; volumes and trades ≥ 0; open time on the interval grid;
 * close time = open time + interval − 1 ms (or earlier for a candle the exchange closed at a trading
 * halt: no trades, no volume); every value finite.
 */
export function candleInvariantError(
  openTime: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  closeTime: number,
  quoteVolume: number,
  trades: number,
  takerBuyBase: number,
  takerBuyQuote: number,
  interval: Interval,
): string | null {
  const len = intervalMs(interval);
  if (!(openTime >= 0) || openTime % len !== 0) return `open time ${openTime} is not on the ${interval} grid`;
  // Binance closes a candle early at a trading halt: the 12:00 1h candle of the 2023-03-24 spot
  // halt closes at 12:39:41.646 (BTCUSDT) with 0 trades and 0 volume, and 13:00 does not exist
  // (fixtures/binance-rest/klines/*/1h/2023-03-01.json, recorded). Only such a candle may close
  // before the boundary; a traded candle with a short close time is still an error.
  const haltedEarly = closeTime > openTime && closeTime < openTime + len - 1 && trades === 0 && volume === 0;
  if (closeTime !== openTime + len - 1 && !haltedEarly) return `close time ${closeTime} is not open time + ${interval} - 1 ms (${openTime + len - 1})`;
  if (!(low <= open && open <= high)) return `open ${open} is outside low ${low} .. high ${high}`;
  if (!(low <= close && close <= high)) return `close ${close} is outside low ${low} .. high ${high}`;
  if (!(low > 0)) return `low ${low} is not a positive price`;
  if (!(volume >= 0) || !(quoteVolume >= 0) || !(takerBuyBase >= 0) || !(takerBuyQuote >= 0)) {
    return `a volume is negative or not a number (volume ${volume}, quote ${quoteVolume}, taker buy ${takerBuyBase}/${takerBuyQuote})`;
  }
  if (!(trades >= 0) || !Number.isInteger(trades)) return `trade count ${trades} is not a non-negative integer`;
  return null;
}

export function checkCandle(c: Candle, interval: Interval): string | null {
  return candleInvariantError(
    c.openTime, c.open, c.high, c.low, c.close, c.volume, c.closeTime, c.quoteVolume, c.trades, c.takerBuyBase, c.takerBuyQuote, interval,
  );
}
