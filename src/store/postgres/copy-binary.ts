/**
 * Encodes candle columns as PostgreSQL binary COPY data: big-endian copies of the Float64Array
 * values, with no number-to-text formatting. Two row shapes: the 11 float8 fields of the staging
 * table, and the full `candles` row (series id, int8 times and trades, float8 values, source rank).
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
import { CANDLE_FIELDS, SOURCE_RANK, type CandleColumns, type CandleSource } from '../../core/candle.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8; // + flags int32 + header extension length int32
const INT8_FIELDS = new Set<string>(['openTime', 'closeTime', 'trades']);
const TWO_POW_32 = 4_294_967_296;

/** Where an encoder writes: a Buffer of at least `size` bytes (the encoding is a prefix of it). */
export type CopyBufferSource = (size: number) => Buffer;

const allocate: CopyBufferSource = (size) => Buffer.allocUnsafe(size);

function begin(size: number, take: CopyBufferSource): { buf: Buffer; view: DataView } {
  const buf = take(size).subarray(0, size);
  SIGNATURE.copy(buf, 0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setInt32(SIGNATURE.length, 0);
  view.setInt32(SIGNATURE.length + 4, 0);
  return { buf, view };
}

/**
 * Rows of 11 float8 fields in CANDLE_FIELDS order (the staging table's shape), with a 12th
 * field per row when `minutes` is given (the shape candle reads return).
 */
export function encodeCandlesCopyBinary(c: CandleColumns, minutes?: Float64Array, take = allocate): Buffer {
  const columns = [...CANDLE_FIELDS.map((f) => c[f]), ...(minutes ? [minutes] : [])];
  const fields = columns.length;
  const row = 2 + fields * 12;
  const { buf, view } = begin(HEADER + c.length * row + 2, take);
  let o = HEADER;
  for (let i = 0; i < c.length; i++) {
    view.setInt16(o, fields);
    o += 2;
    for (const col of columns) {
      view.setInt32(o, 8);
      view.setFloat64(o + 4, col[i] as number);
      o += 12;
    }
  }
  view.setInt16(o, -1);
  return buf;
}

/** Column list of the `candles` rows that encodeCandlesRowsCopyBinary produces, in order. */
export const CANDLES_COPY_COLUMNS =
  'series_id, open_time, open, high, low, close, volume, close_time, quote_volume, trades, taker_buy_base, taker_buy_quote, source';

/** Full `candles` rows: series id (int4), the 11 values (int8 where stored so), source rank (int2). */
export function encodeCandlesRowsCopyBinary(seriesId: number, source: CandleSource, c: CandleColumns, take = allocate): Buffer {
  const prefix = Buffer.concat([int32(4), int32(seriesId)]);
  const suffix = Buffer.alloc(6);
  suffix.writeInt32BE(2, 0);
  suffix.writeInt16BE(SOURCE_RANK[source], 4);
  const fieldCount = 1 + CANDLE_FIELDS.length + 1;
  const row = 2 + prefix.length + CANDLE_FIELDS.length * 12 + suffix.length;
  const { buf, view } = begin(HEADER + c.length * row + 2, take);
  const columns = CANDLE_FIELDS.map((f) => ({ values: c[f], int8: INT8_FIELDS.has(f) }));
  let o = HEADER;
  for (let i = 0; i < c.length; i++) {
    view.setInt16(o, fieldCount);
    o += 2;
    prefix.copy(buf, o);
    o += prefix.length;
    for (const { values, int8 } of columns) {
      view.setInt32(o, 8);
      const v = values[i] as number;
      if (int8) {
        // Exact for integers below 2^53, without a BigInt per value.
        const hi = Math.floor(v / TWO_POW_32);
        view.setInt32(o + 4, hi);
        view.setUint32(o + 8, v - hi * TWO_POW_32);
      } else {
        view.setFloat64(o + 4, v);
      }
      o += 12;
    }
    suffix.copy(buf, o);
    o += suffix.length;
  }
  view.setInt16(o, -1);
  return buf;
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n, 0);
  return b;
}
