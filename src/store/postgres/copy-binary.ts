/**
 * Encodes candle columns as a PostgreSQL binary COPY stream of 11 float8 fields per row:
 * a straight big-endian copy of each Float64Array value, with no number-to-text formatting.
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
import { CANDLE_FIELDS, type CandleColumns } from '../../core/candle.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8; // + flags int32 + header extension length int32
const FIELDS = CANDLE_FIELDS.length;
const ROW = 2 + FIELDS * (4 + 8);

export function encodeCandlesCopyBinary(c: CandleColumns): Buffer {
  const buf = Buffer.allocUnsafe(HEADER + c.length * ROW + 2);
  SIGNATURE.copy(buf, 0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setInt32(SIGNATURE.length, 0);
  view.setInt32(SIGNATURE.length + 4, 0);
  const columns = CANDLE_FIELDS.map((f) => c[f]);
  let o = HEADER;
  for (let i = 0; i < c.length; i++) {
    view.setInt16(o, FIELDS);
    o += 2;
    for (let f = 0; f < FIELDS; f++) {
      view.setInt32(o, 8);
      view.setFloat64(o + 4, (columns[f] as Float64Array)[i] as number);
      o += 12;
    }
  }
  view.setInt16(o, -1);
  return buf;
}
