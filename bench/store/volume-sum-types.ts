/**
 * What the exact 1h volume sum would cost with volumes stored in other column types (issue 15:
 * "sum exact decimals without the text round trip, or store volumes as decimals — measure").
 * Three years of 1m volumes (1,578,240 rows, derived from the three real USD-M months as in
 * measure-scale.ts) in DuckDB tables whose volume and quote volume are DOUBLE, DECIMAL(38,8),
 * DECIMAL(18,8), BIGINT units of 1e-8 and HUGEINT units, each loaded from the recorded decimal
 * text. Each grouped sum to 1h is timed alternately with the others, best of 9, and reported
 * against the float sum; "units from double" is what the store does today (a multiply and a
 * cast per value over DOUBLE columns).
 *
 * Run: node --import tsx bench/store/volume-sum-types.ts
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readRealMonths, timeShiftedMonth } from '../time-shifted-month.js';

const MONTHS = 36;
const ROUNDS = 9;

const TYPES: Record<string, string> = {
  'DECIMAL(38,8)': 'DECIMAL(38,8)',
  'DECIMAL(18,8)': 'DECIMAL(18,8)',
  'BIGINT units': 'BIGINT',
  'HUGEINT units': 'HUGEINT',
};

const dir = await mkdtemp(join(tmpdir(), 'tf-volume-sum-'));
try {
  const sources = readRealMonths();
  const lines: string[] = [];
  for (let m = 0; m < MONTHS; m++) {
    const src = sources[m % sources.length]!;
    const c = timeShiftedMonth(src, m, Math.floor(src.length / 1440));
    // A double prints as the shortest text that reads back to it: the recorded decimal.
    for (let i = 0; i < c.length; i++) lines.push(`${c.openTime[i]},${c.volume[i]},${c.quoteVolume[i]}`);
  }
  const csv = join(dir, 'volumes.csv');
  writeFileSync(csv, `t,v,q\n${lines.join('\n')}\n`);

  const instance = await DuckDBInstance.create(join(dir, 'bench.duckdb'), { threads: '2' });
  const conn = await instance.connect();
  const read = (type: string): string => `read_csv('${csv}', header = true, columns = {'t': 'BIGINT', 'v': '${type}', 'q': '${type}'})`;
  await conn.run(`CREATE TABLE t_double AS SELECT * FROM ${read('DOUBLE')}`);
  const queries: Record<string, string> = {
    'DOUBLE, float sum (anchor)': 'SELECT t // 3600000 AS h, sum(v), sum(q) FROM t_double GROUP BY h',
    'DOUBLE, units from double (today)': 'SELECT t // 3600000 AS h, sum(CAST(v * 1e8 AS BIGINT)), sum(CAST(q * 1e8 AS BIGINT)) FROM t_double GROUP BY h',
  };
  for (const [name, type] of Object.entries(TYPES)) {
    const table = `t_${type.replace(/\W+/g, '_').toLowerCase()}`;
    const units = name.endsWith('units');
    // Units are loaded from the exact decimal, never through a double.
    const col = (c: string): string => (units ? `CAST(${c} * 100000000 AS ${type})` : c);
    await conn.run(`CREATE TABLE ${table} AS SELECT t, ${col('v')} AS v, ${col('q')} AS q FROM ${read(units ? 'DECIMAL(38,8)' : type)}`);
    queries[name] = `SELECT t // 3600000 AS h, sum(v), sum(q) FROM ${table} GROUP BY h`;
  }
  await conn.run('CHECKPOINT');
  const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t_double')).getRows()[0]![0]);

  const best = new Map<string, number>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, sql] of Object.entries(queries)) {
      const t0 = performance.now();
      (await conn.runAndReadAll(sql)).getRows();
      best.set(name, Math.min(best.get(name) ?? Infinity, performance.now() - t0));
    }
  }
  const anchor = best.get('DOUBLE, float sum (anchor)')!;
  console.log(`volume and quote volume summed to 1h over ${rows.toLocaleString('en-US')} 1m rows, best of ${ROUNDS}, alternating:\n`);
  console.log('| volume columns | sum to 1h | against the float sum |\n| --- | --- | --- |');
  for (const [name, ms] of best) console.log(`| ${name} | ${ms.toFixed(1)} ms | ${(ms / anchor).toFixed(2)}× |`);
  conn.closeSync();
  instance.closeSync();
} finally {
  await rm(dir, { recursive: true, force: true });
}
