import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../core/intervals.js';
import { parseTime } from '../core/time.js';
import type { Store } from '../store/store.js';
import { abortableSleep } from './abortable.js';
import { runBackfillJob } from './backfill-job.js';
import { QueuedFileLoader } from './queued-file-loader.js';
import { QueuedSeriesJobs } from './queued-series-jobs.js';
import { runQueueWorker, type QueueWorkerSummary } from './queue-worker.js';
import { runScheduler, type SchedulerOptions } from './scheduler.js';
import { decodeSeriesJobOutcome, encodeSeriesJob, seriesJobId, type SeriesJob, type SeriesJobOutcome } from './series-job.js';
import { FakeSources, monthlyFiles } from './test-support/fake-sources.js';
import { MemoryJobQueue } from './test-support/memory-job-queue.js';
import { silentLogger, tempStore } from './test-support/temp-store.js';

const H1: Interval = '1h';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const JAN = parseTime('2020-01-01');
const START = parseTime('2020-04-10T05:30:00Z');
const SYMBOLS = ['AAAUSDT', 'BBBUSDT'];
const series = (symbol: string) => ({ exchange: 'binance', symbol, interval: H1 });

function sources(): FakeSources {
  const src = new FakeSources(START);
  for (const s of SYMBOLS) {
    src.symbols.set(s, { listedAt: JAN });
    src.files.set(s, monthlyFiles(s, H1, JAN, 3));
  }
  return src;
}

/**
 * Scheduler options with 20-minute cycles on the fake clock, stopped at the first cycle ≥ 6 where
 * every symbol is synced 2 h past START and `alsoUntil` holds. The fake clock does not wait for
 * real work: a backfill on a loaded machine can still be running when the first hourly gaps and
 * reconcile come due, and a busy symbol is left out of them.
 */
function cycles(store: Store, src: FakeSources, stop: AbortController, alsoUntil: () => Promise<boolean> = () => Promise.resolve(true)): SchedulerOptions {
  let cycle = 0;
  return {
    interval: H1,
    universe: { top: 0, vsCurrency: 'usd', quotePreference: ['USDT'], manualSymbols: SYMBOLS },
    syncEveryMs: 20 * MINUTE,
    gapsEveryMs: HOUR,
    universeEveryMs: 24 * HOUR,
    sleep: async (ms, signal) => {
      src.now += ms;
      const last = await Promise.all(SYMBOLS.map((s) => store.lastOpenTime(series(s))));
      if (++cycle >= 6 && last.every((t) => t !== null && t >= START + 2 * HOUR) && (await alsoUntil())) stop.abort();
      await abortableSleep(5, signal);
    },
  };
}

async function workUntil(store: Store, src: FakeSources, queue: MemoryJobQueue, until: () => boolean, concurrency = 2): Promise<QueueWorkerSummary> {
  const stop = new AbortController();
  const worker = runQueueWorker(store, src, silentLogger, queue, { concurrency, signal: stop.signal });
  while (!until()) await new Promise((r) => setTimeout(r, 10));
  stop.abort();
  return worker;
}

/** Collects the results published for `run`. */
function collect(queue: MemoryJobQueue, run: string): SeriesJobOutcome[] {
  const out: SeriesJobOutcome[] = [];
  const feed = queue.results(run);
  void (async () => {
    for await (const b of feed) out.push(decodeSeriesJobOutcome(b));
  })();
  return out;
}

describe('queued sync, gaps and reconcile jobs', () => {
  let store: Store;
  let src: FakeSources;
  let queue: MemoryJobQueue;
  beforeEach(async () => {
    store = await tempStore();
    src = sources();
    queue = new MemoryJobQueue();
  });
  afterEach(() => store.close());

  test('up through a queue - a worker loads the backfill files and does the syncs, gaps and reconciles; the candles equal the in-process scheduler\'s', async () => {
    const reference = await tempStore();
    try {
      const refSrc = sources();
      const refStop = new AbortController();
      await runScheduler(reference, refSrc, silentLogger, cycles(reference, refSrc, refStop), refStop.signal);

      const workerStop = new AbortController();
      const worker = runQueueWorker(store, src, silentLogger, queue, { concurrency: 2, signal: workerStop.signal });
      const files = new QueuedFileLoader(queue, store, silentLogger);
      const syncs = new QueuedSeriesJobs(queue, store, silentLogger, 30_000);
      const stop = new AbortController();
      const afterSyncRows: number[] = [];
      /** Every symbol had its gaps and its reconcile queued at least once. */
      const gapsAndReconcileQueued = async (): Promise<boolean> => {
        const jobs = await store.listJobs(500);
        const queuedFor = (kind: string) => new Set(jobs.filter((j) => j.kind === kind).flatMap((j) => j.params.symbols as string[]));
        const [gaps, reconcile] = [queuedFor('gaps-cycle'), queuedFor('reconcile-cycle')];
        return SYMBOLS.every((s) => gaps.has(s) && reconcile.has(s));
      };
      try {
        await runScheduler(store, src, silentLogger, { ...cycles(store, src, stop, gapsAndReconcileQueued), queue: { files, series: syncs }, afterSync: (_now, sync) => void afterSyncRows.push(sync.rows) }, stop.signal);
        for (let i = 0; i < 500 && queue.pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
      } finally {
        files.stop();
        syncs.stop();
        workerStop.abort();
      }
      const summary = await worker;

      assert.equal(queue.pending, 0, 'every queued job was done');
      assert.equal(summary.loaded, 6, 'the worker loaded the 6 monthly files');
      assert.equal(summary.seriesFailed, 0);
      for (const s of SYMBOLS) {
        const [got, want] = [await store.lastOpenTime(series(s)), await reference.lastOpenTime(series(s))];
        assert.ok(got !== null && want !== null && got >= START + 2 * HOUR, `${s}: synced past the backfill's end (${got})`);
        const end = Math.min(got, want) + HOUR;
        // The fake's prices depend on the open time alone (its volumes on the page they came in).
        const prices = async (st: Store) => {
          const c = await st.readCandles(series(s), 0, end);
          return { n: c.length, ...Object.fromEntries((['openTime', 'open', 'high', 'low', 'close'] as const).map((k) => [k, [...c[k].subarray(0, c.length)]])) };
        };
        assert.deepEqual(await prices(store), await prices(reference), `${s}: same candles up to ${new Date(end).toISOString()}`);
      }
      const jobs = await store.listJobs(500);
      const byWorker = (kind: string) => jobs.filter((j) => j.kind === kind && typeof j.params.queuedAs === 'string');
      const workerSyncs = byWorker('sync');
      assert.ok(workerSyncs.length >= 2, `${workerSyncs.length} syncs done by the worker`);
      assert.ok(workerSyncs.every((j) => (j.params.symbols as string[]).length === 1), 'one symbol per sync job');
      const synced = workerSyncs.reduce((n, j) => n + j.rows, 0);
      assert.ok(synced >= 2 * 2, 'the worker\'s syncs wrote the hours after the backfill');
      assert.equal(afterSyncRows.reduce((n, r) => n + r, 0), synced, 'afterSync heard every row the workers\' syncs wrote');
      assert.equal(byWorker('gaps').length, summary.seriesDone - workerSyncs.length - byWorker('backfill').length);
      assert.ok(byWorker('gaps').length >= 2 && byWorker('backfill').length >= 2, 'the hourly gaps and reconcile of both symbols ran on the worker');
      assert.ok(byWorker('backfill').every((j) => j.params.archiveOnly === true), 'a reconcile is an archive-only backfill');
      assert.equal(jobs.filter((j) => j.kind === 'backfill-file').length, 6);
      assert.ok(jobs.some((j) => j.kind === 'sync-cycle' && j.params.queueRun === syncs.run), 'the scheduler recorded its cycles');
      assert.equal(jobs.filter((j) => j.kind === 'sync' && j.params.queuedAs === undefined).length, 0, 'no sync ran in the scheduler');
    } finally {
      await reference.close();
    }
  });

  test('dispatch - a sync is done and reported; done again it writes nothing; malformed jobs and unknown kinds are dropped', async () => {
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    const last = (await store.lastOpenTime(series('AAAUSDT')))!;
    src.now += 3 * HOUR;
    const cycleJobId = await store.startJob('sync-cycle', { queueRun: 'r1' });
    const job: SeriesJob = { v: 1, kind: 'sync', run: 'r1', cycleJobId, series: series('AAAUSDT'), cycle: src.now, since: null };
    const outcomes = collect(queue, 'r1');
    assert.equal(await queue.enqueue('sync', encodeSeriesJob(job), seriesJobId(job)), true);
    assert.equal(await queue.enqueue('sync', encodeSeriesJob(job), seriesJobId(job)), false, 'the same cycle queued again is stored once');
    await queue.enqueue('sync', encodeSeriesJob(job), 'redelivered'); // as JetStream redelivers after a lapsed lease
    await queue.enqueue('sync', new TextEncoder().encode('{"v":1}'), 'm1');
    await queue.enqueue('gaps', encodeSeriesJob(job), 'm2');
    await queue.enqueue('compact', encodeSeriesJob(job), 'm3');
    const summary = await workUntil(store, src, queue, () => queue.pending === 0, 1);

    assert.equal(summary.seriesDone, 2);
    assert.equal(summary.malformed, 3);
    assert.deepEqual(queue.settled, ['ack', 'ack', 'term', 'term', 'term']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(outcomes.map((o) => [o.id, o.status, o.rows]), [[seriesJobId(job), 'done', 3], [seriesJobId(job), 'done', 0]], 'three hours fetched once; the second run found nothing due');
    assert.equal(await store.lastOpenTime(series('AAAUSDT')), last + 3 * HOUR);
    assert.equal((await store.countBySource(series('AAAUSDT'), last + HOUR, last + 4 * HOUR)).rest, 3);
    const workerJob = await store.getJob(outcomes[0]!.jobId);
    assert.equal(workerJob?.job.kind, 'sync');
    assert.deepEqual(workerJob?.job.params, { symbols: ['AAAUSDT'], interval: H1, queuedAs: seriesJobId(job), cycleJob: cycleJobId });
  });

  test('two schedulers queue the same cycle - stored once, done once; the one whose result went to the other hears it from the store', async () => {
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    src.now += 2 * HOUR;
    const a = new QueuedSeriesJobs(queue, store, silentLogger, 30_000);
    const b = new QueuedSeriesJobs(queue, store, silentLogger, 30_000);
    const stop = new AbortController();
    let worker: Promise<QueueWorkerSummary> | undefined;
    try {
      // B a second after A, in the same minute, before any worker took A's job: B's enqueue is a duplicate.
      const pendingA = a.sync(['AAAUSDT'], 'binance', H1, src.now, stop.signal);
      const pendingB = b.sync(['AAAUSDT', 'BBBUSDT'], 'binance', H1, src.now + 1_000, stop.signal);
      while (queue.pending === 0) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      worker = runQueueWorker(store, src, silentLogger, queue, { concurrency: 1, signal: stop.signal });
      const [first, second] = await Promise.all([pendingA, pendingB]);
      assert.deepEqual([first.rows, first.needBackfill], [2, []]);
      assert.deepEqual(second.needBackfill, ['BBBUSDT'], 'a symbol with nothing stored is left to the backfill, not queued');
    } finally {
      a.stop();
      b.stop();
      stop.abort();
    }
    const summary = await worker!;
    assert.equal(summary.seriesDone, 1, 'one sync done');
    assert.equal(queue.settled.length, 1, 'one job was queued');
    const cycles = (await store.listJobs(50)).filter((j) => j.kind === 'sync-cycle');
    assert.equal(cycles.length, 2);
    const bCycle = await store.getJob(cycles.find((j) => j.params.queueRun === b.run)!.id);
    const logs = bCycle!.tasks.flatMap((t) => t.logs.map((l) => l.message));
    assert.ok(logs.some((m) => /was queued already/.test(m)), logs.join(' | '));
    assert.ok(logs.some((m) => /^done \(the store\): 2 rows written/.test(m)), logs.join(' | '));
  });

  test('a sync no worker takes - the cycle goes on after its wait, the task failed saying so, and the job stays queued', async () => {
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    src.now += 2 * HOUR;
    const syncs = new QueuedSeriesJobs(queue, store, silentLogger, 200);
    try {
      const r = await syncs.sync(['AAAUSDT'], 'binance', H1, src.now, new AbortController().signal);
      assert.equal(r.rows, 0);
      const found = await store.getJob(r.jobId);
      assert.equal(found?.job.status, 'failed');
      assert.match(found?.tasks[0]?.error ?? '', /sync:binance:AAAUSDT:1h:2020-04-10T07:30Z: no worker finished it within 0.2 s \(are workers running on this queue\?\); it stays queued/);
      assert.equal(queue.pending, 1);
    } finally {
      syncs.stop();
    }
  });

  test('up stopped while it waits for a sync - the cycle ends ok, saying the job stays queued (a stop is no failure for the health rules)', async () => {
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    src.now += 2 * HOUR;
    const syncs = new QueuedSeriesJobs(queue, store, silentLogger, 30_000);
    const stop = new AbortController();
    try {
      const waiting = syncs.sync(['AAAUSDT'], 'binance', H1, src.now, stop.signal);
      while (queue.pending === 0) await new Promise((r) => setTimeout(r, 5));
      stop.abort();
      const r = await waiting;
      const found = await store.getJob(r.jobId);
      assert.equal(found?.job.status, 'ok');
      assert.match(found?.tasks[0]?.logs.map((l) => l.message).join(' | ') ?? '', /stopped waiting for sync:binance:AAAUSDT:1h:2020-04-10T07:30Z: it stays queued for the workers/);
      assert.equal(queue.pending, 1);
    } finally {
      syncs.stop();
    }
  });

  test('a reconcile whose archive listing fails - reported failed with the reason, removed (term), not redelivered', async () => {
    src.failingListings.add('AAAUSDT');
    const cycleJobId = await store.startJob('reconcile-cycle', { queueRun: 'r1' });
    const job: SeriesJob = { v: 1, kind: 'reconcile', run: 'r1', cycleJobId, series: series('AAAUSDT'), cycle: src.now, since: null };
    const outcomes = collect(queue, 'r1');
    await queue.enqueue('reconcile', encodeSeriesJob(job), seriesJobId(job));
    const summary = await workUntil(store, src, queue, () => queue.pending === 0, 1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([summary.seriesDone, summary.seriesFailed], [0, 1]);
    assert.deepEqual(queue.settled, ['term']);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.status, 'failed');
    assert.match(outcomes[0]?.error ?? '', /AAAUSDT archive listing: AAAUSDT: the archive listing failed \(HTTP 503 from the listing of AAAUSDT/);
    const recorded = await store.getJob(outcomes[0]!.jobId);
    assert.deepEqual([recorded?.job.kind, recorded?.job.params.archiveOnly, recorded?.job.params.queuedAs], ['backfill', true, seriesJobId(job)]);
  });
});
