/**
 * Measures bulk candle writes on both backends against each engine's own CSV loader:
 * a 43,200-row month and a 1,440-row day. Run: node --import tsx src/store/bench/measure-writes.ts
 * The month is the three real BTCUSDT days of fixtures/ repeated ten times on consecutive days
 * (generated timing data; the values are real candles).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../../core/candle.js';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import type { Store } from '../store.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { createTempDatabase } from '../test-support/temp-postgres.js';

const DAY_MS = 86_400_000;

function month(): CandleColumns {
  const days = [btcusdtDay(1), btcusdtDay(2), btcusdtDay(3)];
  const out = allocateColumns(43_200);
  for (let d = 0; d < 30; d++) {
    const src = days[d % 3] as CandleColumns;
    const shift = (d - (d % 3)) * DAY_MS;
    for (let i = 0; i < src.length; i++) {
      const j = out.length++;
      for (const f of CANDLE_FIELDS) out[f][j] = src[f][i] as number;
      out.openTime[j] = (src.openTime[i] as number) + shift;
      out.closeTime[j] = (src.closeTime[i] as number) + shift;
    }
  }
  return out;
}

function csv(c: CandleColumns): string {
  const lines: string[] = [];
  for (let i = 0; i < c.length; i++) lines.push(CANDLE_FIELDS.map((f) => c[f][i]).join(','));
  return `${lines.join('\n')}\n`;
}

async function best(runs: number, fn: (run: number) => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn(r);
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function storeWrites(store: Store, data: CandleColumns, label: string): Promise<number> {
  const ms = await best(5, async (r) => {
    const n = await store.writeCandles({ exchange: `bench${label}${r}`, symbol: 'BTCUSDT', interval: '1m' }, data, 'archive');
    if (n !== data.length) throw new Error(`wrote ${n} of ${data.length}`);
  });
  return data.length / (ms / 1000);
}

const COLS = 'open_time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, close_time BIGINT, quote_volume DOUBLE, trades BIGINT, taker_buy_base DOUBLE, taker_buy_quote DOUBLE';

const dir = mkdtempSync(join(tmpdir(), 'tickerflow-bench-'));
const report: string[] = [];
try {
  for (const [label, data] of [['month', month()], ['day', btcusdtDay(1)]] as const) {
    const csvPath = join(dir, `${label}.csv`);
    writeFileSync(csvPath, csv(data));

    const duck = await DuckDbStore.open(join(dir, `${label}.duckdb`));
    await duck.migrate();
    const duckRate = await storeWrites(duck, data, label);
    await duck.close();

    const inst = await DuckDBInstance.create(join(dir, `${label}-csv.duckdb`));
    const conn = await inst.connect();
    const csvMs = await best(5, async (r) => {
      await conn.run(`CREATE TABLE t${r} (${COLS})`);
      await conn.run(`INSERT INTO t${r} SELECT * FROM read_csv('${csvPath}', header = false, columns = {${COLS.split(', ').map((c) => { const [n, t] = c.split(' '); return `'${n}': '${t}'`; }).join(', ')}})`);
    });
    conn.closeSync();
    inst.closeSync();
    const readCsvRate = data.length / (csvMs / 1000);

    const db = await createTempDatabase();
    const pgStore = PostgresStore.open(db.url);
    await pgStore.migrate();
    const pgRate = await storeWrites(pgStore, data, label);
    await pgStore.close();
    const pgCols = COLS.replaceAll('DOUBLE', 'DOUBLE PRECISION');
    // Only the \copy command is timed (one psql process, as a user would run it); tables are made beforehand.
    for (let r = 0; r < 5; r++) execFileSync('psql', [db.url, '-q', '-c', `CREATE TABLE c${r} (${pgCols})`]);
    const psqlMs = await best(5, async (r) => {
      execFileSync('psql', [db.url, '-q', '-c', `\\copy c${r} FROM '${csvPath}' WITH (FORMAT csv)`]);
    });
    await db.drop();
    const psqlRate = data.length / (psqlMs / 1000);

    report.push(
      `${label} (${data.length} rows): duckdb writeCandles ${Math.round(duckRate)} rows/s vs read_csv ${Math.round(readCsvRate)} rows/s ` +
        `(${(duckRate / readCsvRate).toFixed(2)}x); postgres writeCandles ${Math.round(pgRate)} rows/s vs psql \\copy ${Math.round(psqlRate)} rows/s ` +
        `(${(pgRate / psqlRate).toFixed(2)}x)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(report.join('\n'));
