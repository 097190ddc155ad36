/**
 * The Parquet columns of each kind and the mapping between events and rows. Every file starts
 * with `seq` (the lake's arrival sequence), `received_at` and `exchange_time` (epoch ms, DOUBLE so
 * any number comes back bit for bit, fractions of a millisecond included). Exchange and symbol are
 * not columns: they are the partition path, which hive partitioning turns back into columns.
 * Book levels are one LIST of STRUCT(price, quantity) per side (measured against two parallel
 * lists: see docs/LAKE.md).
 */
import { BIGINT, BOOLEAN, DOUBLE, LIST, STRUCT, VARCHAR, listValue, structValue, DuckDBListValue, DuckDBStructValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { StoreError } from '../../core/errors.js';
import { isInterval } from '../../core/intervals.js';
import type { BookLevel, MarketEvent, MarketEventKind, MarketRef } from '../../core/market-events.js';

interface Column {
  name: string;
  sql: string;
  type: DuckDBType;
}

const LEVEL = STRUCT({ price: DOUBLE, quantity: DOUBLE });
const LEVELS_SQL = 'STRUCT(price DOUBLE, quantity DOUBLE)[]';
const col = (name: string, sql: string, type: DuckDBType): Column => ({ name, sql, type });

const COMMON = [col('seq', 'BIGINT', BIGINT), col('received_at', 'DOUBLE', DOUBLE), col('exchange_time', 'DOUBLE', DOUBLE)];
const BOOK_SIDES = [col('bids', LEVELS_SQL, LIST(LEVEL)), col('asks', LEVELS_SQL, LIST(LEVEL))];

export const LAKE_COLUMNS: Record<MarketEventKind, readonly Column[]> = {
  trade: [...COMMON, col('trade_id', 'VARCHAR', VARCHAR), col('price', 'DOUBLE', DOUBLE), col('quantity', 'DOUBLE', DOUBLE), col('taker_side', 'VARCHAR', VARCHAR)],
  book_snapshot: [...COMMON, col('sequence', 'BIGINT', BIGINT), ...BOOK_SIDES],
  book_delta: [...COMMON, col('first_sequence', 'BIGINT', BIGINT), col('last_sequence', 'BIGINT', BIGINT), ...BOOK_SIDES],
  candle: [
    ...COMMON,
    col('candle_interval', 'VARCHAR', VARCHAR),
    col('closed', 'BOOLEAN', BOOLEAN),
    col('open_time', 'BIGINT', BIGINT),
    col('open', 'DOUBLE', DOUBLE),
    col('high', 'DOUBLE', DOUBLE),
    col('low', 'DOUBLE', DOUBLE),
    col('close', 'DOUBLE', DOUBLE),
    col('volume', 'DOUBLE', DOUBLE),
    col('close_time', 'BIGINT', BIGINT),
    col('quote_volume', 'DOUBLE', DOUBLE),
    col('trades', 'BIGINT', BIGINT),
    col('taker_buy_base', 'DOUBLE', DOUBLE),
    col('taker_buy_quote', 'DOUBLE', DOUBLE),
  ],
};

export function columnsDdl(kind: MarketEventKind): string {
  return LAKE_COLUMNS[kind].map((c) => `"${c.name}" ${c.sql}`).join(', ');
}

export function columnNames(kind: MarketEventKind): string {
  return LAKE_COLUMNS[kind].map((c) => `"${c.name}"`).join(', ');
}

export function columnTypes(kind: MarketEventKind): DuckDBType[] {
  return LAKE_COLUMNS[kind].map((c) => c.type);
}

const bigOrNull = (v: number | null): bigint | null => (v === null ? null : BigInt(v));
const levelsValue = (levels: readonly BookLevel[]): DuckDBListValue => listValue(levels.map(([price, quantity]) => structValue({ price, quantity })));

/** An event (already validated) as a row in its kind's column order. */
export function eventRow(seq: number, e: MarketEvent): DuckDBValue[] {
  const head: DuckDBValue[] = [BigInt(seq), e.receivedAt, e.exchangeTime];
  switch (e.kind) {
    case 'trade':
      return [...head, e.tradeId, e.price, e.quantity, e.takerSide];
    case 'book_snapshot':
      return [...head, bigOrNull(e.sequence), levelsValue(e.bids), levelsValue(e.asks)];
    case 'book_delta':
      return [...head, bigOrNull(e.firstSequence), bigOrNull(e.lastSequence), levelsValue(e.bids), levelsValue(e.asks)];
    case 'candle': {
      const c = e.candle;
      return [...head, e.interval, e.closed, BigInt(c.openTime), c.open, c.high, c.low, c.close, c.volume, BigInt(c.closeTime), c.quoteVolume, BigInt(c.trades), c.takerBuyBase, c.takerBuyQuote];
    }
  }
}

/** A file that does not hold what the lake wrote: named, never guessed around. */
function bad(where: string, what: string): never {
  throw new StoreError(`lake: ${where}: ${what}`);
}

function num(v: DuckDBValue | undefined, where: string, name: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return bad(where, `${name} is ${String(v)}, not a number`);
}

function numOrNull(v: DuckDBValue | undefined, where: string, name: string): number | null {
  return v === null ? null : num(v, where, name);
}

function str(v: DuckDBValue | undefined, where: string, name: string): string {
  return typeof v === 'string' ? v : bad(where, `${name} is ${String(v)}, not a string`);
}

function levelsOf(v: DuckDBValue | undefined, where: string, name: string): BookLevel[] {
  if (!(v instanceof DuckDBListValue)) return bad(where, `${name} is not a list`);
  return v.items.map((item) => {
    if (!(item instanceof DuckDBStructValue)) return bad(where, `${name} holds a non-struct level`);
    return [num(item.entries.price, where, `${name} price`), num(item.entries.quantity, where, `${name} quantity`)] as const;
  });
}

/** A row read back (columns in LAKE_COLUMNS order) as the event it was written from. */
export function rowEvent(kind: MarketEventKind, ref: MarketRef, row: readonly DuckDBValue[], where: string): { seq: number; event: MarketEvent } {
  const seq = num(row[0], where, 'seq');
  const base = { exchange: ref.exchange, symbol: ref.symbol, receivedAt: num(row[1], where, 'received_at'), exchangeTime: numOrNull(row[2], where, 'exchange_time') };
  switch (kind) {
    case 'trade': {
      const side = row[6];
      if (side !== null && side !== 'buy' && side !== 'sell') bad(where, `taker_side is ${String(side)}`);
      return { seq, event: { kind, ...base, tradeId: str(row[3], where, 'trade_id'), price: num(row[4], where, 'price'), quantity: num(row[5], where, 'quantity'), takerSide: side } };
    }
    case 'book_snapshot':
      return { seq, event: { kind, ...base, bids: levelsOf(row[4], where, 'bids'), asks: levelsOf(row[5], where, 'asks'), sequence: numOrNull(row[3], where, 'sequence') } };
    case 'book_delta':
      return {
        seq,
        event: { kind, ...base, bids: levelsOf(row[5], where, 'bids'), asks: levelsOf(row[6], where, 'asks'), firstSequence: numOrNull(row[3], where, 'first_sequence'), lastSequence: numOrNull(row[4], where, 'last_sequence') },
      };
    case 'candle': {
      const interval = str(row[3], where, 'candle_interval');
      if (!isInterval(interval)) bad(where, `candle_interval ${interval} is not a known interval`);
      const closed = row[4];
      if (typeof closed !== 'boolean') bad(where, `closed is ${String(closed)}`);
      const n = (i: number, name: string): number => num(row[i], where, name);
      const candle = {
        openTime: n(5, 'open_time'), open: n(6, 'open'), high: n(7, 'high'), low: n(8, 'low'), close: n(9, 'close'), volume: n(10, 'volume'),
        closeTime: n(11, 'close_time'), quoteVolume: n(12, 'quote_volume'), trades: n(13, 'trades'), takerBuyBase: n(14, 'taker_buy_base'), takerBuyQuote: n(15, 'taker_buy_quote'),
      };
      return { seq, event: { kind, ...base, interval, candle, closed } };
    }
  }
}
