import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { DuckDbStore } from './duckdb-store.js';

test('duckdb store - a job still running at the next open is abandoned, keeping the rows of its finished tasks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-jobs-'));
  const file = join(dir, 'jobs.duckdb');
  let clock = 1_700_000_000_000;
  try {
    const a = await DuckDbStore.open(file, { now: () => clock });
    await a.migrate();
    const done = await a.startJob('sync', {});
    await a.finishJob(done, 'ok', 7, 'fine');
    const job = await a.startJob('backfill', { symbols: ['BTCUSDT'] });
    const t1 = await a.startTask(job, 'ingest day 1');
    await a.finishTask(t1, 'ok', 1440, null);
    clock += 30_000;
    const t2 = await a.startTask(job, 'ingest day 2');
    const t3 = await a.startTask(job, 'ingest day 3');
    // Committed before the death, its task never finished: the write added its rows to the task.
    const day = btcusdtDay(1);
    const written = await a.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, day, 'archive', undefined, { taskId: t3 });
    assert.equal(written, 1440);
    assert.equal(await a.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, day, 'archive', undefined, { taskId: t3 }), 0, 'a re-write adds nothing');
    clock += 5_000;
    await a.heartbeatJob(job);
    // A task started after the last heartbeat: the job was alive then, so that is its end.
    clock += 2_000;
    const t4 = await a.startTask(job, 'ingest day 4');
    const lastSeen = clock;
    // The process "dies" here: nothing finishes the job or its second task.
    await a.close();

    clock += 3_600_000;
    const b = await DuckDbStore.open(file, { now: () => clock });
    await b.migrate();
    const got = await b.getJob(job);
    assert.ok(got);
    assert.equal(got.job.status, 'abandoned');
    assert.equal(got.job.rows, 1440 + 1440, 'finished tasks and the rows a running task committed');
    assert.equal(got.job.finishedAt, lastSeen);
    assert.match(got.job.summary ?? '', /abandoned/);
    assert.deepEqual(got.tasks.map((t) => [t.id, t.status, t.rows]), [[t1, 'ok', 1440], [t2, 'abandoned', 0], [t3, 'abandoned', 1440], [t4, 'abandoned', 0]]);
    for (const t of got.tasks) assert.ok((t.finishedAt ?? -1) >= t.startedAt, `task ${t.id} ends at or after its start`);
    assert.equal((await b.getJob(done))?.job.status, 'ok', 'a finished job is left alone');
    await b.heartbeatJob(job);
    assert.equal((await b.getJob(job))?.job.status, 'abandoned', 'a late heartbeat does not revive it');
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duckdb store - starting a job prunes finished runs older than the retention, keeping newer and running ones', async () => {
  const DAY = 86_400_000;
  let clock = Date.UTC(2024, 0, 1);
  const store = await DuckDbStore.open(':memory:', { now: () => clock });
  await store.migrate();
  try {
    store.keepJobsFor(30 * DAY);
    const old = await store.startJob('sync', {});
    const oldTask = await store.startTask(old, 'BTCUSDT');
    await store.appendTaskLog({ taskId: oldTask, at: clock, level: 'info', message: 'old' });
    await store.finishTask(oldTask, 'ok', 1, null);
    await store.finishJob(old, 'ok', 1, 'old');
    const oldRunning = await store.startJob('backfill', {});
    clock += 20 * DAY;
    const recent = await store.startJob('sync', {});
    await store.finishJob(recent, 'ok', 1, 'recent');
    clock += 15 * DAY;
    assert.ok((await store.listJobs(100)).some((j) => j.id === old), 'nothing is pruned before a job starts');

    const next = await store.startJob('sync', {});
    const left = (await store.listJobs(100)).map((j) => j.id);
    assert.deepEqual(left, [next, recent, oldRunning], 'the 35-day-old finished run is gone; the 15-day-old and the running one stay');
    assert.equal(await store.getJob(old), null);
    assert.throws(() => store.keepJobsFor(0), /positive/);
  } finally {
    await store.close();
  }
});
