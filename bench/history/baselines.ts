/**
 * The engines' own CSV loaders, on the unzipped CSVs of a dataset: what someone would type
 * instead of using tickerflow. Each run creates a fresh target untimed, times only the load, then
 * checks the row count.
 *
 * @see https://duckdb.org/docs/stable/data/csv/overview
 * @see https://www.postgresql.org/docs/current/app-psql.html#APP-PSQL-META-COMMANDS-COPY
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { BenchDataset } from './datasets.js';
import { median, timeMs } from './samples.js';

const run = promisify(execFile);

export interface Baseline {
  name: string;
  /** The statement as timed, with the file list abbreviated, for the report. */
  command: string;
  /** One fresh-target load; resolves to the milliseconds of the load alone. */
  run(round: number): Promise<number>;
}

/** The 12 archive columns by position, typed as the data are. */
const COLUMNS: ReadonlyArray<readonly [string, 'BIGINT' | 'DOUBLE']> = [
  ['open_time', 'BIGINT'], ['open', 'DOUBLE'], ['high', 'DOUBLE'], ['low', 'DOUBLE'], ['close', 'DOUBLE'], ['volume', 'DOUBLE'],
  ['close_time', 'BIGINT'], ['quote_volume', 'DOUBLE'], ['trades', 'BIGINT'], ['taker_buy_base', 'DOUBLE'],
  ['taker_buy_quote', 'DOUBLE'], ['ignore', 'DOUBLE'],
];
const KEY_COLUMNS = 'exchange VARCHAR, symbol VARCHAR, "interval" VARCHAR';
/** The primary key of tickerflow's `candles` table. */
const PRIMARY_KEY = 'PRIMARY KEY (exchange, symbol, "interval", open_time)';

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function columnDefs(pgTypes: boolean): string {
  return COLUMNS.map(([n, t]) => `${n} ${pgTypes && t === 'DOUBLE' ? 'DOUBLE PRECISION' : t}`).join(', ');
}

function readCsvCall(files: readonly string[], header: boolean): string {
  const cols = COLUMNS.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ');
  return `read_csv([${files.map(sqlString).join(', ')}], header = ${header}, columns = {${cols}})`;
}

function abbreviate(sql: string, ds: BenchDataset): string {
  let out = sql;
  for (const f of ds.files) out = out.replaceAll(sqlString(f.csvPath), `'${f.key.slice(f.key.lastIndexOf('/') + 1).replace(/\.zip$/, '.csv')}'`);
  return out;
}

async function duckCount(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, table: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
  const v = reader.getRows()[0]?.[0];
  return typeof v === 'number' ? v : Number.NaN;
}

/** DuckDB in this process: `CREATE TABLE AS SELECT * FROM read_csv(…)`, and `INSERT INTO` a table keyed like ours. */
export function duckdbBaselines(ds: BenchDataset, workDir: string): Baseline[] {
  const files = ds.files.map((f) => f.csvPath);
  const ctas = `CREATE TABLE t AS SELECT * FROM ${readCsvCall(files, ds.csvHeader)}`;
  const keyed = `INSERT INTO t SELECT 'binance', '${ds.symbol}', '${ds.interval}', * FROM ${readCsvCall(files, ds.csvHeader)}`;
  let n = 0;
  const fresh = async (setup: string | null, load: string): Promise<number> => {
    const path = join(workDir, `baseline-${n++}.duckdb`);
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    try {
      // Our store runs its migrations before the clock starts; give DuckDB the same warm connection.
      await conn.run(setup ?? 'SELECT 1');
      const ms = await timeMs(() => conn.run(load));
      const rows = await duckCount(conn, 't');
      if (rows !== ds.rows) throw new Error(`DuckDB baseline loaded ${rows} rows of ${ds.name}, expected ${ds.rows}`);
      return ms;
    } finally {
      conn.closeSync();
      instance.closeSync();
      rmSync(path, { force: true });
      rmSync(`${path}.wal`, { force: true });
    }
  };
  return [
    { name: 'DuckDB read_csv', command: abbreviate(ctas, ds), run: () => fresh(null, ctas) },
    {
      name: 'DuckDB read_csv, INSERT with our primary key',
      command: abbreviate(keyed, ds),
      run: () => fresh(`CREATE TABLE t (${KEY_COLUMNS}, ${columnDefs(false)}, ${PRIMARY_KEY})`, keyed),
    },
  ];
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** `psql -c "\copy …"` (one psql process per load, one `-c` per file) into a plain table and into one keyed like ours. */
export function psqlBaselines(ds: BenchDataset, dbUrl: string): Baseline[] {
  const names = COLUMNS.map(([c]) => c).join(', ');
  const header = ds.csvHeader ? ', HEADER' : '';
  const copies = (table: string, cols: string): string[] =>
    ds.files.map((f) => `\\copy ${table}${cols} FROM ${sqlString(f.csvPath)} WITH (FORMAT csv${header})`);
  let n = 0;
  const fresh = async (create: (t: string) => string, cols: string): Promise<number> => {
    const table = `base_${n++}`;
    await withClient(dbUrl, (c) => c.query(create(table)));
    try {
      const args = [dbUrl, '-q', '-X', '-v', 'ON_ERROR_STOP=1', ...copies(table, cols).flatMap((c) => ['-c', c])];
      const ms = await timeMs(() => run('psql', args));
      const res = await withClient(dbUrl, (c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
      const rows = res.rows[0]?.n;
      if (rows !== ds.rows) throw new Error(`psql baseline loaded ${rows} rows of ${ds.name}, expected ${ds.rows}`);
      return ms;
    } finally {
      await withClient(dbUrl, (c) => c.query(`DROP TABLE IF EXISTS ${table}`));
    }
  };
  const keyDefaults = `exchange text NOT NULL DEFAULT 'binance', symbol text NOT NULL DEFAULT '${ds.symbol}', "interval" text NOT NULL DEFAULT '${ds.interval}'`;
  const show = (table: string, cols: string): string =>
    `psql -c "${copies(table, cols).map((c) => abbreviate(c, ds)).join('" -c "')}"`;
  return [
    { name: 'psql \\copy', command: show('t', ''), run: () => fresh((t) => `CREATE TABLE ${t} (${columnDefs(true)})`, '') },
    {
      name: 'psql \\copy, table with our primary key',
      command: show('t', `(${names})`),
      run: () => fresh((t) => `CREATE TABLE ${t} (${keyDefaults}, ${columnDefs(true)}, ${PRIMARY_KEY})`, `(${names})`),
    },
  ];
}

/** Median ms of a psql process that connects and runs `SELECT 1`: the fixed cost in every psql figure. */
export async function psqlStartupMs(dbUrl: string, rounds: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) xs.push(await timeMs(() => run('psql', [dbUrl, '-q', '-X', '-c', 'SELECT 1'])));
  return median(xs);
}
