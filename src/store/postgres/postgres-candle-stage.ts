/**
 * The fast half of a PostgreSQL candle write: the columns go into a per-session temp table with
 * one binary `COPY … FROM STDIN`; the upsert into `candles` is then one INSERT … SELECT.
 * @see https://www.postgresql.org/docs/current/sql-copy.html
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CandleColumns } from '../../core/candle.js';
import { CANDLE_COLUMNS } from '../sql/candle-sql.js';
import type { CandleSource } from '../../core/candle.js';
import { CANDLES_COPY_COLUMNS, encodeCandlesCopyBinary, encodeCandlesRowsCopyBinary } from './copy-binary.js';

export const PG_STAGE = 'candle_stage';

/** Clients whose session already has the temp table (it lives as long as the connection). */
const staged = new WeakSet<pg.PoolClient>();

/** Fills the stage with `c`; call inside the write's transaction (the stage empties on commit). */
export async function fillStage(client: pg.PoolClient, c: CandleColumns): Promise<void> {
  if (!staged.has(client)) {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${PG_STAGE} (${CANDLE_COLUMNS.map((col) => `${col} float8`).join(', ')}) ON COMMIT DELETE ROWS`,
    );
    staged.add(client);
  }
  const stream = client.query(copyFrom(`COPY ${PG_STAGE} FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from([encodeCandlesCopyBinary(c)]), stream);
}

/**
 * Call when the write's transaction rolls back: if it created the temp table, the rollback
 * dropped it again, so the next write on this client must create it anew.
 */
export function forgetStage(client: pg.PoolClient): void {
  staged.delete(client);
}

/**
 * Copies `c` straight into `candles`, for a range known to hold no rows: no staging pass. A row
 * that exists after all (a concurrent writer) makes COPY fail with unique_violation.
 */
export async function copyIntoCandles(client: pg.PoolClient, seriesId: number, source: CandleSource, c: CandleColumns): Promise<number> {
  const stream = client.query(copyFrom(`COPY candles (${CANDLES_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from([encodeCandlesRowsCopyBinary(seriesId, source, c)]), stream);
  return stream.rowCount;
}
