import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { runStoreContract } from '../store.contract.js';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';
import { PostgresStore } from './postgres-store.js';
import { redactUrl } from './redact-url.js';
import { MIGRATIONS } from '../migrations/migrations.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { PostgresSession } from './postgres-session.js';
import { checkFileByFile } from '../contract/volume-sum-cases.js';

const MIGRATE_CHILD = fileURLToPath(new URL('../test-support/migrate-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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

test('postgres store - a volume bound raised through another handle: writes the first handle skips stay exact, and its replacement of the large row drops the correction', async () => {
  const store = await fresh();
  const other = await fresh();
  try {
    await checkFileByFile(store, other);
  } finally {
    await Promise.all([store.close(), other.close()]);
  }
});

test('postgres store - migrations run by several processes at once on a fresh database apply each version exactly once', async () => {
  const fresh = await createTempDatabase();
  try {
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', MIGRATE_CHILD, fresh.url], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] }));
    const outputs = children.map((c) => {
      let out = '';
      c.stdout.setEncoding('utf8');
      const ready = new Promise<void>((resolve) => c.stdout.on('data', (t: string) => {
        out += t;
        if (out.startsWith('ready\n')) resolve();
      }));
      const exited = new Promise<number | null>((resolve) => c.on('close', (code) => resolve(code)));
      return { ready, exited, text: () => out };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const c of children) c.stdin.end('go\n'); // all connected: release them together
    const codes = await Promise.all(outputs.map((o) => o.exited));
    assert.deepEqual(codes, children.map(() => 0), 'every migrating process succeeded');

    const applied = outputs.flatMap((o) => (JSON.parse(o.text().split('\n')[1] ?? '') as { applied: number[] }).applied);
    assert.deepEqual(applied.toSorted((a, b) => a - b), MIGRATIONS.map((m) => m.version), 'each version applied by exactly one process');
    const store = PostgresStore.open(fresh.url);
    try {
      await store.migrate(); // nothing left to apply
      const check = new PostgresSession(fresh.url, 1);
      const rows = await check.all('SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version').finally(() => check.end());
      assert.deepEqual(rows, MIGRATIONS.map((m) => [m.version, 1]));
      // The schema works: a day of candles in and out, a job run recorded.
      const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
      assert.equal(await store.writeCandles(series, btcusdtDay(1), 'archive'), 1440);
      assert.equal((await store.seriesStats(series))?.count, 1440);
      const job = await store.startJob('backfill', {});
      assert.equal((await store.getJob(job))?.job.status, 'running');
    } finally {
      await store.close();
    }
  } finally {
    await fresh.drop();
  }
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
