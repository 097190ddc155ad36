/**
 * Reads over the stored rows of the scale run, each against the database's own way of doing the
 * same thing on the same rows: `Store.aggregateCandles` → 1h against a float-sum `GROUP BY`,
 * `Store.readCandles` of one year of 1m against a plain scan into columns, and the spawned
 * `tickerflow candles --format csv` of the whole series against `COPY … TO` CSV (a process
 * spawned for it too). The anchors run on an unkeyed copy of the series (`bench_anchor`),
 * loaded from the Store's own read, so they do not depend on the store's schema.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openSync, closeSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CANDLE_FIELDS } from '../../src/core/candle.js';
import { openStore } from '../../src/store/open-store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COLUMNS = 'open_time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, close_time BIGINT, quote_volume DOUBLE, trades BIGINT, taker_buy_base DOUBLE, taker_buy_quote DOUBLE';

export interface ReadCase {
  what: string;
  storeSeconds: number;
  anchorSeconds: number;
  anchor: string;
  rows: number;
}

/**
 * Best of `rounds` for each of two reads, run alternately (ours, then the anchor, and again), so a
 * burst of load on this shared machine falls on both rather than on one block of rounds.
 */
async function bestOfPairs(rounds: number, ours: () => Promise<unknown>, anchor: () => Promise<unknown>): Promise<{ ours: number; anchor: number }> {
  let a = Infinity;
  let b = Infinity;
  const budget = Date.now() + 120_000;
  for (let i = 0; i < rounds && (i === 0 || Date.now() < budget); i++) {
    let t0 = process.hrtime.bigint();
    await ours();
    a = Math.min(a, Number(process.hrtime.bigint() - t0) / 1e9);
    t0 = process.hrtime.bigint();
    await anchor();
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { ours: a, anchor: b };
}

/** The CLI as a user runs it: the built `dist/` when present (run `npm run build`), else through tsx. */
function cliArgs(): string[] {
  const dist = `${ROOT}dist/cli/main.js`;
  return existsSync(dist) ? [dist] : ['--import', 'tsx', `${ROOT}src/cli/main.ts`];
}

/** Best wall time of `rounds` spawned processes writing their stdout to `outFile`. */
function bestSpawn(rounds: number, cmd: string, args: string[], outFile: string, env: NodeJS.ProcessEnv = process.env): { seconds: number; bytes: number } {
  let min = Infinity;
  const budget = Date.now() + 60_000;
  for (let i = 0; i < rounds && (i === 0 || Date.now() < budget); i++) {
    const fd = openSync(outFile, 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', fd, 'pipe'], cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    closeSync(fd);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 2000)}`);
    min = Math.min(min, s);
  }
  return { seconds: min, bytes: statSync(outFile).size };
}

/** Writes the whole stored series of `symbol` to `csvPath` (with a header) and returns its rows. */
async function dumpSeries(db: string, symbol: string, from: number, to: number, csvPath: string): Promise<number> {
  const store = await openStore(db);
  try {
    const c = await store.readCandles({ exchange: 'binance', symbol, interval: '1m' }, from, to);
    const out = createWriteStream(csvPath);
    out.write('open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote\n');
    const lines: string[] = [];
    for (let i = 0; i < c.length; i++) {
      lines.push(CANDLE_FIELDS.map((f) => c[f][i]).join(','));
      if (lines.length === 10_000 || i === c.length - 1) {
        if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
        lines.length = 0;
      }
    }
    out.end();
    await once(out, 'finish');
    return c.length;
  } finally {
    await store.close();
  }
}

/** The two store reads measured against the anchor's: `Store.aggregateCandles` → 1h and one year of 1m. */
async function storeAgainst(
  db: string,
  q: { symbol: string; from: number; to: number; yearFrom: number; rounds: number },
  anchor: { agg: () => Promise<unknown>; year: () => Promise<unknown> },
): Promise<{ agg: { ours: number; anchor: number }; year: { ours: number; anchor: number }; yearRows: number }> {
  const store = await openStore(db);
  try {
    const series = { exchange: 'binance', symbol: q.symbol, interval: '1m' as const };
    const agg = await bestOfPairs(q.rounds, () => store.aggregateCandles('binance', q.symbol, '1h', q.from, q.to), anchor.agg);
    let yearRows = 0;
    const year = await bestOfPairs(q.rounds, async () => {
      yearRows = (await store.readCandles(series, q.yearFrom, q.to)).length;
    }, anchor.year);
    return { agg, year, yearRows };
  } finally {
    await store.close();
  }
}

const DUCK_AGG = `SELECT (open_time // 3600000) * 3600000 AS t, arg_min(open, open_time), max(high), min(low), arg_max(close, open_time),
  sum(volume), max(close_time), sum(quote_volume), sum(trades), sum(taker_buy_base), sum(taker_buy_quote) FROM bench_anchor GROUP BY 1 ORDER BY 1`;
const PG_AGG = `SELECT (open_time / 3600000) * 3600000 AS t, (array_agg(open ORDER BY open_time))[1], max(high), min(low),
  (array_agg(close ORDER BY open_time DESC))[1], sum(volume), max(close_time), sum(quote_volume), sum(trades), sum(taker_buy_base), sum(taker_buy_quote)
  FROM bench_anchor GROUP BY 1 ORDER BY 1`;

/** The reads of one backend. `db` is the pipeline's store; `work` a folder for the anchor files. */
export async function measureReads(opts: { db: string; symbol: string; from: number; to: number; work: string; rounds: number; spawnRounds: number }): Promise<ReadCase[]> {
  const { db, symbol, from, to, work } = opts;
  const yearFrom = Math.max(from, to - 365 * 86_400_000);
  const csv = `${work}/series.csv`;
  const rows = await dumpSeries(db, symbol, from, to, csv);
  const q = { symbol, from, to, yearFrom, rounds: opts.rounds };
  const iso = (t: number): string => new Date(t).toISOString();
  const cli = bestSpawn(opts.spawnRounds, process.execPath, [...cliArgs(), '--db', db, 'candles', symbol, '--interval', '1m', '--from', iso(from), '--to', iso(to), '--format', 'csv'], `${work}/cli.csv`);
  const cases: ReadCase[] = [];
  if (!db.startsWith('postgres')) {
    const anchorDb = `${work}/anchor.duckdb`;
    const inst = await DuckDBInstance.create(anchorDb);
    const conn = await inst.connect();
    try {
      await conn.run('DROP TABLE IF EXISTS bench_anchor');
      await conn.run(`CREATE TABLE bench_anchor (${COLUMNS})`);
      await conn.run(`INSERT INTO bench_anchor SELECT * FROM read_csv('${csv}', header = true, columns = {${COLUMNS.split(', ').map((c) => `'${c.split(' ')[0]}': '${c.split(' ')[1]}'`).join(', ')}})`);
      const s = await storeAgainst(db, q, { agg: async () => (await conn.run(DUCK_AGG)).fetchAllChunks(), year: async () => {
        const result = await conn.run(`SELECT CAST(COLUMNS(*) AS DOUBLE) FROM bench_anchor WHERE open_time >= ${yearFrom} AND open_time < ${to} ORDER BY open_time`);
        const chunks = await result.fetchAllChunks();
        const n = chunks.reduce((k, c) => k + c.rowCount, 0);
        const cols = CANDLE_FIELDS.map(() => new Float64Array(n));
        let at = 0;
        for (const chunk of chunks) {
          cols.forEach((col, f) => {
            const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk.chunk, f), chunk.rowCount * 8);
            new Uint8Array(col.buffer, at * 8, chunk.rowCount * 8).set(bytes.subarray(0, chunk.rowCount * 8));
          });
          at += chunk.rowCount;
        }
      } });
      cases.push({ what: `aggregate ${symbol} → 1h (Store.aggregateCandles)`, storeSeconds: s.agg.ours, anchorSeconds: s.agg.anchor, anchor: 'DuckDB float-sum GROUP BY', rows });
      cases.push({ what: `read one year of 1m (Store.readCandles)`, storeSeconds: s.year.ours, anchorSeconds: s.year.anchor, anchor: 'DuckDB scan into Float64Array columns', rows: s.yearRows });
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
    const script = `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(process.argv[1]).then(async(i)=>{const c=await i.connect();await c.run("COPY (SELECT * FROM bench_anchor ORDER BY open_time) TO '${work}/anchor.csv' (HEADER)");c.closeSync();i.closeSync();})`;
    const copy = bestSpawn(opts.spawnRounds, process.execPath, ['-e', script, anchorDb], `${work}/copy.stdout`);
    cases.push({ what: `\`candles --format csv\` whole series (spawned CLI, ${(cli.bytes / 1e6).toFixed(0)} MB)`, storeSeconds: cli.seconds, anchorSeconds: copy.seconds, anchor: 'DuckDB COPY … TO CSV (spawned node)', rows });
    return cases;
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_anchor');
    await client.query(`CREATE TABLE bench_anchor (${COLUMNS.replace(/DOUBLE/g, 'DOUBLE PRECISION')})`);
    await pipeline(createReadStream(csv), client.query(copyFrom('COPY bench_anchor FROM STDIN WITH (FORMAT csv, HEADER true)')));
    await client.query('ANALYZE bench_anchor');
    const s = await storeAgainst(db, q, {
      agg: () => client.query({ text: PG_AGG, rowMode: 'array' }),
      year: () => client.query({ text: `SELECT * FROM bench_anchor WHERE open_time >= $1 AND open_time < $2 ORDER BY open_time`, values: [yearFrom, to], rowMode: 'array' }),
    });
    cases.push({ what: `aggregate ${symbol} → 1h (Store.aggregateCandles)`, storeSeconds: s.agg.ours, anchorSeconds: s.agg.anchor, anchor: 'PostgreSQL plain SQL GROUP BY', rows });
    cases.push({ what: `read one year of 1m (Store.readCandles)`, storeSeconds: s.year.ours, anchorSeconds: s.year.anchor, anchor: 'PostgreSQL plain SELECT (pg rows)', rows: s.yearRows });
  } finally {
    await client.end();
  }
  const copy = bestSpawn(opts.spawnRounds, 'psql', [db, '-qAt', '-c', 'COPY (SELECT * FROM bench_anchor ORDER BY open_time) TO STDOUT WITH (FORMAT csv, HEADER true)'], `${work}/anchor.csv`);
  cases.push({ what: `\`candles --format csv\` whole series (spawned CLI, ${(cli.bytes / 1e6).toFixed(0)} MB)`, storeSeconds: cli.seconds, anchorSeconds: copy.seconds, anchor: 'psql COPY … TO STDOUT CSV', rows });
  return cases;
}
