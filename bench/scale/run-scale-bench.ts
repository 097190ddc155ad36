/**
 * The scale benchmark (issue 15): the replay server with a derived archive in its own process,
 * the real pipeline in another on each backend, the three backfill stages alone, the reads
 * against each database's own, and the extrapolation to 100 symbols since 2017. Returns the
 * markdown section, which `bench/run.ts` also writes to bench/scale/REPORT.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { monthLabel, monthlyKey, parseScaleSpec, scaleSymbol, seriesStart, type ScaleSpec } from '../../src/replay/scale/scale-layout.js';
import { DERIVATION_VERSION } from '../../src/replay/scale/scale-archive.js';
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import type { WriteEvent } from './figures.js';
import { startReplayProcess, runPipelineProcess } from './processes.js';
import { measureReads } from './reads.js';
import { scaleReport, type BackendResult } from './report.js';
import { downloadsAlone, verifyParseAlone, writesAlone, type ZipRef } from './stages-alone.js';
import { DEFAULT_BACKFILL_CONCURRENCY } from '../../src/pipeline/backfill-job.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FULL_SIZE = '30x24';
export type Backend = 'duckdb' | 'postgres';

export interface ScaleBenchOptions {
  size: string;
  latencyMs: number;
  cacheDir: string;
  backends: readonly Backend[];
  command: string;
  log: (line: string) => void;
}

function zipsOf(spec: ScaleSpec): ZipRef[] {
  const out: ZipRef[] = [];
  for (let i = 0; i < spec.symbols; i++) for (let m = 0; m < spec.months; m++) out.push({ symbol: scaleSymbol(i), key: monthlyKey(scaleSymbol(i), monthLabel(spec, m)) });
  return out;
}

async function pgCandleBytes(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ bytes: string }>(
      "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname LIKE 'candle%'",
    );
    return Number(r.rows[0]?.bytes ?? 0);
  } finally {
    await c.end();
  }
}

export async function runScaleBench(opts: ScaleBenchOptions): Promise<string> {
  const spec = parseScaleSpec(opts.size);
  const { log } = opts;
  log(`scale: building dist/ for the spawned CLI (untimed)`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const work = join(tmpdir(), `tickerflow-scale-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  log(`scale: replay server --scale ${opts.size} --latency-ms ${opts.latencyMs} (zips in ${opts.cacheDir})`);
  const replay = await startReplayProcess(opts.size, opts.latencyMs, opts.cacheDir, log);
  const cacheRoot = join(opts.cacheDir, `derived-v${DERIVATION_VERSION}`);
  const zips = zipsOf(spec);
  const zipBytes = zips.reduce((n, z) => n + statSync(join(cacheRoot, z.key)).size, 0);
  const from = seriesStart(spec);
  const to = Date.UTC(2025, 0, 1);
  const backends: BackendResult[] = [];
  try {
    log(`scale: downloads alone (${zips.length} zips)`);
    const downloads = await downloadsAlone(replay.url, zips, DEFAULT_BACKFILL_CONCURRENCY);
    log(`scale: verify + parse alone`);
    const verify = verifyParseAlone(cacheRoot, zips);
    for (const backend of opts.backends) {
      const pgDb = backend === 'postgres' ? await createTempDatabase() : null;
      let pgWrites: Awaited<ReturnType<typeof createTempDatabase>> | null = null;
      const db = pgDb?.url ?? join(work, 'scale.duckdb');
      try {
        log(`scale: ${backend}: pipeline`);
        const run = await runPipelineProcess(replay.url, db, spec.symbols);
        const done = run.events.find((e) => e.type === 'done') as { rows: number; archiveFiles: number; restRows: number; gapsFound: number } | undefined;
        if (!done) throw new Error('pipeline process reported no result');
        const stages: Record<string, number> = {};
        const stageCpu: Record<string, number> = {};
        let backfillStart = run.start;
        for (const e of run.events.filter((x) => x.type === 'stage' && x.phase === 'start')) {
          const end = run.events.find((x) => x.type === 'stage' && x.phase === 'end' && x.name === e.name);
          stages[e.name as string] = ((end?.t as number) - (e.t as number)) / 1000;
          stageCpu[e.name as string] = (end?.cpu as number) - (e.cpu as number);
          if (e.name === 'backfill') backfillStart = e.t as number;
        }
        // Archive writes only: the REST tail (the days after the last month, 50 ms a request) is
        // not a write rate of the store, and at small sizes it would be most of the last tenth.
        const writes: WriteEvent[] = run.events.filter((e) => e.type === 'write' && e.source === 'archive').map((e) => ({ t: e.t as number, rows: e.rows as number }));
        const storeBytes = pgDb ? await pgCandleBytes(pgDb.url) : statSync(db).size + (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
        log(`scale: ${backend}: ${done.rows} rows in ${((run.end - run.start) / 1000).toFixed(1)} s; reads`);
        const reads = await measureReads({ db, symbol: scaleSymbol(0), from, to, work, rounds: 9, spawnRounds: 3 });
        // The pipeline's store is done with: free its disk before the writes-alone copy is made.
        if (pgDb) await pgDb.drop();
        else rmSync(db, { force: true });
        pgWrites = backend === 'postgres' ? await createTempDatabase() : null;
        const writesDb = pgWrites?.url ?? join(work, 'writes.duckdb');
        log(`scale: ${backend}: writes alone`);
        const w = await writesAlone(writesDb, cacheRoot, zips);
        if (!pgWrites) rmSync(writesDb, { force: true });
        backends.push({
          backend: backend === 'duckdb' ? 'DuckDB' : 'PostgreSQL',
          rows: done.rows,
          archiveFiles: done.archiveFiles,
          restRows: done.restRows,
          gapsFound: done.gapsFound,
          stages,
          backfillCpuSeconds: stageCpu.backfill ?? 0,
          wallSeconds: (run.end - run.start) / 1000,
          backfillStart,
          writes,
          rss: run.rss,
          runStart: run.start,
          runEnd: run.end,
          storeBytes,
          storeBytesNote: pgDb ? 'pg_total_relation_size of candle tables' : 'file size',
          writesAloneSeconds: w.seconds,
          writesAloneAtOnce: w.writers,
          writesAloneCpuSeconds: w.cpuSeconds,
          reads,
        });
      } finally {
        await pgDb?.drop();
        await pgWrites?.drop();
      }
    }
    return scaleReport({
      command: opts.command,
      size: spec,
      latencyMs: opts.latencyMs,
      replayStartSeconds: replay.startSeconds,
      replayBanner: replay.banner,
      zipFiles: zips.length,
      zipBytes,
      downloadSeconds: downloads.seconds,
      downloadConcurrency: DEFAULT_BACKFILL_CONCURRENCY,
      verifyParseSeconds: verify.seconds,
      verifyParseCpuSeconds: verify.cpuSeconds,
      cores: availableParallelism(),
      backends,
    });
  } finally {
    await replay.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
