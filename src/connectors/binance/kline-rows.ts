/**
 * Pure parser for a Binance spot `GET /api/v3/klines` response body.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 *
 * Each row is `[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteAssetVolume",
 * numberOfTrades, "takerBuyBaseVolume", "takerBuyQuoteVolume", "ignore"]`: times and the trade count
 * are JSON numbers, prices and volumes decimal strings. The 12th element carries nothing and is dropped.
 */
import { allocateColumns, CANDLE_FIELDS, candleInvariantError, type CandleColumns } from '../../core/candle.js';
import { BadInputError } from '../../core/errors.js';
import type { Interval } from '../../core/intervals.js';

/** Field names by row position, as used in error messages: the candle's fields in archive order, then Binance's unused 12th. */
const ROW_FIELDS = [...CANDLE_FIELDS, 'ignore'] as const;

/** Positions holding JSON numbers; every other column is a decimal string. */
const NUMBER_COLUMNS = new Set([0, 6, 8]);

// Strict decimal text: Number() alone would accept "", " 1", "0x1f" and "Infinity".
const DECIMAL = /^-?\d+(\.\d+)?$/;

// Millisecond times stay below 1e15 until the year 33658; a larger value means the response came
// back in microseconds (X-MBX-TIME-UNIT), which this parser does not request.
const MAX_MS = 1e15;

export interface KlineRowsOptions {
  /** When given, every row must also keep the candle invariants of this interval. */
  interval?: Interval;
}

/**
 * Parses a klines response body (already `JSON.parse`d) into column form, in response order.
 * Rejects the whole body with a `BadInputError` naming the 0-based row index and the field
 * at the first malformed value, so a bad page is never half-used.
 */
export function parseKlineRows(body: unknown, options: KlineRowsOptions = {}): CandleColumns {
  if (!Array.isArray(body)) throw new BadInputError(`klines: expected a JSON array of rows, got ${describe(body)}`);
  const cols = allocateColumns(body.length);
  for (let i = 0; i < body.length; i++) {
    const row: unknown = body[i];
    if (!Array.isArray(row)) throw new BadInputError(`klines row ${i}: expected an array, got ${describe(row)}`);
    if (row.length !== ROW_FIELDS.length) {
      throw new BadInputError(`klines row ${i}: expected ${ROW_FIELDS.length} elements, got ${row.length}`);
    }
    const at = (j: number): number => readField(row[j], i, j);
    const openTime = at(0), open = at(1), high = at(2), low = at(3), close = at(4), volume = at(5);
    const closeTime = at(6), quoteVolume = at(7), trades = at(8), takerBuyBase = at(9), takerBuyQuote = at(10);
    if (openTime >= MAX_MS || closeTime >= MAX_MS) {
      const [field, value] = openTime >= MAX_MS ? ['openTime', openTime] : ['closeTime', closeTime];
      throw new BadInputError(`klines row ${i} field ${field}: ${value} looks like microseconds, expected milliseconds`);
    }
    const previous = i > 0 ? cols.openTime[i - 1] : undefined;
    if (previous !== undefined && openTime <= previous) {
      throw new BadInputError(`klines row ${i} field openTime: ${openTime} does not follow ${previous} in ascending order`);
    }
    if (options.interval !== undefined) {
      const broken = candleInvariantError(
        openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, options.interval,
      );
      if (broken !== null) throw new BadInputError(`klines row ${i}: ${broken}`);
    }
    cols.openTime[i] = openTime;
    cols.open[i] = open;
    cols.high[i] = high;
    cols.low[i] = low;
    cols.close[i] = close;
    cols.volume[i] = volume;
    cols.closeTime[i] = closeTime;
    cols.quoteVolume[i] = quoteVolume;
    cols.trades[i] = trades;
    cols.takerBuyBase[i] = takerBuyBase;
    cols.takerBuyQuote[i] = takerBuyQuote;
    cols.length = i + 1;
  }
  return cols;
}

function readField(value: unknown, row: number, col: number): number {
  const field = ROW_FIELDS[col];
  if (NUMBER_COLUMNS.has(col)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new BadInputError(`klines row ${row} field ${field}: expected a non-negative integer, got ${describe(value)}`);
    }
    return value;
  }
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new BadInputError(`klines row ${row} field ${field}: expected a decimal string, got ${describe(value)}`);
  }
  return Number(value);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
