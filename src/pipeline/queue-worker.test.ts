import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../core/intervals.js';
import { parseTime } from '../core/time.js';
import type { Store } from '../store/store.js';
import { ARCHIVE_FILE_JOB, archiveFileJobId, encodeArchiveFileJob, type ArchiveFileJob } from './archive-file-job.js';
import { runBackfillJob } from './backfill-job.js';
import { QueuedFileLoader } from './queued-file-loader.js';
import { runQueueWorker, type QueueWorkerSummary } from './queue-worker.js';
import type { Sources } from './sources.js';
import { FakeSources, monthlyFiles } from './test-support/fake-sources.js';
import { MemoryJobQueue } from './test-support/memory-job-queue.js';
import { silentLogger, tempStore } from './test-support/temp-store.js';

const H1: Interval = '1h';
const JAN = parseTime('2020-01-01');
const SYMBOLS = ['AAAUSDT', 'BBBUSDT'];
const series = (symbol: string) => ({ exchange: 'binance', symbol, interval: H1 });

function sources(): FakeSources {
  const src = new FakeSources(parseTime('2020-04-10T05:30:00Z'));
  for (const s of SYMBOLS) {
    src.symbols.set(s, { listedAt: JAN });
    src.files.set(s, monthlyFiles(s, H1, JAN, 3));
  }
  return src;
}

/** Runs a worker on `queue` until `until()` holds (checked every 10 ms), then stops it. */
async function workUntil(store: Store, src: Sources, queue: MemoryJobQueue, until: () => boolean, concurrency = 2): Promise<QueueWorkerSummary> {
  const stop = new AbortController();
  const worker = runQueueWorker(store, src, silentLogger, queue, { concurrency, signal: stop.signal });
  while (!until()) await new Promise((r) => setTimeout(r, 10));
  stop.abort();
  return worker;
}

/** A job for the first file of AAAUSDT, for the backfill job `backfillJobId` of `run`. */
function firstFileJob(src: FakeSources, run: string, backfillJobId: number): ArchiveFileJob {
  const file = src.files.get('AAAUSDT')![0]!;
  return { run, backfillJobId, series: series('AAAUSDT'), file, keepFrom: JAN, reason: 'new' };
}

describe('queue worker', () => {
  let store: Store;
  let src: FakeSources;
  let queue: MemoryJobQueue;
  beforeEach(async () => {
    store = await tempStore();
    src = sources();
    queue = new MemoryJobQueue();
  });
  afterEach(() => store.close());

  test('backfill through a queue - workers load the files, the backfill the REST tail; the store equals an in-process backfill', async () => {
    const reference = await tempStore();
    try {
      await runBackfillJob(reference, sources(), silentLogger, { symbols: SYMBOLS, interval: H1 });
      const stop = new AbortController();
      const worker = runQueueWorker(store, src, silentLogger, queue, { concurrency: 2, signal: stop.signal });
      const loader = new QueuedFileLoader(queue, store, silentLogger);
      const { results } = await runBackfillJob(store, src, silentLogger, { symbols: SYMBOLS, interval: H1, queue: loader }).finally(() => loader.stop());
      stop.abort();
      const summary = await worker;

      assert.equal(summary.loaded, 6, 'every monthly file loaded by the worker');
      assert.deepEqual(queue.settled, Array<string>(6).fill('ack'));
      assert.equal(queue.pending, 0);
      for (const r of results) {
        assert.equal(r.archiveFiles, 3);
        assert.ok(r.restRows > 0, `${r.symbol}: the REST tail after March was fetched by the backfill`);
      }
      for (const s of SYMBOLS) {
        assert.deepEqual(await store.readCandles(series(s), 0, Date.now()), await reference.readCandles(series(s), 0, Date.now()), `${s}: same rows`);
      }
      assert.deepEqual((await store.listManifest('data/')).map((m) => [m.key, m.rows]), (await reference.listManifest('data/')).map((m) => [m.key, m.rows]));
      // The file rows belong to the workers' jobs; the backfill's own job holds only its REST rows.
      const jobs = await store.listJobs(50);
      const fileJobs = jobs.filter((j) => j.kind === 'backfill-file');
      assert.equal(fileJobs.length, 6);
      assert.equal(fileJobs.reduce((n, j) => n + j.rows, 0), (await store.listManifest('data/')).reduce((n, m) => n + m.rows, 0));
    } finally {
      await reference.close();
    }
  });

  test('a job delivered again after its file was committed is acked as already loaded, with no second write', async () => {
    const run = 'r1';
    const backfill = await store.startJob('backfill', { queueRun: run });
    const job = firstFileJob(src, run, backfill);
    await queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), archiveFileJobId(job));
    // The same job again, as JetStream redelivers it when a worker died between commit and ack.
    await queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), 'redelivered');
    const summary = await workUntil(store, src, queue, () => queue.pending === 0, 1);
    assert.equal(summary.loaded, 1);
    assert.equal(summary.alreadyLoaded, 1);
    assert.equal(src.calls.loads, 1, 'the file was downloaded once');
    assert.deepEqual(queue.settled, ['ack', 'ack']);
    assert.equal((await store.listJobs(50)).filter((j) => j.kind === 'backfill-file').length, 1, 'one worker job wrote it');
    assert.equal((await store.countBySource(series('AAAUSDT'), JAN, parseTime('2020-02-01'))).archive, 31 * 24);
  });

  test('a job whose backfill is not in the worker\'s store is handed back, not done', async () => {
    const other = await store.startJob('backfill', { queueRun: 'another-run' });
    const job = firstFileJob(src, 'r1', other);
    await queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), archiveFileJobId(job));
    const summary = await workUntil(store, src, queue, () => queue.settled.length > 0, 1);
    assert.equal(summary.foreign, 1);
    assert.deepEqual(queue.settled, ['nak']);
    assert.equal(src.calls.loads, 0);
    assert.equal(queue.pending, 1, 'still queued for a worker of its store');
  });

  test('stopped during a download - the job is handed back and nothing of its file is stored', async () => {
    const backfill = await store.startJob('backfill', { queueRun: 'r1' });
    const job = firstFileJob(src, 'r1', backfill);
    src.loadDelayMs = 2_000;
    await queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), archiveFileJobId(job));
    const started = Date.now();
    const summary = await workUntil(store, src, queue, () => src.calls.loads === 1, 1);
    assert.ok(Date.now() - started < 1_500, 'the worker stopped without waiting for the download');
    assert.equal(summary.handedBack, 1);
    assert.deepEqual(queue.settled, ['nak']);
    assert.equal(await store.getManifest(job.file.key), null);
    assert.equal((await store.countBySource(series('AAAUSDT'), 0, Date.now())).archive, 0);
  });

  test('a store failure under a job hands it back and the worker goes on; the next delivery loads it', async () => {
    const backfill = await store.startJob('backfill', { queueRun: 'r1' });
    const job = firstFileJob(src, 'r1', backfill);
    await queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), archiveFileJobId(job));
    let failures = 1;
    const flaky = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getManifest' && failures > 0) {
          failures--;
          return () => Promise.reject(new Error('connection terminated'));
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const summary = await workUntil(flaky, src, queue, () => queue.pending === 0, 1);
    assert.deepEqual(queue.settled, ['nak', 'ack']);
    assert.equal(summary.handedBack, 1);
    assert.equal(summary.loaded, 1);
  });

  test('a malformed job is dropped and counted; a file the worker cannot load is rejected and the backfill says so', async () => {
    await queue.enqueue(ARCHIVE_FILE_JOB, new TextEncoder().encode('{"run":"r1","series":{}}'), 'bad');
    const failing: Sources = { ...src, archive: { ...src.archive, load: () => Promise.reject(new Error('checksum mismatch')) } };
    const stop = new AbortController();
    const worker = runQueueWorker(store, failing, silentLogger, queue, { concurrency: 1, signal: stop.signal });
    const loader = new QueuedFileLoader(queue, store, silentLogger);
    const { results } = await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1, queue: loader }).finally(() => loader.stop());
    stop.abort();
    const summary = await worker;
    assert.equal(summary.malformed, 1);
    assert.equal(summary.rejected, 3);
    assert.deepEqual(results[0]?.rejectedFiles, src.files.get('AAAUSDT')!.map((f) => f.key));
    assert.deepEqual(queue.settled, ['term', 'term', 'term', 'term']);
  });

  test('queued file loader - a file whose result never came is found done in the store', async () => {
    const silent = new MemoryJobQueue();
    silent.publishResult = () => Promise.resolve(); // results lost on the way
    const stop = new AbortController();
    const worker = runQueueWorker(store, src, silentLogger, silent, { concurrency: 1, signal: stop.signal });
    const loader = new QueuedFileLoader(silent, store, silentLogger);
    const backfill = await store.startJob('backfill', { queueRun: loader.run });
    const file = src.files.get('AAAUSDT')![0]!;
    const outcome = await loader.load(backfill, series('AAAUSDT'), file, 'new', JAN, new AbortController().signal).finally(() => loader.stop());
    stop.abort();
    await worker;
    assert.deepEqual(outcome, { key: file.key, status: 'already loaded', rows: 31 * 24, written: 0, bytes: 0 });
  });
});
