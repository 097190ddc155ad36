/**
 * Reads a candle query into Float64Array columns through `COPY (…) TO STDOUT (FORMAT binary)`:
 * every column (the candle fields and the minutes behind each bar) cast to float8, decoded with one DataView read per cell, no row objects.
 * COPY takes no bind parameters, so they are inlined as escaped literals.
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
import { escapeLiteral, type PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { allocateColumns, CANDLE_FIELDS } from '../../core/candle.js';
import { StoreError } from '../../core/errors.js';
import type { CandleQuery, CandleRows } from '../sql/candle-sql.js';
import type { SqlParam } from '../sql/sql-session.js';

const HEADER = 19; // signature (11) + flags (4) + header extension length (4)

function literal(p: SqlParam): string {
  if (p === null) return 'NULL';
  if (typeof p === 'boolean') return p ? 'TRUE' : 'FALSE';
  if (typeof p === 'number') {
    if (!Number.isFinite(p)) throw new StoreError(`cannot inline ${p} into a COPY query`);
    return String(p);
  }
  return escapeLiteral(p);
}

/** `q` with `$n` replaced by literals; the candle queries hold no `$` inside string constants. */
export function inlineParams(q: CandleQuery): string {
  return q.sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= q.params.length) throw new StoreError(`query refers to $${n} but has ${q.params.length} parameters`);
    return literal(q.params[i] ?? null);
  });
}

/** Decodes binary COPY data whose tuples are 12 non-null float8 fields: the candle fields, then minutes. */
export function decodeCandlesCopyBinary(buf: Buffer): CandleRows {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const fields = CANDLE_FIELDS.length + 1;
  const rowBytes = 2 + fields * 12;
  const rows = Math.max(0, Math.floor((buf.length - HEADER - 2) / rowBytes));
  const out = allocateColumns(rows);
  const minutes = new Float64Array(rows);
  const columns = [...CANDLE_FIELDS.map((f) => out[f]), minutes];
  let o = HEADER;
  for (let i = 0; i < rows; i++) {
    if (view.getInt16(o) !== fields) throw new StoreError(`COPY row ${i + 1} has ${view.getInt16(o)} fields, expected ${fields}`);
    o += 2;
    for (const col of columns) {
      if (view.getInt32(o) !== 8) throw new StoreError(`COPY row ${i + 1} has a NULL or non-float8 field`);
      col[i] = view.getFloat64(o + 4);
      o += 12;
    }
  }
  if (view.getInt16(o) !== -1) throw new StoreError(`COPY data did not end where ${fields} float8 fields per row say it should`);
  out.length = rows;
  return { candles: out, minutes };
}

export async function readCandleColumns(client: PoolClient, q: CandleQuery): Promise<CandleRows> {
  const names = [...CANDLE_FIELDS, 'minutes'].map((_, i) => `c${i}`);
  const select = `SELECT ${names.map((n) => `CAST(${n} AS float8)`).join(', ')} FROM (${inlineParams(q)}) AS q(${names.join(', ')})`;
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`));
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
  return decodeCandlesCopyBinary(Buffer.concat(parts));
}
