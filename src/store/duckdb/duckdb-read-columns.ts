/**
 * Reads a candle query straight into Float64Array columns: every result column is cast to
 * DOUBLE in the database, and each result chunk's vectors are copied out as raw bytes, with no
 * JS value per cell.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../../core/candle.js';
import type { CandleQuery } from '../sql/candle-sql.js';

export async function readCandleColumns(conn: DuckDBConnection, q: CandleQuery): Promise<CandleColumns> {
  // NOT NULL columns and aggregates over non-empty groups: no validity masks to honour.
  const result = await conn.run(`SELECT CAST(COLUMNS(*) AS DOUBLE) FROM (${q.sql}) AS q`, q.params.length ? q.params.slice() : undefined);
  if (result.columnCount !== CANDLE_FIELDS.length) throw new Error(`candle query returned ${result.columnCount} columns`);
  const chunks = await result.fetchAllChunks();
  const out = allocateColumns(chunks.reduce((n, c) => n + c.rowCount, 0));
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    CANDLE_FIELDS.forEach((field, f) => {
      const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk.chunk, f), n * 8);
      const target = out[field];
      new Uint8Array(target.buffer, target.byteOffset + out.length * 8, n * 8).set(bytes.subarray(0, n * 8));
    });
    out.length += n;
  }
  return out;
}
