import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { filterRows } from '../store/contract/contract-helpers.js';
import { openStore } from '../store/open-store.js';
import type { CandleChunk, Store } from '../store/store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { exportBars, type BarWindow } from './export-bars.js';
import { candleFormatter, CANDLE_CSV_COLUMNS, type CandleFormat } from './format-candles.js';
import { fileSink, streamSink } from './output-sink.js';
import { parquetSink } from './parquet-sink.js';

const DAY = Date.UTC(2020, 0, 1);
const H = 3_600_000;
const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' } as const;
const later = Date.UTC(2021, 0, 1);

/** A store with 2020-01-01 less 12:30–12:59 (an exchange outage in the ledger) and 18:05 (a hole). */
async function storeWithHoles(dir: string): Promise<Store> {
  const store = await openStore(join(dir, 'x.duckdb'));
  await store.writeCandles(series, filterRows(btcusdtDay(1), (i) => (i < 750 || i >= 780) && i !== 1085), 'archive');
  await store.recordGaps([{ ...series, from: DAY + 750 * 60_000, to: DAY + 779 * 60_000, kind: 'exchange_outage', status: 'unrepairable', detectedAt: later, note: null }]);
  return store;
}

/** Everything written to a sink, collected. */
function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, cb) => { text += chunk.toString(); cb(); } });
  return { stream, text: () => text };
}

async function exportText(store: Store, w: BarWindow, format: CandleFormat, now: number, chunkRows?: number): Promise<string> {
  const out = collector();
  await exportBars(store, w, candleFormatter(format), streamSink(out.stream), { now, chunkRows });
  return out.text();
}

test('exportBars - the complete column: outage minutes count as present, a hole and a forming bar do not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-export-'));
  const store = await storeWithHoles(dir);
  try {
    const w = { ...series, interval: '1h' as const, from: DAY, to: DAY + 24 * H };
    const rows = (await exportText(store, w, 'csv', later)).trim().split('\n').slice(1);
    assert.equal(rows.length, 24);
    const complete = rows.map((r) => r.split(',').at(-1));
    // 12:00 lacks 30 minutes, all in the ledger's outage: complete. 18:00 lacks 18:05: not.
    assert.deepEqual(complete.map((c, h) => (c === 'true' ? '' : h)).filter((h) => h !== ''), [18]);
    // At 2020-01-01 23:30 the 23:00 bar is still forming, even with every minute stored so far.
    const forming = (await exportText(store, w, 'csv', DAY + 23.5 * H)).trim().split('\n');
    assert.match(forming.at(-1)!, /^1577919600000,.*,false$/);
    assert.match(forming.at(-2)!, /^1577916000000,.*,true$/);
    const table = await exportText(store, w, 'table', later);
    assert.match(table, /\n2020-01-01 18:00 .* {2}\*\n/);
    assert.match(table, /\n2020-01-01 12:00 .*\d\n/);
    assert.match(table, /\n\* 1 bar not complete: still forming, or with minutes missing that the gap ledger does not record as an exchange outage\n$/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exportBars - csv and json read in chunks of 1, 7 and 100 bars equal one read, byte for byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-export-'));
  const store = await storeWithHoles(dir);
  try {
    for (const interval of ['1m', '15m'] as const) {
      // (The table is not chunk-independent by design: its decimals and widths are settled on the first chunk.)
      for (const format of ['csv', 'json'] as const) {
        const w = { ...series, interval, from: DAY, to: DAY + 24 * H };
        const whole = await exportText(store, w, format, later);
        for (const chunkRows of interval === '1m' ? [7, 100] : [1, 7]) {
          assert.equal(await exportText(store, w, format, later, chunkRows), whole, `${interval} ${format} in chunks of ${chunkRows}`);
        }
        // 1440 minutes less 31 missing; 96 quarters less 12:30 and 12:45, with no minute stored.
        if (format === 'json') assert.equal((JSON.parse(whole) as unknown[]).length, interval === '1m' ? 1440 - 31 : 94);
      }
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exportBars - waits for drain: a slow reader never has more than one chunk of text pending', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-export-'));
  const store = await storeWithHoles(dir);
  try {
    let text = '';
    let most = 0;
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        setTimeout(cb, 1);
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: string) => {
      most = Math.max(most, slow.writableLength);
      return write(chunk);
    }) as typeof slow.write;
    slow.on('drain', () => drains++);
    const w = { ...series, from: DAY, to: DAY + 24 * H };
    await exportBars(store, w, candleFormatter('csv'), streamSink(slow), { now: later, chunkRows: 100 });
    assert.equal(text, await exportText(store, w, 'csv', later));
    assert.ok(drains >= 10, `${drains} drains`);
    // 100 rows of CSV are under 12 kB: nothing queued beyond the chunk being written.
    assert.ok(most < 12_000, `${most} bytes were pending at a write`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A store whose streamed read fails after its first chunk (as a dropped connection would). */
function failingStore(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'streamCandles') return Reflect.get(target, prop, receiver) as unknown;
      return async function* (...args: Parameters<Store['streamCandles']>): AsyncIterable<CandleChunk> {
        let n = 0;
        for await (const chunk of target.streamCandles(...args)) {
          if (n++ === 1) throw new Error('connection reset');
          yield chunk;
        }
      };
    },
  });
}

test('fileSink - an export that fails midway leaves no file and no partial copy; an earlier file stays as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-export-'));
  const store = await storeWithHoles(dir);
  try {
    const out = join(dir, 'day.csv');
    writeFileSync(out, 'yesterday\n');
    const sink = fileSink(out);
    const w = { ...series, from: DAY, to: DAY + 24 * H };
    await assert.rejects(exportBars(failingStore(store), w, candleFormatter('csv'), sink, { now: later, chunkRows: 100 }), /connection reset/);
    await sink.discard();
    assert.equal(readFileSync(out, 'utf8'), 'yesterday\n');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), []);
    // The same export, whole: the file is replaced only at the end, with exactly the stdout text.
    const ok = fileSink(out);
    await exportBars(store, w, candleFormatter('csv'), ok, { now: later, chunkRows: 100 });
    assert.equal(readFileSync(out, 'utf8'), 'yesterday\n', 'not in place before finish');
    await ok.finish();
    assert.equal(readFileSync(out, 'utf8'), await exportText(store, w, 'csv', later));
    assert.throws(() => fileSink(join(dir, 'no-such-dir', 'x.csv')), /--output .*no-such-dir.*x\.csv: ENOENT/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parquetSink - the Parquet file read back with DuckDB equals the CSV, value for value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-export-'));
  const store = await storeWithHoles(dir);
  try {
    const w = { ...series, interval: '5m' as const, from: DAY, to: DAY + 24 * H };
    const path = join(dir, 'day.parquet');
    const columns = CANDLE_CSV_COLUMNS.split(',').map((n) => [n, n === 'complete' ? 'BOOLEAN' : /time|trades/.test(n) ? 'BIGINT' : 'DOUBLE'] as const);
    const sink = parquetSink(path, columns);
    await exportBars(store, w, candleFormatter('csv'), sink, { now: later, chunkRows: 50 });
    await sink.finish();
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temporary CSV or partial file left');
    const csv = (await exportText(store, w, 'csv', later)).trim().split('\n');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const got = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY open_time`)).getRows();
    conn.closeSync();
    db.closeSync();
    assert.equal(csv[0], CANDLE_CSV_COLUMNS);
    assert.equal(got.length, csv.length - 1);
    // 288 buckets less the six of 12:30–12:59, none of whose minutes is stored.
    assert.equal(got.length, 282);
    got.forEach((row, i) => {
      const cells = (csv[i + 1] as string).split(',');
      row.forEach((v, j) => {
        const expected = j === cells.length - 1 ? cells[j] === 'true' : Number(cells[j]);
        assert.equal(typeof v === 'bigint' ? Number(v) : v, expected, `row ${i} ${columns[j]![0]}`);
      });
    });
    assert.ok(!existsSync(`${path}.csv`));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
