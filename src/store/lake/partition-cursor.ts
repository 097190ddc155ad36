/**
 * One partition read in sequence order, one DuckDB data chunk (≤ 2048 rows) at a time. The
 * directory is listed again before each next file, and rows at or below the last one returned
 * are filtered out, so a compaction that swaps small files for a merged one under the reader
 * changes nothing it yields.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import { StoreError } from '../../core/errors.js';
import type { MarketEvent } from '../../core/market-events.js';
import type { LakeFile, Partition } from './lake-layout.js';
import { sqlPath } from './lake-file.js';
import { listPartition } from './lake-scan.js';
import { chunkEvents } from './lake-chunks.js';
import { columnNames } from './lake-schema.js';

export interface SequencedEvent {
  /** The lake's global arrival sequence. */
  seq: number;
  event: MarketEvent;
}

/** How often a file that vanished between listing and opening (a compaction) is looked up again. */
const RELIST_ATTEMPTS = 5;

export class PartitionCursor {
  /** The next event, once `advance` has run; null at the end. */
  head: SequencedEvent | null = null;
  /** A lower bound of this partition's next sequence before it is opened: its first file's first. */
  readonly firstKnown: number;
  #conn: DuckDBConnection | null = null;
  #result: DuckDBResult | null = null;
  #file: LakeFile | null = null;
  #rows: SequencedEvent[] = [];
  #next = 0;
  #lastSeq = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly root: string,
    readonly partition: Partition,
    firstFile: LakeFile,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.firstKnown = firstFile.first;
  }

  /** Moves `head` to the partition's next event in range, or to null. */
  async advance(): Promise<void> {
    for (;;) {
      const row = this.#rows[this.#next];
      if (row) {
        this.#next++;
        if (row.seq <= this.#lastSeq) throw new StoreError(`lake: ${this.#file?.path}: sequence ${row.seq} after ${this.#lastSeq}`);
        this.#lastSeq = row.seq;
        this.head = row;
        return;
      }
      if (this.#result) {
        const chunk = await this.#result.fetchChunk();
        if (chunk && chunk.rowCount > 0) {
          const where = this.#file?.path ?? '';
          this.#rows = chunkEvents(this.partition.kind, this.partition, chunk, where);
          this.#next = 0;
          continue;
        }
        this.#result = null;
        // Every row of the file is behind us, in range or not: never list it again.
        if (this.#file) this.#lastSeq = Math.max(this.#lastSeq, this.#file.last);
      }
      if (!(await this.#openNextFile())) {
        this.head = null;
        this.close();
        return;
      }
    }
  }

  close(): void {
    this.#result = null;
    this.#conn?.closeSync();
    this.#conn = null;
  }

  async #openNextFile(): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const { files } = await listPartition(this.root, this.partition);
      const file = files.find((f) => f.last > this.#lastSeq);
      if (!file) return false;
      this.#conn ??= await this.instance.connect();
      try {
        // Files are written in sequence order and a single-file scan keeps that order, so no
        // ORDER BY (which would buffer the whole file); advance() checks the order instead.
        this.#result = await this.#conn.stream(
          `SELECT ${columnNames(this.partition.kind)} FROM read_parquet(${sqlPath(file.path)}) WHERE seq > $1 AND received_at >= $2 AND received_at < $3`,
          [BigInt(this.#lastSeq), this.from, this.to],
        );
        this.#file = file;
        this.#rows = [];
        this.#next = 0;
        return true;
      } catch (err) {
        const gone = err instanceof Error && /No such file|No files found|not exist/i.test(err.message);
        if (gone && attempt < RELIST_ATTEMPTS) continue;
        throw new StoreError(`lake: cannot read ${file.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  }
}
