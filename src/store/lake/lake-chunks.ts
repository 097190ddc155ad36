/**
 * Events into DuckDB data chunks and back, column by column. Scalar columns go through the
 * node-api vectors; book levels, most of the bytes, are copied as flat Float64Arrays straight into
 * (and read straight out of) the list's child vectors: per-value calls cost 10x on deltas.
 * @see https://duckdb.org/docs/stable/clients/c/vector#list-vectors
 */
import { DuckDBDataChunk, DuckDBDoubleVector, DuckDBListVector, DuckDBStructVector, type DuckDBValue } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { StoreError } from '../../core/errors.js';
import { isInterval } from '../../core/intervals.js';
import type { BookLevel, MarketEvent, MarketEventKind, MarketRef } from '../../core/market-events.js';
import { columnTypes, LAKE_COLUMNS } from './lake-schema.js';

/** Rows `start .. start + n` of `events` (with their `seqs`) as one data chunk of their kind's columns. */
export function eventsChunk(kind: MarketEventKind, seqs: readonly number[], events: readonly MarketEvent[], start: number, n: number): DuckDBDataChunk {
  const chunk = DuckDBDataChunk.create(columnTypes(kind), n);
  LAKE_COLUMNS[kind].forEach((column, c) => {
    if (column.levels) {
      writeLevels(bindings.data_chunk_get_vector(chunk.chunk, c), events, start, n, column.levels);
    } else if (c === 0) {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) values[i] = BigInt(seqs[start + i] as number);
      bindings.copy_data_to_vector(bindings.data_chunk_get_vector(chunk.chunk, c), 0, values.buffer, 0, n * 8);
    } else if (column.sql === 'DOUBLE' && copyDoubles(chunk, c, events, start, n, column.value)) {
      // copied in one piece: a fresh chunk's vectors have no validity mask, every row is valid
    } else {
      const values: DuckDBValue[] = new Array<DuckDBValue>(n);
      for (let i = 0; i < n; i++) values[i] = c === 0 ? BigInt(seqs[start + i] as number) : column.value(events[start + i] as MarketEvent);
      chunk.setColumnValues(c, values);
    }
  });
  return chunk;
}

/** A DOUBLE column without NULLs in one memcpy; false (nothing written) if a value is NULL. */
function copyDoubles(chunk: DuckDBDataChunk, c: number, events: readonly MarketEvent[], start: number, n: number, value: (e: MarketEvent) => DuckDBValue): boolean {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value(events[start + i] as MarketEvent);
    if (typeof v !== 'number') return false;
    values[i] = v;
  }
  bindings.copy_data_to_vector(bindings.data_chunk_get_vector(chunk.chunk, c), 0, values.buffer, 0, n * 8);
  return true;
}

function writeLevels(vector: bindings.Vector, events: readonly MarketEvent[], start: number, n: number, side: (e: MarketEvent) => readonly BookLevel[]): void {
  const entries = new BigUint64Array(n * 2);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = side(events[start + i] as MarketEvent).length;
    entries[2 * i] = BigInt(total);
    entries[2 * i + 1] = BigInt(len);
    total += len;
  }
  const prices = new Float64Array(total);
  const quantities = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (const [price, quantity] of side(events[start + i] as MarketEvent)) {
      prices[k] = price;
      quantities[k++] = quantity;
    }
  }
  bindings.list_vector_reserve(vector, total);
  bindings.list_vector_set_size(vector, total);
  const struct = bindings.list_vector_get_child(vector);
  if (total > 0) {
    bindings.copy_data_to_vector(bindings.struct_vector_get_child(struct, 0), 0, prices.buffer, 0, total * 8);
    bindings.copy_data_to_vector(bindings.struct_vector_get_child(struct, 1), 0, quantities.buffer, 0, total * 8);
  }
  bindings.copy_data_to_vector(vector, 0, entries.buffer, 0, n * 16);
}

/** A file that does not hold what the lake wrote: named, never guessed around. */
function bad(where: string, what: string): never {
  throw new StoreError(`lake: ${where}: ${what}`);
}

function readLevels(list: DuckDBListVector, row: number, where: string): BookLevel[] {
  const struct = list.childVector;
  if (!(struct instanceof DuckDBStructVector)) return bad(where, 'book levels are not a list of structs');
  const prices = struct.entryVectorAt(0);
  const quantities = struct.entryVectorAt(1);
  if (!(prices instanceof DuckDBDoubleVector) || !(quantities instanceof DuckDBDoubleVector)) return bad(where, 'book levels are not DOUBLE');
  const offset = list.getEntryOffset(row);
  const len = list.getEntryLength(row);
  const out: BookLevel[] = new Array<BookLevel>(len);
  for (let j = 0; j < len; j++) {
    const price = prices.getItem(offset + j);
    const quantity = quantities.getItem(offset + j);
    if (price === null || quantity === null) return bad(where, 'a book level holds NULL');
    out[j] = [price, quantity];
  }
  return out;
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

/** A chunk read back (columns in LAKE_COLUMNS order) as the events it was written from. */
export function chunkEvents(kind: MarketEventKind, ref: MarketRef, chunk: DuckDBDataChunk, where: string): { seq: number; event: MarketEvent }[] {
  const columns = LAKE_COLUMNS[kind];
  const vectors = columns.map((_, c) => chunk.getColumnVector(c));
  const out: { seq: number; event: MarketEvent }[] = new Array(chunk.rowCount);
  for (let r = 0; r < chunk.rowCount; r++) {
    const v = (c: number): DuckDBValue => vectors[c]?.getItem(r) ?? null;
    const levels = (c: number): BookLevel[] => {
      const list = vectors[c];
      return list instanceof DuckDBListVector ? readLevels(list, r, where) : bad(where, `${columns[c]?.name} is not a list`);
    };
    const base = { exchange: ref.exchange, symbol: ref.symbol, receivedAt: num(v(1), where, 'received_at'), exchangeTime: numOrNull(v(2), where, 'exchange_time') };
    let event: MarketEvent;
    switch (kind) {
      case 'trade': {
        const side = v(6);
        if (side !== null && side !== 'buy' && side !== 'sell') bad(where, `taker_side is ${String(side)}`);
        event = { kind, ...base, tradeId: str(v(3), where, 'trade_id'), price: num(v(4), where, 'price'), quantity: num(v(5), where, 'quantity'), takerSide: side };
        break;
      }
      case 'book_snapshot':
        event = { kind, ...base, bids: levels(4), asks: levels(5), sequence: numOrNull(v(3), where, 'sequence') };
        break;
      case 'book_delta':
        event = { kind, ...base, bids: levels(5), asks: levels(6), firstSequence: numOrNull(v(3), where, 'first_sequence'), lastSequence: numOrNull(v(4), where, 'last_sequence') };
        break;
      case 'candle': {
        const interval = str(v(3), where, 'candle_interval');
        if (!isInterval(interval)) bad(where, `candle_interval ${interval} is not a known interval`);
        const closed = v(4);
        if (typeof closed !== 'boolean') bad(where, `closed is ${String(closed)}`);
        const n = (c: number): number => num(v(c), where, columns[c]?.name ?? '');
        const candle = {
          openTime: n(5), open: n(6), high: n(7), low: n(8), close: n(9), volume: n(10), closeTime: n(11), quoteVolume: n(12), trades: n(13), takerBuyBase: n(14), takerBuyQuote: n(15),
        };
        event = { kind, ...base, interval, candle, closed };
        break;
      }
    }
    out[r] = { seq: num(v(0), where, 'seq'), event };
  }
  return out;
}
