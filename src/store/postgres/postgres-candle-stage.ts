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
import { KeptBuffers } from '../../core/kept-buffers.js';
import { CANDLE_COLUMNS } from '../sql/candle-sql.js';
import type { CandleSource } from '../../core/candle.js';
import { CANDLES_COPY_COLUMNS, encodeCandlesCopyBinary, encodeCandlesRowsCopyBinary, type CopyBufferSource } from './copy-binary.js';

export const PG_STAGE = 'candle_stage';

/** Encodings up to this size (a REST page is 148 kB) take a fresh Buffer and are not kept. */
const KEEP_ABOVE = 1 << 20;
/** A kept buffer holds at least a 31-day month of 1m rows (6.6 MB), so one serves every month. */
const KEPT_MIN = 7 << 20;
/** Encode buffers no COPY uses, kept for the next writes: at most two, the writes at once. */
const spare = new KeptBuffers<Buffer>(2, (b) => b.length);

/**
 * Encodes with `encode` into a kept buffer and streams it into `sql` (a `COPY … FROM STDIN`).
 * A fresh Buffer per file (6.6 MB for a month of 1m rows) made V8 run a full collection every
 * few files on the external memory alone: 14.3 s of the main thread in a 30 × 24 PostgreSQL
 * backfill. The buffer is kept again only once its COPY completed, when the server has every
 * byte of it; after a failure it is left to the collector.
 */
async function copyEncoded(client: pg.PoolClient, sql: string, encode: (take: CopyBufferSource) => Buffer): Promise<number> {
  let held: Buffer | undefined;
  const take: CopyBufferSource = (size) => {
    if (size <= KEEP_ABOVE) return Buffer.allocUnsafe(size);
    held = spare.take(size) ?? Buffer.allocUnsafe(Math.max(KEPT_MIN, size));
    return held;
  };
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from([encode(take)]), stream);
  if (held !== undefined) spare.give(held);
  return stream.rowCount;
}

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
  await copyEncoded(client, `COPY ${PG_STAGE} FROM STDIN (FORMAT binary)`, (take) => encodeCandlesCopyBinary(c, undefined, take));
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
  return copyEncoded(client, `COPY candles (${CANDLES_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`, (take) => encodeCandlesRowsCopyBinary(seriesId, source, c, take));
}
