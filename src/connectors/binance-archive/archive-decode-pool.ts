/**
 * Verify + extract + parse of archive zips (`decodeArchiveFile`) on worker threads. The backfill
 * drives its store writes from the main thread (DuckDB's appender flush runs there, and every
 * statement's completion is handled there); a 40 ms parse on that thread held the writer up
 * whenever a statement finished during it, which cost the 30 × 24 scale backfill about as much
 * time as all the parsing. On a worker the parse runs beside the writes, on the other core.
 *
 * Each worker decodes one file at a time; files wait in a FIFO queue. An idle worker does not
 * keep the process alive. A worker that dies fails the file it held and is replaced on demand.
 * Columns handed back with `release` go with a later file to a worker, which parses into them
 * (column-buffers.ts says why).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Buffers smaller than this may come from Node's shared allocation pool (Buffer.poolSize is 8 KiB; a slice is at most half). */
const POOL_SIZE_LIMIT = 8192;
import { BadArchiveError, ChecksumMismatchError } from '../../core/errors.js';
import type { Interval } from '../../core/intervals.js';
import type { ArchiveObject } from './archive-client.js';
import type { ArchiveChecksum } from './checksum.js';
import type { DecodeErrorFields, DecodeReply, DecodeRequest } from './decode-messages.js';
import type { CandleColumns } from '../../core/candle.js';
import { reusableBuffers } from './column-buffers.js';
import type { ArchiveMarket } from './kline-csv.js';
import type { LoadedArchiveFile } from './load-archive-file.js';

/** Worker threads when the caller does not say: one core is left to the main thread and the store. */
export function defaultDecodeThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Job {
  request: DecodeRequest;
  resolve: (file: LoadedArchiveFile) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/**
 * The worker's entry. Run through tsx (tests, benchmarks) this module is a `.ts` file, and a
 * worker thread does not inherit tsx's loader, so the worker registers it before importing its
 * entry; the built package runs the compiled `.js` directly.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./decode-worker.js', import.meta.url);
  const entry = new URL('./decode-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** The error class `decodeArchiveFile` threw in the worker, with its message and fields. */
function revive(e: DecodeErrorFields, key: string): Error {
  const err = e.name === 'BadArchiveError' ? new BadArchiveError(key, '', e.row) : e.name === 'ChecksumMismatchError' ? new ChecksumMismatchError(key, '', '') : new Error('');
  err.message = e.message;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/** The body's ArrayBuffer, to transfer, when the body spans all of it and nothing else can see it. */
function ownedBuffer(body: Uint8Array): ArrayBuffer[] {
  const buf = body.buffer;
  return buf instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === buf.byteLength && body.byteLength >= POOL_SIZE_LIMIT ? [buf] : [];
}

export class ArchiveDecodePool {
  readonly threads: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;
  /** Column buffers handed back, waiting for a file to go with. */
  readonly #returned: ArrayBuffer[][] = [];
  #reused = 0;

  constructor(threads: number = defaultDecodeThreads()) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`an archive decode pool needs at least 1 thread, got ${threads}`);
    this.threads = threads;
  }

  /**
   * `decodeArchiveFile` on a worker thread: the same result, or the same error class and message.
   * A body of 8 KiB or more that spans its whole ArrayBuffer (as a download's does) is handed to
   * the worker, not copied, and is empty here afterwards: do not read it again.
   */
  decode(zip: ArchiveObject, checksum: ArchiveChecksum, key: string, interval: Interval, market: ArchiveMarket, ingestedAt: number): Promise<LoadedArchiveFile> {
    if (this.#closed) return Promise.reject(new Error('the archive decode pool is closed'));
    // A small Buffer may share its memory with others (Node's pool), so only a large one spanning
    // its whole ArrayBuffer is transferred.
    const request: DecodeRequest = { id: this.#nextId++, body: zip.body, lastModified: zip.lastModified, checksum, key, interval, market, ingestedAt };
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  /** Files sent to a worker with handed-back columns to parse into. */
  get reused(): number {
    return this.#reused;
  }

  /**
   * Hands back the columns of a decoded file once nothing reads them any more: their memory goes
   * to a worker with a later file, and they are empty here from then on. Columns that are not
   * eleven whole ArrayBuffers of one size (a view shared with other data) are left alone.
   */
  release(columns: CandleColumns): void {
    const set = reusableBuffers(columns);
    if (this.#closed || set === null || this.#returned.length >= 2 * this.threads) return;
    if (this.#returned.some((s) => s[0] === set[0])) return; // handed back twice
    this.#returned.push(set);
  }

  /** Stops the workers; files still queued or decoding fail. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#returned.length = 0;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the archive decode pool closed'));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.job === null);
      if (slot === undefined && this.#slots.length < this.threads) slot = this.#spawn();
      if (slot === undefined) return;
      const job = this.#queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      const reuse = this.#returned.pop();
      if (reuse !== undefined) this.#reused++;
      const request = reuse === undefined ? job.request : { ...job.request, reuse };
      slot.worker.postMessage(request, [...ownedBuffer(job.request.body), ...(reuse ?? [])]);
    }
  }

  #spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerEntry()), job: null };
    slot.worker.on('message', (reply: DecodeReply) => {
      const job = slot.job;
      slot.job = null;
      slot.worker.unref();
      if (job !== null) {
        if (reply.ok) job.resolve({ candles: reply.candles, manifest: reply.manifest });
        else job.reject(revive(reply.error, job.request.key));
      }
      this.#dispatch();
    });
    const fail = (err: Error): void => {
      const i = this.#slots.indexOf(slot);
      if (i < 0) return; // already gone (an error is followed by its exit)
      this.#slots.splice(i, 1);
      slot.job?.reject(new Error(`${slot.job.request.key}: the archive decode worker failed: ${err.message}`, { cause: err }));
      slot.job = null;
      this.#dispatch();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }
}
