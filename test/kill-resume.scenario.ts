/**
 * `kill -9` inside a write transaction of a backfill, then a rerun: the store must end with
 * exactly the rows of a clean run. The backfill runs as a real `tickerflow` process against the
 * replay server with the test-only pause point (TICKERFLOW_TEST_PAUSE_BEFORE_COMMIT): each
 * transaction prints a marker once its rows are in and waits before COMMIT, and the test kills
 * the process at the n-th marker, so the kill lands while that transaction is open. What the
 * killed run left is checked before the rerun: the paused transaction's rows are absent, every
 * earlier one is whole, and the killed job shows as `abandoned`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { parseTime } from '../src/core/time.js';
import { PAUSE_ENV, PAUSE_MARKER } from '../src/cli/test-pause.js';
import { openStore } from '../src/store/open-store.js';
import type { ArchiveManifestEntry, Store } from '../src/store/store.js';
import { startReplayServer } from '../src/replay/index.js';
import { replayConfigToml } from './support/pipeline-harness.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const FROM = parseTime('2019-12-01');
const TO = parseTime('2020-02-01');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Kinds of the pause markers seen, in order. */
  markers: Array<'bulk' | 'plain'>;
}

/** Runs `tickerflow backfill BTCUSDT`; with `killAtMarker`, pauses before each COMMIT and SIGKILLs at that marker. */
function backfill(configPath: string, db: string, killAtMarker?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // The pause is long against the kill's latency (milliseconds), short enough that markers before the chosen one pass quickly.
    const env = { ...process.env, [PAUSE_ENV]: killAtMarker === undefined ? '0' : '1000' };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', configPath, '--db', db, '--log-level', 'info', 'backfill', 'BTCUSDT'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    let stderr = '';
    const markers: Run['markers'] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      for (const m of chunk.matchAll(new RegExp(`${PAUSE_MARKER} \\((bulk|plain)\\)`, 'g'))) {
        markers.push(m[1] === 'bulk' ? 'bulk' : 'plain');
        if (markers.length === killAtMarker && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, markers }));
  });
}

interface Snapshot {
  candles: CandleColumns;
  manifest: ArchiveManifestEntry[];
}

async function snapshot(store: Store): Promise<Snapshot> {
  return { candles: await store.readCandles(BTC, FROM, TO), manifest: await store.listManifest('data/spot/daily/klines/BTCUSDT/1m/') };
}

function assertSameRows(got: CandleColumns, want: CandleColumns, what: string): void {
  assert.equal(got.length, want.length, `${what}: row count`);
  for (let i = 0; i < want.length; i++) {
    for (const f of CANDLE_FIELDS) if (got[f][i] !== want[f][i]) assert.fail(`${what}: ${f} of row ${i} is ${got[f][i]}, a clean run has ${want[f][i]}`);
  }
}

/**
 * What the store must hold after a kill inside the b-th bulk (candle) write: the first b − 1
 * writes whole (the archive files in key order, then the REST tail), nothing of the b-th.
 */
function rowsBeforeBulk(clean: Snapshot, b: number): { files: number; rows: number } {
  const files = Math.min(b - 1, clean.manifest.length);
  const archiveRows = clean.manifest.slice(0, files).reduce((n, m) => n + m.rows, 0);
  const tail = b - 1 > clean.manifest.length ? clean.candles.length - clean.manifest.reduce((n, m) => n + m.rows, 0) : 0;
  return { files, rows: archiveRows + tail };
}

export interface KillBackend {
  makeDb(): Promise<{ db: string; drop(): Promise<void> }>;
  /** Opens the store as `tickerflow jobs` would see it once a dead job is known dead. */
  openLater(db: string): Promise<Store>;
}

export function killResumeScenario(backend: string, b: KillBackend): void {
  test(`kill -9 inside write transactions of a backfill on ${backend} - each rerun ends with exactly the rows of a clean run`, async () => {
    const replay = await startReplayServer({ now: '2020-01-04T00:10:30Z', speed: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'tf-kill-'));
    const configPath = join(dir, 'tickerflow.toml');
    writeFileSync(configPath, replayConfigToml(replay, ['BTCUSDT']));
    try {
      const cleanDb = await b.makeDb();
      let clean: Snapshot;
      let cleanMarkers: Run['markers'];
      try {
        const run = await backfill(configPath, cleanDb.db);
        cleanMarkers = run.markers;
        assert.equal(run.code, 0, `the clean run completed: ${run.stderr.slice(-500)}`);
        const store = await openStore(cleanDb.db);
        clean = await snapshot(store).finally(() => store.close());
      } finally {
        await cleanDb.drop();
      }
      assert.equal(clean.manifest.length, 3, 'the clean run loaded the three archive days');
      // One kill at every transaction a clean run commits, each in a fresh store and followed by a rerun.
      const killAt = cleanMarkers.map((_, i) => i + 1);
      assert.ok(killAt.length >= 5, `a clean run commits ${killAt.length} transactions: ${cleanMarkers.join(', ')}`);

      let insideBulk = 0;
      for (const at of killAt) {
        const { db, drop } = await b.makeDb();
        try {
          const killed = await backfill(configPath, db, at);
          assert.equal(killed.signal, 'SIGKILL', `run killed at marker ${at} (exit ${killed.code}): ${killed.stderr.slice(-500)}`);
          const kind = killed.markers[at - 1];
          const bulkAt = killed.markers.slice(0, at).filter((k) => k === 'bulk').length;

          const after = await b.openLater(db);
          try {
            const left = await snapshot(after);
            if (kind === 'bulk') {
              // The kill landed between this write's rows and its COMMIT: none of them may be stored.
              const want = rowsBeforeBulk(clean, bulkAt);
              assert.equal(left.manifest.length, want.files, `kill at marker ${at}: archive files committed`);
              assert.equal(left.candles.length, want.rows, `kill at marker ${at}: rows committed before the paused write`);
              insideBulk++;
            }
            const job = (await after.listJobs(1))[0];
            if (job === undefined) {
              assert.equal(left.candles.length, 0, `kill at marker ${at}: rows stored without a job run`);
            } else {
              assert.equal(job.kind, 'backfill');
              assert.equal(job.status, 'abandoned', `kill at marker ${at}: the killed job is no longer shown running`);
              assert.equal(job.rows, left.candles.length, `kill at marker ${at}: the abandoned job keeps the rows it committed`);
            }
          } finally {
            await after.close();
          }

          const rerun = await backfill(configPath, db);
          assert.equal(rerun.code, 0, `rerun after the kill at marker ${at}: ${rerun.stderr.slice(-500)}`);
          const store = await openStore(db);
          try {
            const end = await snapshot(store);
            assertSameRows(end.candles, clean.candles, `after the kill at marker ${at} and a rerun`);
            assert.deepEqual(end.manifest.map((m) => [m.key, m.rows, m.sha256]), clean.manifest.map((m) => [m.key, m.rows, m.sha256]));
          } finally {
            await store.close();
          }
        } finally {
          await drop();
        }
      }
      assert.ok(insideBulk >= 3, `${insideBulk} of ${killAt.length} kills landed inside a candle write transaction`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await replay.close();
    }
  });
}
