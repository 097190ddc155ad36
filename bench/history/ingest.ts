/**
 * Archive ingest benchmark (issue 3, "Speed"): our real per-file path — read the zip, SHA-256
 * against its `.CHECKSUM`, extract, parse with invariant checks, `store.writeCandles` with the
 * manifest entry — into a fresh store, against each engine's own CSV loader on the same CSV bytes
 * unzipped beforehand: DuckDB `read_csv` in this process, and `psql \copy`.
 *
 * Every round makes fresh targets (a new DuckDB file, a new PostgreSQL database or table), times
 * only the load itself, checks the row count afterwards, and alternates which side goes first.
 *
 * @see https://duckdb.org/docs/stable/data/csv/overview
 * @see https://www.postgresql.org/docs/current/app-psql.html#APP-PSQL-META-COMMANDS-COPY
 */
import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checksumKey } from '../../src/connectors/binance-archive/archive-layout.js';
import { parseChecksum } from '../../src/connectors/binance-archive/checksum.js';
import { decodeArchiveFile } from '../../src/connectors/binance-archive/load-archive-file.js';
import type { SeriesKey } from '../../src/core/instrument.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import { duckdbBaselines, psqlBaselines, psqlStartupMs, type Baseline } from './baselines.js';
import type { BenchDataset, BenchFile } from './datasets.js';
import { timeMs } from './samples.js';

export type IngestBackend = 'duckdb' | 'postgres';

/** Raw samples (ms) of one dataset on one backend. */
export interface IngestMeasurement {
  dataset: string;
  description: string;
  files: number;
  rows: number;
  backend: IngestBackend;
  /** Our path, one sample per round. */
  ours: number[];
  /** Of each `ours` sample, the part before `writeCandles`: read, verify, extract, parse. */
  oursDecode: number[];
  /** Each baseline's samples, same rounds. */
  baselines: Array<{ name: string; command: string; ms: number[] }>;
}

export interface IngestBenchResult {
  measurements: IngestMeasurement[];
  /** Median ms of `psql -c 'SELECT 1'`: process start + connect, included in every psql figure. */
  psqlStartupMs: number;
}

export interface IngestBenchOptions {
  datasets: readonly BenchDataset[];
  /** Timed rounds per dataset and backend, after one untimed warm-up round. */
  rounds: number;
  /** Scratch folder (DuckDB files). */
  workDir: string;
  /** Admin URL of the PostgreSQL server for temp databases (default TICKERFLOW_TEST_PG_URL or local). */
  pgAdminUrl?: string;
  log?: (line: string) => void;
}

/** Time split of {@link ingestArchiveFile}, accumulated over calls. */
export interface IngestSplit {
  decodeMs: number;
}

/**
 * Our real path for one archive object: bytes → verify → extract → parse → writeCandles with
 * manifest. With `split`, adds the time spent before `writeCandles` to `split.decodeMs`.
 */
export async function ingestArchiveFile(
  store: Store, series: SeriesKey, file: BenchFile, market: BenchDataset['market'], split?: IngestSplit,
): Promise<number> {
  const t = performance.now();
  const [body, checksumBody] = await Promise.all([readFile(file.zipPath), readFile(file.checksumPath)]);
  const checksum = parseChecksum(checksumBody, checksumKey(file.key));
  const { candles, manifest } = decodeArchiveFile(
    { body, lastModified: null, size: body.length }, checksum, file.key, series.interval, market, Date.now(),
  );
  if (split) split.decodeMs += performance.now() - t;
  return store.writeCandles(series, candles, 'archive', manifest);
}

async function oursRound(
  storeAt: () => Promise<{ db: string; drop: () => Promise<void> }>, ds: BenchDataset,
): Promise<{ ms: number; decodeMs: number }> {
  const target = await storeAt();
  const store = await openStore(target.db);
  try {
    const series: SeriesKey = { exchange: 'binance', symbol: ds.symbol, interval: ds.interval };
    let written = 0;
    const split: IngestSplit = { decodeMs: 0 };
    const ms = await timeMs(async () => {
      for (const f of ds.files) written += await ingestArchiveFile(store, series, f, ds.market, split);
    });
    const stored = (await store.seriesStats(series))?.count ?? 0;
    if (written !== ds.rows || stored !== ds.rows) throw new Error(`${ds.name}: wrote ${written}, stored ${stored}, expected ${ds.rows} rows`);
    return { ms, decodeMs: split.decodeMs };
  } finally {
    await store.close();
    await target.drop();
  }
}

async function measure(
  backend: IngestBackend, ds: BenchDataset, opts: IngestBenchOptions, baselines: Baseline[],
  storeAt: () => Promise<{ db: string; drop: () => Promise<void> }>,
): Promise<IngestMeasurement> {
  const m: IngestMeasurement = {
    dataset: ds.name, description: ds.description, files: ds.files.length, rows: ds.rows, backend, ours: [], oursDecode: [],
    baselines: baselines.map((b) => ({ name: b.name, command: b.command, ms: [] })),
  };
  for (let round = 0; round <= opts.rounds; round++) {
    const warmUp = round === 0;
    const runOurs = async (): Promise<void> => {
      const r = await oursRound(storeAt, ds);
      if (warmUp) return;
      m.ours.push(r.ms);
      m.oursDecode.push(r.decodeMs);
    };
    const runBaselines = async (): Promise<void> => {
      for (const [i, b] of baselines.entries()) {
        const ms = await b.run(round);
        if (!warmUp) m.baselines[i]?.ms.push(ms);
      }
    };
    // Alternate the order, so that neither side always runs on a cache the other just warmed.
    if (round % 2 === 0) {
      await runOurs();
      await runBaselines();
    } else {
      await runBaselines();
      await runOurs();
    }
    if (!warmUp) opts.log?.(`  ${backend} ${ds.name} round ${round}/${opts.rounds}: ours ${m.ours.at(-1)?.toFixed(1)} ms`);
  }
  return m;
}

/** Runs every dataset on DuckDB, then on PostgreSQL, and returns the raw samples. */
export async function runIngestBench(opts: IngestBenchOptions): Promise<IngestBenchResult> {
  const measurements: IngestMeasurement[] = [];
  mkdirSync(opts.workDir, { recursive: true });
  let n = 0;
  const duckFile = async (): Promise<{ db: string; drop: () => Promise<void> }> => {
    const db = join(opts.workDir, `ours-${n++}.duckdb`);
    return { db, drop: async () => rmSync(db, { force: true }) };
  };
  const pgDatabase = async (): Promise<{ db: string; drop: () => Promise<void> }> => {
    const t = await createTempDatabase(opts.pgAdminUrl);
    return { db: t.url, drop: t.drop };
  };

  for (const ds of opts.datasets) {
    opts.log?.(`history ingest: DuckDB, ${ds.name} (${ds.rows} rows)`);
    measurements.push(await measure('duckdb', ds, opts, duckdbBaselines(ds, opts.workDir), duckFile));
  }
  const baseDb = await createTempDatabase(opts.pgAdminUrl);
  try {
    for (const ds of opts.datasets) {
      opts.log?.(`history ingest: PostgreSQL, ${ds.name} (${ds.rows} rows)`);
      measurements.push(await measure('postgres', ds, opts, psqlBaselines(ds, baseDb.url), pgDatabase));
    }
    return { measurements, psqlStartupMs: await psqlStartupMs(baseDb.url, Math.max(3, opts.rounds)) };
  } finally {
    await baseDb.drop();
  }
}
