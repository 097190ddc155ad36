/**
 * Measures the store at scale, as the backfill writes it: S symbols × M months of 1m candles,
 * symbol after symbol, month by month, one writeCandles per month. Reports bytes per row against
 * an unkeyed copy of the same rows, peak RSS, write rate in the first and last tenth, and
 * aggregate / read / stream timings against the engine's own plain SQL over the same rows.
 *
 * Run: node --import tsx bench/store/measure-scale.ts [--backend duckdb|postgres] [--symbols 12] [--months 12]
 *
 * Derived data (timing data; the values are real candles): the three real USD-M futures monthly
 * files bundled in fixtures/ from shared/data (LINKUSDT 2023-02, AVAXUSDT 2024-02, LTCUSDT 2026-02; see its
 * SOURCES.md) are time-shifted into consecutive calendar months from 2020-01; symbol s, month m
 * uses file (s + m) mod 3, and day d of a month is the file's day d mod 28/29, so a 30/31-day
 * month repeats the file's first days.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { CandleColumns } from '../../src/core/candle.js';
import { DUCKDB_DEFAULTS } from '../../src/core/config.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import { readRealMonths, timeShiftedMonth } from '../time-shifted-month.js';

const HOUR_MS = 3_600_000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const backend = arg('backend', 'duckdb');
const symbols = Number(arg('symbols', '12'));
const months = Number(arg('months', '12'));
if (!['duckdb', 'postgres'].includes(backend) || !(symbols >= 1) || !(months >= 1)) {
  throw new Error('usage: measure-scale.ts [--backend duckdb|postgres] [--symbols N ≥ 1] [--months N ≥ 1]');
}

// The bundled copies (fixtures/SOURCES.md); TICKERFLOW_MONTHLY_DIR points elsewhere.
const sources = readRealMonths(process.env.TICKERFLOW_MONTHLY_DIR);

/** Month `m` (from 2020-01) of symbol `s`, derived as the header says. */
function derivedMonth(s: number, m: number): CandleColumns {
  const src = sources[(s + m) % sources.length] as CandleColumns;
  return timeShiftedMonth(src, m, Math.floor(src.length / 1440));
}

let peakRss = 0;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 100);

async function best(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const mb = (n: number): string => `${(n / 1e6).toFixed(0)} MB`;
const report: string[] = [];
const say = (line: string): void => {
  report.push(line);
  console.log(line);
};

async function writeAll(store: Store): Promise<{ rows: number; rates: number[] }> {
  const total = symbols * months;
  const perWrite: Array<{ rows: number; ms: number }> = [];
  let rows = 0;
  for (let s = 0; s < symbols; s++) {
    for (let m = 0; m < months; m++) {
      const data = derivedMonth(s, m);
      const t = performance.now();
      const n = await store.writeCandles({ exchange: 'binance', symbol: `SYM${s}USDT`, interval: '1m' }, data, 'archive');
      perWrite.push({ rows: n, ms: performance.now() - t });
      rows += n;
      sampleRss();
    }
  }
  // Rows per second of each tenth of the writes.
  const rates: number[] = [];
  for (let k = 0; k < 10; k++) {
    const part = perWrite.slice(Math.floor((k * total) / 10), Math.floor(((k + 1) * total) / 10));
    rates.push(part.reduce((a, w) => a + w.rows, 0) / (part.reduce((a, w) => a + w.ms, 0) / 1000));
  }
  return { rows, rates };
}

async function timedReads(store: Store): Promise<{ aggMs: number; readMs: number; streamMs: number; rewriteMs: number; yearTo: number }> {
  const yearTo = Date.UTC(2020, Math.min(months, 12), 1);
  const aggMs = await best(5, () => store.aggregateCandles('binance', 'SYM0USDT', '1h', 0, Date.UTC(2020, months, 1)));
  const readMs = await best(5, () => store.readCandles({ exchange: 'binance', symbol: 'SYM0USDT', interval: '1m' }, 0, yearTo));
  const streamMs = await best(5, async () => {
    let n = 0;
    for await (const c of store.streamCandles('binance', 'SYM0USDT', '1m', 0, yearTo)) n += c.candles.length;
    return n;
  });
  // Re-writing an already stored month (the overlapping path: nothing changes) at full table size.
  const month = derivedMonth(0, 0);
  const rewriteMs = await best(3, async () => {
    const n = await store.writeCandles({ exchange: 'binance', symbol: 'SYM0USDT', interval: '1m' }, month, 'archive');
    if (n !== 0) throw new Error(`a re-write changed ${n} rows`);
  });
  return { aggMs, readMs, streamMs, rewriteMs, yearTo };
}

const PLAIN_AGG = (len: number, where: string): string =>
  `SELECT open_time - open_time % ${len} AS b, arg_min(open, open_time), max(high), min(low), arg_max(close, open_time), sum(volume),
     sum(quote_volume), sum(trades), sum(taker_buy_base), sum(taker_buy_quote) FROM candles WHERE ${where} GROUP BY b ORDER BY b`;

async function runDuckDb(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tickerflow-scale-'));
  try {
    const file = join(dir, 'scale.duckdb');
    const store = await DuckDbStore.open(file);
    await store.migrate();
    const t0 = performance.now();
    const { rows, rates } = await writeAll(store);
    const wallS = (performance.now() - t0) / 1000;
    const peakWrite = peakRss;
    const t = await timedReads(store);
    await store.close();
    const bytes = statSync(file).size;

    // The engine's own work on the same rows, on the same file with the same limits.
    const inst = await DuckDBInstance.create(file, { memory_limit: DUCKDB_DEFAULTS.memoryLimit, threads: String(DUCKDB_DEFAULTS.threads) });
    const conn = await inst.connect();
    const id = Number((await conn.runAndReadAll("SELECT id FROM series WHERE symbol = 'SYM0USDT'")).getRows()[0]?.[0]);
    const plainAggMs = await best(5, async () => (await conn.run(PLAIN_AGG(HOUR_MS, `series_id = ${id}`))).fetchAllChunks());
    const scanMs = await best(5, async () =>
      (await conn.run(`SELECT * EXCLUDE (series_id, source) FROM candles WHERE series_id = ${id} AND open_time < ${t.yearTo} ORDER BY open_time`)).fetchAllChunks(),
    );
    const unkeyed = join(dir, 'unkeyed.duckdb');
    await conn.run(`ATTACH '${unkeyed}' AS u`);
    await conn.run('CREATE TABLE u.candles AS SELECT * FROM candles');
    await conn.run('DETACH u');
    conn.closeSync();
    inst.closeSync();
    const unkeyedBytes = statSync(unkeyed).size;

    say(`duckdb, ${symbols} symbols × ${months} months = ${rows.toLocaleString('en-US')} rows, written in ${wallS.toFixed(1)} s`);
    say(`  file ${mb(bytes)} = ${(bytes / rows).toFixed(1)} B/row; unkeyed copy ${(unkeyedBytes / rows).toFixed(1)} B/row; ratio ${(bytes / unkeyedBytes).toFixed(2)}x (goal ≤ 1.25x)`);
    say(`  peak RSS while writing ${mb(peakWrite)} (goal ≤ 1 GiB); write rate first tenth ${Math.round(rates[0] ?? 0)} rows/s, last tenth ${Math.round(rates[9] ?? 0)} rows/s (${((rates[9] ?? 0) / (rates[0] ?? 1)).toFixed(2)}x)`);
    say(`  aggregateCandles ${months} months of one symbol → 1h: ${t.aggMs.toFixed(0)} ms vs plain float-sum GROUP BY ${plainAggMs.toFixed(0)} ms (${(t.aggMs / plainAggMs).toFixed(2)}x, goal ≤ 1.5x)`);
    say(`  readCandles ${Math.min(months, 12)} months of 1m: ${t.readMs.toFixed(0)} ms, streamCandles ${t.streamMs.toFixed(0)} ms, vs DuckDB scan into columns ${scanMs.toFixed(0)} ms (${(t.readMs / scanMs).toFixed(2)}x / ${(t.streamMs / scanMs).toFixed(2)}x, goal ≤ 1.5x)`);
    say(`  re-write of one stored month (overlap path, 0 changed): ${t.rewriteMs.toFixed(0)} ms; peak RSS overall ${mb(peakRss)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<void> {
  const db = await createTempDatabase();
  try {
    const store = PostgresStore.open(db.url);
    await store.migrate();
    const t0 = performance.now();
    const { rows, rates } = await writeAll(store);
    const wallS = (performance.now() - t0) / 1000;
    const t = await timedReads(store);
    const stats = await store.storageStats();
    await store.close();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('VACUUM ANALYZE candles');
    const size = await client.query<{ t: string; i: string }>("SELECT pg_table_size('candles') AS t, pg_indexes_size('candles') AS i");
    const id = Number((await client.query<{ id: number }>("SELECT id FROM series WHERE symbol = 'SYM0USDT'")).rows[0]?.id);
    const pgAgg = PLAIN_AGG(HOUR_MS, `series_id = ${id}`)
      .replace(/arg_min\(open, open_time\)/, '(array_agg(open ORDER BY open_time))[1]')
      .replace(/arg_max\(close, open_time\)/, '(array_agg(close ORDER BY open_time DESC))[1]');
    const plainAggMs = await best(5, () => client.query({ text: pgAgg, rowMode: 'array' }));
    const scanMs = await best(5, () =>
      client.query({ text: `SELECT open_time, open, high, low, close, volume, close_time, quote_volume, trades, taker_buy_base, taker_buy_quote FROM candles WHERE series_id = ${id} AND open_time < ${t.yearTo} ORDER BY open_time`, rowMode: 'array' }),
    );
    await client.end();
    const table = Number(size.rows[0]?.t);
    const index = Number(size.rows[0]?.i);
    say(`postgres, ${symbols} symbols × ${months} months = ${rows.toLocaleString('en-US')} rows, written in ${wallS.toFixed(1)} s`);
    say(`  candles table ${(table / rows).toFixed(1)} B/row + PK index ${(index / rows).toFixed(1)} B/row; database ${mb(stats.bytes ?? 0)}`);
    say(`  node peak RSS ${mb(peakRss)}; write rate first tenth ${Math.round(rates[0] ?? 0)} rows/s, last tenth ${Math.round(rates[9] ?? 0)} rows/s (${((rates[9] ?? 0) / (rates[0] ?? 1)).toFixed(2)}x)`);
    say(`  aggregateCandles → 1h: ${t.aggMs.toFixed(0)} ms vs plain float-sum SQL (pg rows) ${plainAggMs.toFixed(0)} ms (${(t.aggMs / plainAggMs).toFixed(2)}x)`);
    say(`  readCandles ${Math.min(months, 12)} months of 1m: ${t.readMs.toFixed(0)} ms, streamCandles ${t.streamMs.toFixed(0)} ms, vs plain SELECT (pg rows) ${scanMs.toFixed(0)} ms; re-write of a stored month ${t.rewriteMs.toFixed(0)} ms`);
  } finally {
    await db.drop();
  }
}

try {
  await (backend === 'duckdb' ? runDuckDb() : runPostgres());
} finally {
  clearInterval(sampler);
}
