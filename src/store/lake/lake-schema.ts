/**
 * The Parquet columns of each kind. Every file starts with `seq` (the lake's arrival sequence),
 * `received_at` and `exchange_time` (epoch ms, DOUBLE so any number comes back bit for bit,
 * fractions of a millisecond included). Exchange and symbol are not columns: they are the
 * partition path, which hive partitioning turns back into columns. Book levels are one LIST of
 * STRUCT(price, quantity) per side (measured against two parallel lists: docs/LAKE.md).
 */
import { BIGINT, BOOLEAN, DOUBLE, LIST, STRUCT, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { BookLevel, MarketEvent, MarketEventKind } from '../../core/market-events.js';

/** A scalar column reads its value off the event; a levels column is one side of a book. */
export type LakeColumn =
  | { name: string; sql: string; type: DuckDBType; levels?: undefined; value: (e: MarketEvent) => DuckDBValue }
  | { name: string; sql: string; type: DuckDBType; levels: (e: MarketEvent) => readonly BookLevel[]; value?: undefined };

const LEVEL_TYPE = LIST(STRUCT({ price: DOUBLE, quantity: DOUBLE }));
const LEVELS_SQL = 'STRUCT(price DOUBLE, quantity DOUBLE)[]';

// Each accessor is only ever called with events of its column's kind (the writer's buffers are per
// partition, and kind is part of the partition); the narrowing below states that, never guesses.
type Of<K extends MarketEventKind> = Extract<MarketEvent, { kind: K }>;
function of<K extends MarketEventKind>(kind: K, e: MarketEvent): Of<K> {
  if (e.kind !== kind) throw new Error(`unreachable: a ${e.kind} event in a ${kind} column`);
  return e as Of<K>;
}
const big = (v: number | null): bigint | null => (v === null ? null : BigInt(v));

function scalar(name: string, sql: string, type: DuckDBType, value: (e: MarketEvent) => DuckDBValue): LakeColumn {
  return { name, sql, type, value };
}

function bookSides(kind: 'book_snapshot' | 'book_delta'): LakeColumn[] {
  return [
    { name: 'bids', sql: LEVELS_SQL, type: LEVEL_TYPE, levels: (e) => of(kind, e).bids },
    { name: 'asks', sql: LEVELS_SQL, type: LEVEL_TYPE, levels: (e) => of(kind, e).asks },
  ];
}

/** `seq` is filled by the writer; its accessor is never called. */
const COMMON: LakeColumn[] = [
  scalar('seq', 'BIGINT', BIGINT, () => null),
  scalar('received_at', 'DOUBLE', DOUBLE, (e) => e.receivedAt),
  scalar('exchange_time', 'DOUBLE', DOUBLE, (e) => e.exchangeTime),
];

const candleField = (name: string, f: 'open' | 'high' | 'low' | 'close' | 'volume' | 'quoteVolume' | 'takerBuyBase' | 'takerBuyQuote'): LakeColumn =>
  scalar(name, 'DOUBLE', DOUBLE, (e) => of('candle', e).candle[f]);
const candleInt = (name: string, f: 'openTime' | 'closeTime' | 'trades'): LakeColumn => scalar(name, 'BIGINT', BIGINT, (e) => BigInt(of('candle', e).candle[f]));

export const LAKE_COLUMNS: Record<MarketEventKind, readonly LakeColumn[]> = {
  trade: [
    ...COMMON,
    scalar('trade_id', 'VARCHAR', VARCHAR, (e) => of('trade', e).tradeId),
    scalar('price', 'DOUBLE', DOUBLE, (e) => of('trade', e).price),
    scalar('quantity', 'DOUBLE', DOUBLE, (e) => of('trade', e).quantity),
    scalar('taker_side', 'VARCHAR', VARCHAR, (e) => of('trade', e).takerSide),
  ],
  book_snapshot: [...COMMON, scalar('sequence', 'BIGINT', BIGINT, (e) => big(of('book_snapshot', e).sequence)), ...bookSides('book_snapshot')],
  book_delta: [
    ...COMMON,
    scalar('first_sequence', 'BIGINT', BIGINT, (e) => big(of('book_delta', e).firstSequence)),
    scalar('last_sequence', 'BIGINT', BIGINT, (e) => big(of('book_delta', e).lastSequence)),
    ...bookSides('book_delta'),
  ],
  candle: [
    ...COMMON,
    scalar('candle_interval', 'VARCHAR', VARCHAR, (e) => of('candle', e).interval),
    scalar('closed', 'BOOLEAN', BOOLEAN, (e) => of('candle', e).closed),
    candleInt('open_time', 'openTime'),
    candleField('open', 'open'),
    candleField('high', 'high'),
    candleField('low', 'low'),
    candleField('close', 'close'),
    candleField('volume', 'volume'),
    candleInt('close_time', 'closeTime'),
    candleField('quote_volume', 'quoteVolume'),
    candleInt('trades', 'trades'),
    candleField('taker_buy_base', 'takerBuyBase'),
    candleField('taker_buy_quote', 'takerBuyQuote'),
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
