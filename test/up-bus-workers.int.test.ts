/**
 * `tickerflow up --bus` on NATS JetStream and PostgreSQL: `up --replay` (its replay server in
 * process, from the same simulated start) runs once alone and once handing its work to two
 * `tickerflow worker` processes. Both stores must hold the same candles for the same window
 * (the backfill: an archive file and the REST tail; then minute syncs). In the queued run every
 * worker transaction pauses before COMMIT (the test-only pause), and the first worker caught
 * inside a sync's candle write is killed with SIGKILL (and restarted): its job must be
 * redelivered and done once, and its own job row must show `abandoned` once its lease lapses.
 * Each run gets its own databases and its own stream, deleted at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PAUSE_ENV, PAUSE_MARKER } from '../src/cli/test-pause.js';
import { parseTime } from '../src/core/time.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { JOB_LEASE_MS } from '../src/store/sql/runs-sql.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { replayConfigToml } from './support/pipeline-harness.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const NATS_URL = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const SYMBOL = 'BTCUSDT';
const SERIES = { exchange: 'binance', symbol: SYMBOL, interval: '1m' as const };
/** The bundled recordings hold BTCUSDT 2020-01-01..03; from 06:00 the 3rd's minutes come over REST. */
const NOW = '2020-01-03T06:00:30Z';
const SINCE = '2020-01-02';
/** Simulated seconds per real second: a sync cycle every 2 s. */
const SPEED = 30;
/** The window compared: SINCE up to this open time, exclusive (synced minutes after the backfill's tail). */
const WINDOW_END = parseTime('2020-01-03T06:06:00Z');
const PAUSE_MS = 200;
const LEASE_SECONDS = 2;

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

function tickerflow(args: string[], env: NodeJS.ProcessEnv = {}, onLine?: (line: string) => void): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    const lines = (partial + c).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) onLine?.(l);
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, exit };
}

async function until(what: string, ms: number, check: () => Promise<boolean> | boolean, proc?: Proc): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    if (await check()) return;
    if (proc !== undefined && proc.child.exitCode !== null) assert.fail(`${what}: the process exited ${proc.child.exitCode}: ${proc.out().slice(-1500)}`);
  }
  assert.fail(`${what}: not within ${ms / 1000} s${proc === undefined ? '' : `: ${proc.out().slice(-1500)}`}`);
}

/** Every column of the stored candles of [SINCE, WINDOW_END), one array per candle. */
async function windowRows(store: Store): Promise<number[][]> {
  const c = await store.readCandles(SERIES, parseTime(SINCE), WINDOW_END);
  const cols = [c.openTime, c.open, c.high, c.low, c.close, c.volume, c.closeTime, c.quoteVolume, c.trades, c.takerBuyBase, c.takerBuyQuote];
  return Array.from({ length: c.length }, (_, i) => cols.map((col) => col[i]!));
}

async function lastOpenTime(url: string): Promise<number | null> {
  const store = await openStore(url);
  try {
    return await store.lastOpenTime(SERIES);
  } finally {
    await store.close();
  }
}

test('up --bus - two workers store what up alone stores for the same window; a worker killed -9 inside a sync\'s write has its job redelivered and done once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-up-bus-'));
  const upConfig = join(dir, 'up.toml');
  writeFileSync(upConfig, `[universe]\ntop = 0\nsymbols = ["${SYMBOL}"]\n\n[history]\nsince = "${SINCE}"\n`);
  const queue = `tfupbus_${process.pid}_${Date.now().toString(36)}`;
  const aloneDb = await createTempDatabase();
  const busDb = await createTempDatabase();
  const procs: Proc[] = [];
  const upArgs = (db: string): string[] => ['--config', upConfig, '--db', db, 'up', '--replay', '--now', NOW, '--speed', String(SPEED), '--port', '0'];
  let tornDown = false;
  try {
    // Up alone, until it has synced past the window.
    const aloneStarted = Date.now();
    const alone = tickerflow(upArgs(aloneDb.url));
    procs.push(alone);
    await until('up alone synced the window', 120_000, async () => ((await lastOpenTime(aloneDb.url)) ?? 0) >= WINDOW_END, alone);
    const aloneSeconds = (Date.now() - aloneStarted) / 1000;
    alone.child.kill('SIGINT');
    assert.equal(await alone.exit, 0, alone.out().slice(-1000));

    // Up handing its work to two workers.
    const busStarted = Date.now();
    const up = tickerflow([...upArgs(busDb.url), '--bus', NATS_URL, '--queue', queue]);
    procs.push(up);
    await until('up --bus printed its replay server', 60_000, () => /replay (http:\/\/[\d.:]+) at/.test(up.out()), up);
    const replayUrl = /replay (http:\/\/[\d.:]+) at/.exec(up.out())![1]!;
    const workerConfig = join(dir, 'worker.toml');
    const urls = { binance: `${replayUrl}/binance`, archiveData: `${replayUrl}/vision`, archiveList: `${replayUrl}/s3`, coingecko: `${replayUrl}/coingecko/api/v3` };
    writeFileSync(workerConfig, `${replayConfigToml({ urls }, [SYMBOL])}\n[history]\nsince = "${SINCE}"\n`);

    let killed: { jobId: number; worker: number } | null = null;
    const syncInHand: Array<number | null> = [null, null];
    const workers: Proc[] = [];
    const startWorker = (i: number): void => {
      const w = tickerflow(
        ['--config', workerConfig, '--db', busDb.url, '--log-level', 'info', 'worker', '--bus', NATS_URL, '--queue', queue, '--lease', String(LEASE_SECONDS), '--concurrency', '1'],
        { [PAUSE_ENV]: String(PAUSE_MS) },
        (line) => {
          const started = /"msg":"sync job (\d+) started"/.exec(line);
          if (started !== null) syncInHand[i] = Number(started[1]);
          else if (/"msg":"sync job \d+ (ok|partial|failed):/.test(line)) syncInHand[i] = null;
          else if (line.includes(`${PAUSE_MARKER} (bulk)`) && syncInHand[i] !== null && killed === null) {
            killed = { jobId: syncInHand[i]!, worker: i };
            w.child.kill('SIGKILL');
            void w.exit.then(() => sleep(300)).then(() => {
              if (!tornDown) startWorker(i);
            });
          }
        },
      );
      workers[i] = w;
      procs.push(w);
    };
    startWorker(0);
    startWorker(1);

    const store = await openStore(busDb.url);
    let redoneBy: number | undefined;
    let busSeconds = 0;
    try {
      await until('up --bus synced the window', 180_000, async () => ((await store.lastOpenTime(SERIES)) ?? 0) >= WINDOW_END, up);
      busSeconds = (Date.now() - busStarted) / 1000;
      await until('up --bus synced the window, a worker was killed inside a sync and its job was done again', 180_000, async () => {
        if (((await store.lastOpenTime(SERIES)) ?? 0) < WINDOW_END || killed === null) return false;
        const queuedAs = (await store.getJob(killed.jobId))?.job.params.queuedAs;
        const jobs = (await store.listJobs(1_000)).filter((j) => j.kind === 'sync' && j.params.queuedAs === queuedAs && j.id !== killed!.jobId);
        redoneBy = jobs.find((j) => j.status === 'ok')?.id;
        return redoneBy !== undefined;
      }, up);
    } finally {
      await store.close();
    }
    up.child.kill('SIGINT');
    assert.equal(await up.exit, 0, up.out().slice(-1000));
    await sleep(500); // a worker restarted after the kill comes up before it is stopped
    const stopped = await Promise.all(workers.map(async (w) => {
      await until('a worker is up', 60_000, () => w.out().includes('tickerflow worker: pulling'));
      w.child.kill('SIGINT');
      return { code: await w.exit, out: w.out() };
    }));
    for (const s of stopped) {
      assert.equal(s.code, 0, `a worker stopped by SIGINT exits 0: ${s.out.slice(-500)}`);
      assert.match(s.out, /worker stopped: \d+ files loaded, .* \d+ sync, gaps and reconcile jobs done/);
    }

    const [aloneStore, busStore] = [await openStore(aloneDb.url), await openStore(busDb.url)];
    try {
      const want = await windowRows(aloneStore);
      assert.ok(want.length > 1_700, `up alone stored ${want.length} candles of the window`);
      assert.deepEqual(await windowRows(busStore), want, 'up --bus with workers stored the same candles');
      const jobs = await busStore.listJobs(5_000);
      assert.ok(jobs.some((j) => j.kind === 'backfill-file' && j.status === 'ok'), 'a worker loaded the archive file');
      assert.ok(jobs.some((j) => j.kind === 'sync-cycle'), 'up recorded its queued sync cycles');
      assert.deepEqual(jobs.filter((j) => j.kind === 'sync' && typeof j.params.queuedAs !== 'string').map((j) => j.id), [], 'up ran no sync itself');
    } finally {
      await aloneStore.close();
      await busStore.close();
    }

    // Seen from after the store's lease: the killed worker's sync job is abandoned with no rows, and its queued job was done once.
    const later = PostgresStore.open(busDb.url, { now: () => Date.now() + JOB_LEASE_MS + 1_000 });
    await later.migrate();
    try {
      const k = killed as { jobId: number; worker: number } | null;
      assert.ok(k !== null);
      const killedJob = (await later.getJob(k.jobId))!.job;
      assert.equal(killedJob.status, 'abandoned');
      assert.equal(killedJob.rows, 0, 'the kill landed before COMMIT: nothing of it is stored');
      const sameJob = (await later.listJobs(5_000)).filter((j) => j.kind === 'sync' && j.params.queuedAs === killedJob.params.queuedAs);
      const wrote = sameJob.filter((j) => j.rows > 0);
      assert.deepEqual(wrote.map((j) => [j.id, j.status]), [[redoneBy, 'ok']], `${String(killedJob.params.queuedAs)}: written by one delivery`);
      t.diagnostic(`worker ${k.worker} killed inside sync job ${k.jobId} (${String(killedJob.params.queuedAs)}); redone as job ${redoneBy} with ${wrote[0]!.rows} rows`);
      t.diagnostic(`the window synced in ${aloneSeconds.toFixed(1)} s by up alone, ${busSeconds.toFixed(1)} s by up --bus with two paused workers (start-ups included)`);
    } finally {
      await later.close();
    }
  } finally {
    tornDown = true;
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exit));
    const nc = await connect({ servers: NATS_URL });
    await jetstreamManager(nc).then((jsm) => jsm.streams.delete(queue)).catch(() => false);
    await nc.close();
    await aloneDb.drop();
    await busDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('up --bus - an unreachable NATS URL is a one-line error before anything is served (it hung holding the evaluation lock)', async () => {
  const db = await createTempDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tf-up-bus-bad-'));
  try {
    writeFileSync(join(dir, 'tickerflow.toml'), '[universe]\ntop = 0\nsymbols = ["BTCUSDT"]\n');
    const started = Date.now();
    // Port 9 (discard) on loopback: nothing listens there.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', join(dir, 'tickerflow.toml'), '--db', db.url, 'up', '--replay', '--port', '0', '--bus', 'nats://127.0.0.1:9'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(kill);
        resolve({ code, stdout, stderr });
      });
    });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.ok(Date.now() - started < 60_000);
    assert.doesNotMatch(r.stdout, /API and dashboard at/, 'nothing was served');
    assert.match(r.stderr, /NATS/);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
});
