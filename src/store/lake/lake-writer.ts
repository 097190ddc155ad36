/**
 * The lake writer: normalised events into Parquet files under kind/exchange/symbol/date, each
 * row with a global arrival sequence (assigned here, or given by the caller). Events wait in
 * bounded buffers, one per partition; a flush writes every buffer as one file named by its first
 * and last sequence and published atomically (lake-file.ts).
 *
 * Restart: the highest sequence on disk is found from the file names, so sequences continue
 * where the last published file ended. Events still buffered at a crash are lost to the lake; a
 * caller that re-sends them with their sequences gets each one stored once: an event at or below
 * its partition's highest stored sequence is skipped (write returns null).
 *
 * A flush that fails (full disk, unwritable path) stops the writer: every later call throws the
 * same StoreError, and every file published before it stays as it was.
 */
import { mkdir, rm } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { BadInputError, StoreError } from '../../core/errors.js';
import { DAY_MS } from '../../core/intervals.js';
import { utcDate } from '../../core/time.js';
import type { MarketEvent } from '../../core/market-events.js';
import { fileName, partitionDir, partitionKey, type LakeFile, type Partition } from './lake-layout.js';
import { publishParquet } from './lake-file.js';
import { listPartition, listPartitions } from './lake-scan.js';
import { eventsChunk } from './lake-chunks.js';
import { columnsDdl } from './lake-schema.js';
import { checkWriterSettings, DEFAULT_LAKE_WRITER_SETTINGS, type LakeWriterSettings } from './lake-settings.js';
import { validateLakeEvent } from './lake-validate.js';

/** DuckDB's vector size: the most rows one data chunk carries. */
const CHUNK_ROWS = 2048;

interface Buffer {
  partition: Partition;
  seqs: number[];
  events: MarketEvent[];
}

export interface PublishedFile extends LakeFile {
  partition: Partition;
  rows: number;
}

export interface LakeWriterOptions extends Partial<LakeWriterSettings> {
  /** Called after each file is published (durable): for metrics and tests. */
  onPublish?: (file: PublishedFile) => void;
  /** Test-only pause point: the file is written and fsynced under its temp name, not yet renamed. */
  beforeRename?: (tempPath: string) => Promise<void>;
}

const levelCount = (e: MarketEvent): number => (e.kind === 'book_snapshot' || e.kind === 'book_delta' ? e.bids.length + e.asks.length : 0);

export class LakeWriter {
  readonly settings: LakeWriterSettings;
  #buffers = new Map<string, Buffer>();
  #bufferedEvents = 0;
  #bufferedLevels = 0;
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #failure: StoreError | null = null;
  #closed = false;
  /** Highest sequence assigned, accepted or found on disk. */
  #last: number;
  /** Highest caller-given sequence this session (they must rise). */
  #lastGiven = 0;
  /** The UTC day of the last event and its YYYY-MM-DD (formatting a Date per event costs). */
  #day = NaN;
  #date = '';

  private constructor(
    readonly root: string,
    settings: LakeWriterSettings,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly partitionMax: Map<string, number>,
    last: number,
    private readonly onPublish: ((file: PublishedFile) => void) | undefined,
    private readonly beforeRename: ((tempPath: string) => Promise<void>) | undefined,
  ) {
    this.settings = settings;
    this.#last = last;
  }

  /** Opens a writer on `root` (created if missing), removing leftover temp files of a crashed flush. */
  static async open(root: string, options: LakeWriterOptions = {}): Promise<LakeWriter> {
    const { onPublish, beforeRename, ...rest } = options;
    const settings = checkWriterSettings({ ...DEFAULT_LAKE_WRITER_SETTINGS, ...rest });
    const partitionMax = new Map<string, number>();
    let last = 0;
    try {
      await mkdir(root, { recursive: true });
      for (const p of await listPartitions(root)) {
        const listing = await listPartition(root, p);
        for (const temp of listing.temps) await rm(temp, { force: true });
        const top = listing.files.at(-1);
        if (top) {
          partitionMax.set(partitionKey(p), top.last);
          last = Math.max(last, top.last);
        }
      }
    } catch (err) {
      throw new StoreError(`lake: cannot open ${root}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    return new LakeWriter(root, settings, instance, conn, partitionMax, last, onPublish, beforeRename);
  }

  /** Highest sequence assigned, accepted or found on disk when opened. */
  get lastSequence(): number {
    return this.#last;
  }

  get bufferedEvents(): number {
    return this.#bufferedEvents;
  }

  /**
   * Buffers one event, flushing first when a bound is reached. Without `sequence` the next one
   * is assigned; a caller-given one must be a positive safe integer above the last it gave.
   * Returns the event's sequence, or null when its partition already holds that sequence on disk.
   */
  async write(event: MarketEvent, sequence?: number): Promise<number | null> {
    this.#throwIfStopped();
    validateLakeEvent(event);
    const day = Math.floor(event.receivedAt / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#date = utcDate(event.receivedAt);
    }
    const partition: Partition = { kind: event.kind, exchange: event.exchange, symbol: event.symbol, date: this.#date };
    const key = partitionKey(partition);
    let seq: number;
    if (sequence === undefined) {
      seq = this.#last + 1;
    } else {
      if (!Number.isSafeInteger(sequence) || sequence < 1) throw new BadInputError(`lake: sequence must be a positive safe integer, got ${sequence}`);
      if (sequence <= this.#lastGiven) throw new BadInputError(`lake: sequence ${sequence} is not above the last given, ${this.#lastGiven}`);
      if (sequence <= (this.partitionMax.get(key) ?? 0)) {
        this.#lastGiven = sequence;
        return null;
      }
      const buffered = this.#buffers.get(key)?.seqs.at(-1) ?? 0;
      if (sequence <= buffered) throw new BadInputError(`lake: sequence ${sequence} is not above ${buffered}, already buffered for ${key}`);
      this.#lastGiven = sequence;
      seq = sequence;
    }
    if (seq > this.#last) this.#last = seq;
    let buffer = this.#buffers.get(key);
    if (!buffer) {
      buffer = { partition, seqs: [], events: [] };
      this.#buffers.set(key, buffer);
    }
    buffer.seqs.push(seq);
    buffer.events.push(event);
    this.#bufferedEvents++;
    this.#bufferedLevels += levelCount(event);
    if (this.#bufferedEvents >= this.settings.maxBufferedEvents || this.#bufferedLevels >= this.settings.maxBufferedLevels) await this.flush();
    else if (!this.#timer) this.#timer = setTimeout(() => void this.flush().catch(() => undefined), this.settings.maxBufferAgeMs).unref();
    return seq;
  }

  /** Publishes every buffer now (one file per partition). Flushes run one at a time. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#flushNow());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /** Flushes and releases DuckDB. A stopped writer still releases it, then throws its error. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      if (this.#timer) clearTimeout(this.#timer);
      this.conn.closeSync();
      this.instance.closeSync();
    }
  }

  #throwIfStopped(): void {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new StoreError(`lake: the writer on ${this.root} is closed`);
  }

  async #flushNow(): Promise<void> {
    this.#throwIfStopped();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const buffers = [...this.#buffers.values()].sort((a, b) => (a.seqs[0] ?? 0) - (b.seqs[0] ?? 0));
    this.#buffers = new Map();
    this.#bufferedEvents = 0;
    this.#bufferedLevels = 0;
    for (const buffer of buffers) {
      try {
        await this.#publish(buffer);
      } catch (err) {
        this.#failure = err instanceof StoreError ? err : new StoreError(`lake: flush failed: ${String(err)}`, { cause: err });
        throw this.#failure;
      }
    }
  }

  async #publish(buffer: Buffer): Promise<void> {
    const { partition, seqs, events } = buffer;
    const first = seqs[0];
    const last = seqs[seqs.length - 1];
    if (first === undefined || last === undefined) return;
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE lake_stage (${columnsDdl(partition.kind)})`);
    const appender = await this.conn.createAppender('lake_stage', 'main', 'temp');
    try {
      for (let start = 0; start < events.length; start += CHUNK_ROWS) {
        appender.appendDataChunk(eventsChunk(partition.kind, seqs, events, start, Math.min(CHUNK_ROWS, events.length - start)));
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const path = await publishParquet(this.conn, 'SELECT * FROM lake_stage', partitionDir(this.root, partition), fileName(first, last), this.beforeRename);
    await this.conn.run('DROP TABLE lake_stage');
    const key = partitionKey(partition);
    this.partitionMax.set(key, Math.max(last, this.partitionMax.get(key) ?? 0));
    this.onPublish?.({ path, first, last, partition, rows: events.length });
  }
}
