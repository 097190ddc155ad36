/**
 * `kill -9` inside a write transaction of a backfill, then a rerun: the store must end with
 * exactly the rows of a clean run. The backfill runs as a real `tickerflow` process against the
 * replay server with the test-only pause point (TICKERFLOW_TEST_PAUSE_BEFORE_COMMIT): each
 * transaction prints a marker once its rows are in and waits before COMMIT, and the test kills
 * the process at the n-th marker, so the kill lands while that transaction is open. What the
 * killed run left is checked before the rerun: the paused transaction's rows are absent, every
 * earlier one is whole, and the killed job shows as `abandoned`.
 *
 * The second test does the same at scale: 3 derived symbols × 3 months (~400k rows, the replay's
 * scale mode) with kills at markers drawn with a fixed seed, most of them candle writes, and
 * compares each rerun with a clean run by per-series counts, first/last open time and a hash of
 * every column, and the manifest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { parseTime } from '../src/core/time.js';
import { PAUSE_ENV, PAUSE_MARKER } from '../src/cli/test-pause.js';
import { openStore } from '../src/store/open-store.js';
import type { ArchiveManifestEntry, Store } from '../src/store/store.js';
import { scaleSymbol, startReplayServer, type ScaleSpec } from '../src/replay/index.js';
import { seededRandom } from '../src/core/seeded-random.js';
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

/**
 * Runs `tickerflow backfill <symbols>`; with `killAtMarker`, pauses `pauseMs` before each COMMIT
 * and SIGKILLs at that marker.
 */
function backfill(configPath: string, db: string, killAtMarker?: number, symbols: readonly string[] = ['BTCUSDT'], pauseMs = 1000): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Only the transaction killed in waits: long against the kill's latency (milliseconds).
    const env = { ...process.env, [PAUSE_ENV]: killAtMarker === undefined ? '0' : `${pauseMs}@${killAtMarker}` };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', configPath, '--db', db, '--log-level', 'info', 'backfill', ...symbols], {
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

/**
 * The killed run's job, seen from a later process: `abandoned`, keeping the rows it committed
 * (none without a job).
 */
async function assertKilledJob(store: Store, rowsLeft: number, what: string): Promise<void> {
  const job = (await store.listJobs(1))[0];
  if (job === undefined) {
    assert.equal(rowsLeft, 0, `${what}: rows stored without a job run`);
    return;
  }
  assert.equal(job.kind, 'backfill');
  assert.equal(job.status, 'abandoned', `${what}: the killed job is no longer shown running`);
  assert.equal(job.rows, rowsLeft, `${what}: the abandoned job keeps the rows it committed`);
}

export const SCALE_SPEC: ScaleSpec = { symbols: 3, months: 3 };
export const SCALE_SYMBOLS = Array.from({ length: SCALE_SPEC.symbols }, (_, i) => scaleSymbol(i));
/** Shared by every run of this test (and both backends): the derived zips are made once. */
export const SCALE_CACHE = join(tmpdir(), 'tickerflow-kill-resume-scale');
/** Far above a kill's latency; a run killed late passes tens of markers first. */
const SCALE_PAUSE_MS = 300;
const SCALE_KILL_SEED = 15;
const SCALE_KILLS = { bulk: 4, any: 2 };

interface SeriesDigest {
  symbol: string;
  rows: number;
  /** Of `rows`, those from the archive (counts-only snapshots; -1 in full ones). */
  archiveRows: number;
  firstOpen: number | null;
  lastOpen: number | null;
  /** sha256 over every column of every row, in open-time order. */
  sha256: string;
}

export interface ScaleSnapshot {
  series: SeriesDigest[];
  manifest: Array<[string, number, string]>;
}

/** Per derived series: rows, first/last open time and a hash of all its values (`full` false: counts only); the manifest's keys, rows and hashes. */
export async function scaleSnapshot(store: Store, full = true): Promise<ScaleSnapshot> {
  const series: SeriesDigest[] = [];
  for (const symbol of SCALE_SYMBOLS) {
    const key = { exchange: 'binance', symbol, interval: '1m' as const };
    if (!full) {
      const bySource = await store.countBySource(key, Date.UTC(2024, 0, 1), Date.UTC(2026, 0, 1));
      const rows = bySource.archive + bySource.rest + bySource.stream;
      series.push({ symbol, rows, archiveRows: bySource.archive, firstOpen: null, lastOpen: null, sha256: '' });
      continue;
    }
    const c = await store.readCandles(key, Date.UTC(2024, 0, 1), Date.UTC(2026, 0, 1));
    const h = createHash('sha256');
    for (const f of CANDLE_FIELDS) h.update(new Uint8Array(c[f].buffer, c[f].byteOffset, c.length * 8));
    series.push({ symbol, rows: c.length, archiveRows: -1, firstOpen: c.length > 0 ? c.openTime[0]! : null, lastOpen: c.length > 0 ? c.openTime[c.length - 1]! : null, sha256: h.digest('hex') });
  }
  const manifest = (await store.listManifest('data/spot/monthly/klines/')).map((m): [string, number, string] => [m.key, m.rows, m.sha256]);
  return { series, manifest };
}

/**
 * Which markers (1-based) of a run like `clean` to kill at, drawn with a fixed seed: some among
 * the candle writes, the rest among all transactions; distinct, in order.
 */
function seededKillMarkers(clean: Run['markers']): number[] {
  const rnd = seededRandom(SCALE_KILL_SEED);
  const bulk = clean.flatMap((k, i) => (k === 'bulk' ? [i + 1] : []));
  const picked = new Set<number>();
  const draw = (from: number[], n: number): void => {
    const pool = from.filter((m) => !picked.has(m));
    for (let i = 0; i < n && pool.length > 0; i++) picked.add(pool.splice(Math.floor(rnd() * pool.length), 1)[0]!);
  };
  draw(bulk, SCALE_KILLS.bulk);
  draw(clean.map((_, i) => i + 1), SCALE_KILLS.any);
  return [...picked].sort((x, y) => x - y);
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
            await assertKilledJob(after, left.candles.length, `kill at marker ${at}`);
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

  test(`kill -9 at seeded random transactions of a 3 symbols × 3 months backfill on ${backend} - each rerun ends with exactly the rows of a clean run`, async (t) => {
    const started = Date.now();
    const replay = await startReplayServer({ speed: 0, faults: { latencyMs: 0 }, scale: { spec: SCALE_SPEC, cacheDir: SCALE_CACHE } });
    const dir = mkdtempSync(join(tmpdir(), 'tf-kill-scale-'));
    const configPath = join(dir, 'tickerflow.toml');
    writeFileSync(configPath, replayConfigToml(replay, SCALE_SYMBOLS));
    const run = (db: string, killAt?: number): Promise<Run> => backfill(configPath, db, killAt, SCALE_SYMBOLS, SCALE_PAUSE_MS);
    try {
      const cleanDb = await b.makeDb();
      let clean: ScaleSnapshot;
      let cleanMarkers: Run['markers'];
      try {
        const first = await run(cleanDb.db);
        cleanMarkers = first.markers;
        assert.equal(first.code, 0, `the clean run completed: ${first.stderr.slice(-500)}`);
        const store = await openStore(cleanDb.db);
        clean = await scaleSnapshot(store).finally(() => store.close());
      } finally {
        await cleanDb.drop();
      }
      assert.equal(clean.manifest.length, SCALE_SPEC.symbols * SCALE_SPEC.months, 'the clean run loaded every derived month');
      for (const s of clean.series) assert.ok(s.rows > 3 * 28 * 1440, `${s.symbol}: ${s.rows} rows, three months and the REST tail`);

      const killAt = seededKillMarkers(cleanMarkers);
      let insideBulk = 0;
      for (const at of killAt) {
        const { db, drop } = await b.makeDb();
        try {
          const killed = await run(db, at);
          assert.equal(killed.signal, 'SIGKILL', `run killed at marker ${at} (exit ${killed.code}): ${killed.stderr.slice(-500)}`);
          if (killed.markers[at - 1] === 'bulk') insideBulk++;
          const after = await b.openLater(db);
          try {
            const left = await scaleSnapshot(after, false);
            const rowsLeft = left.series.reduce((n, x) => n + x.rows, 0);
            assert.ok(rowsLeft < clean.series.reduce((n, x) => n + x.rows, 0), `kill at marker ${at}: the killed run did not store everything`);
            // Every write adds its rows to its task in its own transaction, REST pages included.
            await assertKilledJob(after, rowsLeft, `kill at marker ${at}`);
          } finally {
            await after.close();
          }

          const rerun = await run(db);
          assert.equal(rerun.code, 0, `rerun after the kill at marker ${at}: ${rerun.stderr.slice(-500)}`);
          const store = await openStore(db);
          try {
            assert.deepEqual(await scaleSnapshot(store), clean, `after the kill at marker ${at} and a rerun`);
          } finally {
            await store.close();
          }
        } finally {
          await drop();
        }
      }
      // Seen in the killed runs' own markers, not assumed from the clean run's order.
      assert.ok(insideBulk >= 3, `${insideBulk} of ${killAt.length} kills (at markers ${killAt.join(', ')} of ${cleanMarkers.length}) landed inside a candle write transaction`);
      t.diagnostic(`${backend}: ${killAt.length} kills at markers ${killAt.join(', ')} of ${cleanMarkers.length}, ${insideBulk} inside a candle write; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await replay.close();
    }
  });
}
