import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreContract } from '../store.contract.js';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';
import { PostgresStore } from './postgres-store.js';
import { redactUrl } from './redact-url.js';
import { JOB_LEASE_MS } from '../sql/runs-sql.js';

let db: TempDatabase;
before(async () => {
  db = await createTempDatabase();
});
after(() => db.drop());

async function fresh(): Promise<PostgresStore> {
  const store = PostgresStore.open(db.url);
  await store.migrate();
  return store;
}

runStoreContract('postgres', fresh);

test('postgres store - concurrent migrations from several processes apply each version once', async () => {
  const stores = [PostgresStore.open(db.url), PostgresStore.open(db.url), PostgresStore.open(db.url)];
  await Promise.all(stores.map((s) => s.migrate()));
  await Promise.all(stores.map((s) => s.close()));
});

test('postgres store - a running job whose heartbeat lease lapses is abandoned, keeping the rows of its finished tasks', async () => {
  let clock = Date.now() + 86_400_000; // ahead of any other case's jobs in this database
  const worker = PostgresStore.open(db.url, { now: () => clock });
  const viewer = PostgresStore.open(db.url, { now: () => clock });
  try {
    const job = await worker.startJob('backfill', { symbols: ['BTCUSDT'] });
    const t1 = await worker.startTask(job, 'ingest day 1');
    await worker.finishTask(t1, 'ok', 1440, null);
    const t2 = await worker.startTask(job, 'ingest day 2');
    clock += JOB_LEASE_MS - 1_000;
    assert.equal((await viewer.getJob(job))?.job.status, 'running', 'inside its lease it is alive');
    await worker.heartbeatJob(job);
    const lastSeen = clock;
    clock += JOB_LEASE_MS - 1_000;
    assert.equal((await viewer.listJobs(50)).find((j) => j.id === job)?.status, 'running', 'the heartbeat renewed the lease');
    clock += 2_000;
    const got = await viewer.getJob(job);
    assert.ok(got);
    assert.equal(got.job.status, 'abandoned');
    assert.equal(got.job.rows, 1440);
    assert.equal(got.job.finishedAt, lastSeen);
    assert.deepEqual(got.tasks.map((t) => [t.id, t.status, t.rows]), [[t1, 'ok', 1440], [t2, 'abandoned', 0]]);
    await worker.heartbeatJob(job);
    assert.equal((await viewer.getJob(job))?.job.status, 'abandoned', 'a late heartbeat does not revive it');
  } finally {
    await worker.close();
    await viewer.close();
  }
});

test('postgres store - location and connection errors never show the password', async () => {
  const url = 'postgres://tf_user:s3cr3t-pw@127.0.0.1:1/nodb?password=s3cr3t-pw';
  assert.equal(redactUrl(url), 'postgres://tf_user@127.0.0.1:1/nodb');
  const store = PostgresStore.open(url);
  assert.ok(!store.location.includes('s3cr3t'));
  const err: unknown = await store.migrate().then(() => null, (e: unknown) => e);
  assert.ok(err instanceof Error);
  assert.equal((err as { code?: string }).code, 'STORE');
  assert.ok(!err.message.includes('s3cr3t'), err.message);
  await store.close();
});
