/**
 * Scale-out backfill under kill -9: `tickerflow backfill --bus` queues the archive files of a
 * 3 symbols × 3 months scale archive (the replay server's derived months) on a NATS JetStream
 * work queue, three `tickerflow worker` processes load them into one PostgreSQL store, and the
 * test SIGKILLs workers at seeded moments — inside candle write transactions (the test-only pause
 * before COMMIT), two at once, and between a commit and its ack (the worker's test-only pause
 * before ack) — restarting each, while the backfill waits. The store
 * must end equal to a clean single-process backfill (per-series counts, first/last open time, a
 * hash of every column, the manifest), with every file written by exactly one worker job.
 * Each run gets its own database and its own stream, deleted at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PAUSE_ACK_ENV, PAUSE_ACK_MARKER, PAUSE_ENV, PAUSE_MARKER } from '../src/cli/test-pause.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { startReplayServer } from '../src/replay/index.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { JOB_LEASE_MS } from '../src/store/sql/runs-sql.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { SCALE_CACHE, SCALE_SPEC, SCALE_SYMBOLS, scaleSnapshot } from './kill-resume.scenario.js';
import { replayConfigToml } from './support/pipeline-harness.js';
import { queueEmptyWithin, spawnTickerflow as tickerflow, type Exit } from './support/spawn-tickerflow.js';

const NATS_URL = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const WORKERS = 3;
/** Each worker transaction waits this long before COMMIT, so a kill lands inside it. */
const PAUSE_MS = 300;
/** Short, so a killed worker's job goes to another worker quickly. */
const LEASE_SECONDS = 2;
const KILL_SEED = 18;

/** Per archive key: the worker tasks that wrote it (ok, or killed after their commit) and the rows they wrote. */
async function writesByKey(store: Store): Promise<Map<string, { writes: number; rows: number }>> {
  const out = new Map<string, { writes: number; rows: number }>();
  for (const job of (await store.listJobs(1_000)).filter((j) => j.kind === 'backfill-file')) {
    const found = await store.getJob(job.id);
    for (const t of found?.tasks ?? []) {
      if (!t.name.startsWith('ingest ') || !(t.status === 'ok' || t.rows > 0)) continue;
      const key = t.name.slice('ingest '.length);
      const w = out.get(key) ?? { writes: 0, rows: 0 };
      out.set(key, { writes: w.writes + 1, rows: w.rows + t.rows });
    }
  }
  return out;
}

test('worker - 3 worker processes on NATS JetStream and PostgreSQL, kill -9 at seeded moments and restarted, end with the rows of a clean backfill, each file written once', async (t) => {
  const started = Date.now();
  const replay = await startReplayServer({ speed: 0, faults: { latencyMs: 0 }, scale: { spec: SCALE_SPEC, cacheDir: SCALE_CACHE } });
  const dir = mkdtempSync(join(tmpdir(), 'tf-worker-kill-'));
  const configPath = join(dir, 'tickerflow.toml');
  writeFileSync(configPath, replayConfigToml(replay, SCALE_SYMBOLS));
  const queue = `tfworker_${process.pid}_${Date.now().toString(36)}`;
  const cleanDb = await createTempDatabase();
  const db = await createTempDatabase();
  const workers: Array<{ child: ChildProcess; exit: Promise<Exit>; ready: Promise<void> }> = [];
  const spawned: Array<{ child: ChildProcess; exit: Promise<Exit> }> = [];
  let stopping = false; // no more kills
  let tornDown = false; // no more restarts
  try {
    const clean = await tickerflow(['--config', configPath, '--db', cleanDb.url, 'backfill', ...SCALE_SYMBOLS]).exit;
    assert.equal(clean.code, 0, `the clean backfill completed: ${clean.stderr.slice(-500)}`);
    const cleanStore = await openStore(cleanDb.url);
    const want = await scaleSnapshot(cleanStore).finally(() => cleanStore.close());
    assert.equal(want.manifest.length, SCALE_SPEC.symbols * SCALE_SPEC.months);

    // Kill plan, drawn with a fixed seed among the first six candle writes: two kills inside a
    // write (the second one takes another worker down too, two at once), and one after a write
    // committed and before its job was acked, so that the redelivered job finds its file loaded.
    const rnd = seededRandom(KILL_SEED);
    const picked = new Set<number>();
    while (picked.size < 3) picked.add(1 + Math.floor(rnd() * 6));
    const [bulkA, bulkB, afterCommit] = [...picked] as [number, number, number];
    const bulkKills = new Set([bulkA, bulkB]);
    const twoAtOnce = bulkB;
    let bulkSeen = 0;
    let committedSeen = 0;
    const kills = { insideWrite: 0, afterCommit: 0, processes: 0 };
    let workerLogs = '';

    // `killed`: a worker already sent SIGKILL is not killed (and restarted) twice.
    const alive = (i: number): boolean => workers[i] !== undefined && !workers[i]!.child.killed && workers[i]!.child.exitCode === null;
    const kill = (i: number): void => {
      const w = workers[i];
      if (w === undefined || !alive(i)) return;
      w.child.kill('SIGKILL');
      kills.processes++;
      void w.exit.then(() => sleep(300)).then(() => {
        if (!tornDown) startWorker(i);
      });
    };
    // Another worker at (nearly) the same moment: the first one running; when both others are still
    // restarting from earlier kills, the first to come up within the next 2 s.
    const killAnother = (i: number, tries: number): void => {
      const other = [1, 2].map((d) => (i + d) % WORKERS).find((j) => alive(j));
      if (other !== undefined) kill(other);
      else if (tries > 0 && !stopping) setTimeout(() => killAnother(i, tries - 1), 100);
    };
    const startWorker = (i: number): void => {
      const w = tickerflow(['--config', configPath, '--db', db.url, '--log-level', 'info', 'worker', '--bus', NATS_URL, '--queue', queue, '--lease', String(LEASE_SECONDS), '--concurrency', '2'], { [PAUSE_ENV]: String(PAUSE_MS), [PAUSE_ACK_ENV]: String(PAUSE_MS) });
      let ready = (): void => undefined;
      workers[i] = { ...w, ready: new Promise<void>((resolve) => (ready = resolve)) };
      spawned.push(w);
      w.child.stderr?.on('data', (chunk: string) => {
        workerLogs += chunk;
        if (chunk.includes('tickerflow worker: pulling')) ready();
        for (const m of chunk.matchAll(new RegExp(`${PAUSE_MARKER} \\(bulk\\)|${PAUSE_ACK_MARKER}`, 'g'))) {
          if (stopping) return;
          if (m[0] !== PAUSE_ACK_MARKER && bulkKills.has(++bulkSeen)) {
            kills.insideWrite++;
            kill(i);
            if (bulkSeen === twoAtOnce) killAnother(i, 20);
          } else if (m[0] === PAUSE_ACK_MARKER && ++committedSeen === afterCommit) {
            kills.afterCommit++;
            kill(i);
          }
        }
      });
    };
    for (let i = 0; i < WORKERS; i++) startWorker(i);

    const backfill = await tickerflow(['--config', configPath, '--db', db.url, 'backfill', '--bus', NATS_URL, '--queue', queue, ...SCALE_SYMBOLS]).exit;
    stopping = true;
    assert.equal(backfill.code, 0, `backfill --bus completed: ${backfill.stdout}${backfill.stderr.slice(-800)}`);
    assert.doesNotMatch(backfill.stdout, /REJECTED/);

    // The backfill may see a file in the store before its job is acked (a worker killed between
    // the two): the job is still done, by another worker, once the lease lapses.
    assert.equal(await queueEmptyWithin(NATS_URL, queue, 30_000), true, 'every queued job was acked');
    // Ctrl-C stops each worker cleanly, once it is up (a restart is scheduled 300 ms after a kill's exit).
    await sleep(1_000);
    await Promise.all(workers.map((w) => w.ready));
    const exits = await Promise.all(workers.map((w) => {
      w.child.kill('SIGINT');
      return w.exit;
    }));
    for (const e of exits) {
      assert.equal(e.code, 0, `a worker stopped by SIGINT exits 0: ${e.stderr.slice(-500)}`);
      assert.match(e.stdout, /worker stopped: \d+ files loaded/);
    }

    const store = await openStore(db.url);
    try {
      assert.deepEqual(await scaleSnapshot(store), want, 'the workers stored exactly what a clean backfill stores');
    } finally {
      await store.close();
    }
    // Seen from after the store's lease: a killed worker's job is abandoned, with the rows it committed.
    const later = PostgresStore.open(db.url, { now: () => Date.now() + JOB_LEASE_MS + 1_000 });
    await later.migrate();
    try {
      const writes = await writesByKey(later);
      for (const [key, rows] of want.manifest) {
        assert.deepEqual(writes.get(key), { writes: 1, rows }, `${key}: written by one worker job, all its rows`);
      }
      const abandoned = (await later.listJobs(1_000)).filter((j) => j.kind === 'backfill-file' && j.status === 'abandoned');
      assert.ok(abandoned.length >= kills.insideWrite, `${abandoned.length} worker jobs abandoned by ${kills.processes} kills`);
    } finally {
      await later.close();
    }
    assert.equal(kills.insideWrite, 2, 'two kills landed inside candle write transactions');
    assert.equal(kills.afterCommit, 1, 'one kill landed after a commit, before the ack');
    assert.match(workerLogs, /"status":"already loaded"/, 'a redelivered job found its file already loaded');
    // Three seeded kills at least; the fourth (the second worker of the two-at-once kill) needs
    // another worker up, which on a fast machine the backfill may not leave time for.
    assert.ok(kills.processes >= 3, `${kills.processes} worker processes killed`);
    t.diagnostic(`${kills.processes} workers killed (inside candle writes ${bulkA} and ${bulkB} (two at once), after job ${afterCommit} committed, before its ack); ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    tornDown = true;
    for (const w of spawned) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(spawned.map((w) => w.exit));
    const nc = await connect({ servers: NATS_URL });
    await jetstreamManager(nc).then((jsm) => jsm.streams.delete(queue)).catch(() => false);
    await nc.close();
    await cleanDb.drop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
    await replay.close();
  }
});
