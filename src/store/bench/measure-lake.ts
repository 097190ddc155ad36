/**
 * Measures the Parquet lake on the recorded Binance capture (fixtures/ws/hftbacktest/spot, all
 * four files: ~11 minutes of BTCUSDT and ETHUSDT trades and depth diffs, decoded by the lake's
 * test-support decoder): lake write events/s and MB/s against DuckDB's own `COPY … TO parquet` of
 * the same rows from a table, the read_json staging path against the appender, the book-level
 * layout (LIST of STRUCT vs two lists) by size, the reader's events/s, and disk use per
 * exchange-hour. Run: node --import tsx src/store/bench/measure-lake.ts (everything, best of 3),
 * or through `npm run bench -- --only stream` (`measureLake`: write, COPY and read only).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { MARKET_EVENT_KINDS, type MarketEvent } from '../../core/market-events.js';
import { sqlPath } from '../lake/lake-file.js';
import { compactLake } from '../lake/lake-maintenance.js';
import { readLake } from '../lake/lake-reader.js';
import { LakeWriter } from '../lake/lake-writer.js';
import { mergedCapture, type CaptureName } from '../lake/test-support/capture-events.js';

const MB = 1024 * 1024;

function bytesUnder(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return n;
}

async function best(runs: number, fn: (run: number) => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn(r);
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

/** The normalised events as JSON lines: the "input MB" every rate is quoted against. */
function jsonBytes(events: readonly MarketEvent[]): number {
  let n = 0;
  for (const e of events) n += Buffer.byteLength(JSON.stringify(e)) + 1;
  return n;
}

const READ_JSON_COLUMNS: Record<string, { json: string; select: string }> = {
  trade: {
    json: "{seq: 'BIGINT', receivedAt: 'DOUBLE', exchangeTime: 'DOUBLE', tradeId: 'VARCHAR', price: 'DOUBLE', quantity: 'DOUBLE', takerSide: 'VARCHAR'}",
    select: 'seq, receivedAt AS received_at, exchangeTime AS exchange_time, tradeId AS trade_id, price, quantity, takerSide AS taker_side',
  },
  book_delta: {
    json: "{seq: 'BIGINT', receivedAt: 'DOUBLE', exchangeTime: 'DOUBLE', firstSequence: 'BIGINT', lastSequence: 'BIGINT', bids: 'DOUBLE[][]', asks: 'DOUBLE[][]'}",
    select: "seq, receivedAt AS received_at, exchangeTime AS exchange_time, firstSequence AS first_sequence, lastSequence AS last_sequence, list_transform(bids, x -> {'price': x[1], 'quantity': x[2]}) AS bids, list_transform(asks, x -> {'price': x[1], 'quantity': x[2]}) AS asks",
  },
  book_snapshot: {
    json: "{seq: 'BIGINT', receivedAt: 'DOUBLE', exchangeTime: 'DOUBLE', sequence: 'BIGINT', bids: 'DOUBLE[][]', asks: 'DOUBLE[][]'}",
    select: "seq, receivedAt AS received_at, exchangeTime AS exchange_time, sequence, list_transform(bids, x -> {'price': x[1], 'quantity': x[2]}) AS bids, list_transform(asks, x -> {'price': x[1], 'quantity': x[2]}) AS asks",
  },
};

export const CAPTURE_FILES: readonly CaptureName[] = ['btcusdt_20240808', 'btcusdt_20240809', 'ethusdt_20240808', 'ethusdt_20240809'];

export interface LakeFigures {
  events: number;
  /** The events as JSON lines: the "input MB" every rate is quoted against. */
  inputBytes: number;
  writeSeconds: number;
  lakeBytes: number;
  lakeFiles: number;
  copySeconds: number;
  copyBytes: number;
  readSeconds: number;
  /** Every line the measurement printed (the standalone run's output). */
  lines: string[];
}

/**
 * The lake writer against DuckDB's own COPY of the same rows, and the reader, best of `runs`;
 * with `extras`, also the read_json staging path, the book-level layouts, compaction and disk use.
 */
export async function measureLake(options: { runs: number; files?: readonly CaptureName[]; extras?: boolean }): Promise<LakeFigures> {
  const RUNS = options.runs;
  const events = mergedCapture([...(options.files ?? CAPTURE_FILES)]);
  const spanMs = (events.at(-1)?.receivedAt ?? 0) - (events[0]?.receivedAt ?? 0);
  const inputBytes = jsonBytes(events);
  const counts = Object.fromEntries(MARKET_EVENT_KINDS.map((k) => [k, events.filter((e) => e.kind === k).length]));
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lake-bench-'));
  const out: string[] = [];
  const line = (s: string): number => out.push(s);
  try {
    line(`events: ${events.length} (${JSON.stringify(counts)}), ${(spanMs / 60_000).toFixed(1)} min of capture, ${(inputBytes / MB).toFixed(1)} MB as JSON lines`);

    // 1. The lake writer, default settings (buffers of 50 000 events): validate, append, COPY, fsync, rename.
    let lakeBytes = 0;
    let files = 0;
    const writeS = await best(RUNS, async (r) => {
      const root = join(dir, `lake${r}`);
      const w = await LakeWriter.open(root, { onPublish: () => files++ });
      for (const e of events) await w.write(e);
      await w.close();
      lakeBytes = bytesUnder(root);
    });
    files /= RUNS;
    line(`lake write: ${(events.length / writeS).toFixed(0)} events/s, ${(inputBytes / MB / writeS).toFixed(1)} MB/s of JSON in, ${(lakeBytes / MB / writeS).toFixed(2)} MB/s Parquet out; ${lakeBytes} bytes in ${files} files, ${(lakeBytes / events.length).toFixed(1)} bytes/event`);

    // 2. DuckDB's own COPY of the same rows, one table per kind already in DuckDB (the encode-only ceiling).
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const lake0 = join(dir, 'lake0');
    const kinds = MARKET_EVENT_KINDS.filter((k) => (counts[k] ?? 0) > 0);
    for (const k of kinds) await conn.run(`CREATE TABLE t_${k} AS SELECT * EXCLUDE (exchange, symbol, date, kind) FROM read_parquet(${sqlPath(`${lake0}/kind=${k}/**/*.parquet`)}, hive_partitioning = true) ORDER BY seq`);
    let copyBytes = 0;
    const copyS = await best(RUNS, async (r) => {
      copyBytes = 0;
      for (const k of kinds) {
        const path = join(dir, `copy-${k}-${r}.parquet`);
        await conn.run(`COPY t_${k} TO ${sqlPath(path)} (FORMAT parquet, COMPRESSION zstd)`);
        copyBytes += statSync(path).size;
      }
    });
    line(`duckdb COPY table TO parquet: ${(events.length / copyS).toFixed(0)} events/s, ${(inputBytes / MB / copyS).toFixed(1)} MB/s of JSON in; ${copyBytes} bytes, ${(copyBytes / events.length).toFixed(1)} bytes/event`);
    line(`lake / duckdb COPY: speed ${(copyS / writeS).toFixed(2)}x, size ${(lakeBytes / copyBytes).toFixed(2)}x`);

    if (options.extras === true) {
      // 3. The other staging path: events as JSON lines, then read_json → COPY (one file per kind, no partitioning).
      const jsonS = await best(RUNS, async (r) => {
        for (const k of kinds) {
          const cols = READ_JSON_COLUMNS[k];
          if (!cols) throw new Error(`no read_json columns for ${k}`);
          const path = join(dir, `json-${k}-${r}.ndjson`);
          const lines: string[] = [];
          events.forEach((e, i) => {
            if (e.kind === k) lines.push(`{"seq":${i + 1},${JSON.stringify(e).slice(1)}`);
          });
          writeFileSync(path, lines.join('\n'));
          await conn.run(`COPY (SELECT ${cols.select} FROM read_json(${sqlPath(path)}, format = 'newline_delimited', columns = ${cols.json})) TO ${sqlPath(join(dir, `json-${k}-${r}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
        }
      });
      line(`read_json staging (stringify, write, read_json, COPY): ${(events.length / jsonS).toFixed(0)} events/s (lake appender path: ${(events.length / writeS).toFixed(0)})`);

      // 4. Book level layout: LIST of STRUCT (the lake's) vs two parallel DOUBLE lists.
      for (const k of kinds.filter((k) => k.startsWith('book'))) {
        const a = join(dir, `layout-struct-${k}.parquet`);
        const b = join(dir, `layout-lists-${k}.parquet`);
        await conn.run(`COPY t_${k} TO ${sqlPath(a)} (FORMAT parquet, COMPRESSION zstd)`);
        await conn.run(
          `COPY (SELECT * EXCLUDE (bids, asks), list_transform(bids, x -> x.price) AS bid_prices, list_transform(bids, x -> x.quantity) AS bid_quantities, list_transform(asks, x -> x.price) AS ask_prices, list_transform(asks, x -> x.quantity) AS ask_quantities FROM t_${k}) TO ${sqlPath(b)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        line(`layout ${k}: LIST<STRUCT(price, quantity)> ${statSync(a).size} bytes, two lists per side ${statSync(b).size} bytes`);
    }
    }
    conn.closeSync();
    inst.closeSync();

    // 5. The reader: every kind merged back in sequence order.
    let n = 0;
    const readS = await best(RUNS, async () => {
      n = 0;
      for await (const _ of readLake(lake0, { from: 0, to: Date.UTC(2100, 0, 1) })) n++;
    });
    if (n !== events.length) throw new Error(`read ${n} of ${events.length}`);
    line(`lake read (all kinds merged by sequence): ${(n / readS).toFixed(0)} events/s`);

    if (options.extras === true) {
      // 6. Compaction, and disk use per exchange-hour (these two symbols' trade + depth@100ms streams).
      const small = join(dir, 'small');
      const w = await LakeWriter.open(small, { maxBufferAgeMs: 1000, maxBufferedEvents: 1000 });
      for (const e of events) await w.write(e);
      await w.close();
      const smallBytes = bytesUnder(small);
      const t = performance.now();
      const merged = await compactLake(small);
      line(`small files (flush every 1000 events): ${smallBytes} bytes; compaction of ${merged.reduce((s, m) => s + m.merged, 0)} files into ${merged.length} in ${((performance.now() - t) / 1000).toFixed(2)} s → ${bytesUnder(small)} bytes`);
      const perHour = (lakeBytes / spanMs) * 3_600_000;
      line(`disk per exchange-hour (BTCUSDT + ETHUSDT, trade + depth@100ms): ${(perHour / MB).toFixed(1)} MB, ${(perHour / 2 / MB).toFixed(1)} MB per symbol-hour`);
    }
    return { events: events.length, inputBytes, writeSeconds: writeS, lakeBytes, lakeFiles: files, copySeconds: copyS, copyBytes, readSeconds: readS, lines: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await measureLake({ runs: 3, extras: true });
  console.log(figures.lines.join('\n'));
}
