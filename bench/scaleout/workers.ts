/**
 * Backfill throughput with 1, 2 and 3 `tickerflow worker` processes (issue 18 "Speed"), beside the
 * in-process backfill: a `tickerflow replay-server --speed 0 --scale … --latency-ms …` in its own
 * process serves the derived archive (its clock frozen, so each run's REST tail is the same); each run gets a fresh PostgreSQL database and a fresh work queue
 * (its own JetStream stream, deleted afterwards); its workers are spawned and ready (printed their
 * "pulling" line) before `tickerflow backfill --bus` queues the files, and stopped (SIGTERM) after.
 * The figure is the backfill's own `done in` time (process start-up excluded). The loadings
 * alternate within each round, so the machine's load spreads over all of them. Every run must
 * store the same number of candles, or the bench fails.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { parseScaleSpec, scaleSymbol } from '../../src/replay/scale/scale-layout.js';
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import { replayConfigToml } from '../../test/support/pipeline-harness.js';
import { spawnTickerflow, type TickerflowProcess } from '../../test/support/spawn-tickerflow.js';
import { startReplayProcess } from '../scale/processes.js';
import { parseDoneSeconds, type WorkerRuns } from './report.js';

/** 0 = the in-process backfill (no --bus). */
export const LOADINGS = [0, 1, 2, 3] as const;
const READY_MS = 120_000;

export interface WorkerFigures {
  size: string;
  latencyMs: number;
  /** Candles stored by every run. */
  rows: number;
  files: number;
  replayBanner: string;
  runs: WorkerRuns[];
}

/** The replay server's URLs from the banner `tickerflow replay-server` prints. */
export function replayUrlsFromBanner(banner: string): { binance: string; archiveData: string; archiveList: string; coingecko: string } {
  const url = (label: string): string => {
    const m = new RegExp(`^\\s*${label}\\s+(http\\S+)`, 'm').exec(banner);
    if (m === null) throw new Error(`the replay server's banner has no "${label}" line: ${banner}`);
    return m[1]!;
  };
  return { binance: url('binance REST'), archiveData: url('archive data'), archiveList: url('archive list'), coingecko: url('coingecko') };
}

async function waitReady(p: TickerflowProcess, stderr: () => string): Promise<void> {
  const until = Date.now() + READY_MS;
  for (;;) {
    if (stderr().includes('tickerflow worker: pulling')) return;
    if (p.child.exitCode !== null) throw new Error(`a worker exited ${p.child.exitCode} before it was ready: ${stderr().slice(-1000)}`);
    if (Date.now() > until) throw new Error(`a worker was not ready within ${READY_MS / 1000} s: ${stderr().slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function countCandles(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM candles')).rows[0]!.n;
  } finally {
    await c.end();
  }
}

async function oneRun(workers: number, configPath: string, natsUrl: string, queue: string, symbols: string[]): Promise<{ seconds: number; rows: number }> {
  const db = await createTempDatabase();
  const started: TickerflowProcess[] = [];
  try {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) {
      const w = spawnTickerflow(['--config', configPath, '--db', db.url, 'worker', '--bus', natsUrl, '--queue', queue]);
      let err = '';
      w.child.stderr?.on('data', (c: string) => (err += c));
      started.push(w);
      ready.push(waitReady(w, () => err));
    }
    await Promise.all(ready);
    const bus = workers === 0 ? [] : ['--bus', natsUrl, '--queue', queue];
    const b = await spawnTickerflow(['--config', configPath, '--db', db.url, 'backfill', ...bus, ...symbols]).exit;
    if (b.code !== 0) throw new Error(`backfill with ${workers} worker(s) exited ${b.code}: ${b.stderr.slice(-1500)}`);
    return { seconds: parseDoneSeconds(b.stdout), rows: await countCandles(db.url) };
  } finally {
    for (const w of started) w.child.kill('SIGTERM');
    await Promise.all(started.map((w) => w.exit.catch(() => undefined)));
    await db.drop();
  }
}

export async function measureWorkers(options: { size: string; latencyMs: number; cacheDir: string; rounds: number; natsUrl: string; log: (line: string) => void }): Promise<WorkerFigures> {
  const { size, latencyMs, rounds, natsUrl, log } = options;
  const spec = parseScaleSpec(size);
  const symbols = Array.from({ length: spec.symbols }, (_, i) => scaleSymbol(i));
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-workers-'));
  // A frozen clock: every run's REST tail ends at the same minute, so every run stores the same candles.
  const replay = await startReplayProcess(size, latencyMs, options.cacheDir, log, ['--speed', '0']);
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const runs: WorkerRuns[] = LOADINGS.map((workers) => ({ workers, seconds: [] }));
  let rows: number | null = null;
  try {
    const configPath = join(dir, 'tickerflow.toml');
    writeFileSync(configPath, replayConfigToml({ urls: replayUrlsFromBanner(replay.banner) }, symbols));
    for (let r = 0; r < rounds; r++) {
      for (const entry of runs) {
        const queue = `bench_workers_${process.pid}_${r}_${entry.workers}`;
        try {
          const run = await oneRun(entry.workers, configPath, natsUrl, queue, symbols);
          if (rows !== null && run.rows !== rows) throw new Error(`the run with ${entry.workers} worker(s) stored ${run.rows} candles, an earlier run ${rows}`);
          rows = run.rows;
          entry.seconds.push(run.seconds);
          log(`  round ${r + 1}: ${entry.workers === 0 ? 'in process' : `${entry.workers} worker(s)`} ${run.seconds.toFixed(1)} s, ${run.rows} candles`);
        } finally {
          if (entry.workers > 0) await jsm.streams.delete(queue).catch(() => false);
        }
      }
    }
  } finally {
    await nc.close();
    await replay.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { size, latencyMs, rows: rows ?? 0, files: spec.symbols * spec.months, replayBanner: replay.banner, runs };
}
