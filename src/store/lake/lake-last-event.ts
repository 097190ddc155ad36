/**
 * The newest event the lake holds of one market and kind (highest arrival sequence), read from
 * the last file of its newest dated partition: what a restarted stream process resumes after.
 * A flushed file is durable (fsynced, then renamed); events still in a killed writer's buffer were
 * never published, so they are not held and are not returned.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { StoreError } from '../../core/errors.js';
import type { MarketEvent, MarketEventKind, MarketRef } from '../../core/market-events.js';
import { sqlPath } from './lake-file.js';
import { chunkEvents } from './lake-chunks.js';
import { listPartition, listPartitions } from './lake-scan.js';
import { columnNames } from './lake-schema.js';

/** The market's newest event of `kind` in the lake at `root`, with its sequence; null when it holds none. */
export async function lastLakeEvent(root: string, kind: MarketEventKind, ref: MarketRef): Promise<{ seq: number; event: MarketEvent } | null> {
  const partitions = (await listPartitions(root, { kinds: [kind], exchanges: [ref.exchange], symbols: [ref.symbol] })).filter((p) => p.symbol === ref.symbol);
  // Newest day first; a day whose files were all aged out leaves an empty directory.
  partitions.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  for (const p of partitions) {
    const file = (await listPartition(root, p)).files.at(-1);
    if (!file) continue;
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const result = await conn.run(`SELECT ${columnNames(kind)} FROM read_parquet(${sqlPath(file.path)}) ORDER BY seq DESC LIMIT 1`);
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) continue;
      return chunkEvents(kind, p, chunk, file.path)[0] ?? null;
    } catch (err) {
      throw new StoreError(`lake: cannot read the newest ${kind} of ${ref.exchange}:${ref.symbol} in ${file.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }
  return null;
}
