/**
 * `[history] interval = "1h"` end to end, through the commands a user runs, against the replay
 * server: `backfill` stores 1h candles from the 1h archive files and from REST klines, `sync`
 * tops them up to the last closed hour (not the forming one), `gaps` finds none in a complete
 * window, and `up --replay` follows a symbol at 1h. Expected values come from the recorded files
 * read here with their own small decoders (zlib for the zip, JSON for REST), not the client's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { parseTime } from '../src/core/time.js';
import { startReplayServer, type ReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { replayConfigToml } from './support/pipeline-harness.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** Rows of a recorded archive zip: the one stored entry inflated, microsecond times cut to ms. */
function archiveRows(key: string): number[][] {
  const zip = readFileSync(new URL(`binance-vision/${key}`, FIXTURES));
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  const csv = inflateRawSync(zip.subarray(start, start + zip.readUInt32LE(18))).toString('utf8');
  return csv.trim().split('\n').map((line) => {
    const cells = line.split(',').slice(0, 11).map(Number);
    // Spot files from 2025 on carry microseconds in both time columns.
    if (cells[0]! > 1e14) [cells[0], cells[6]] = [Math.floor(cells[0]! / 1000), Math.floor(cells[6]! / 1000)];
    return cells;
  });
}

/** Rows of a recorded `/api/v3/klines` response (the first 11 columns, as numbers). */
function restRows(path: string): number[][] {
  return (JSON.parse(readFileSync(new URL(`binance-rest/klines/${path}`, FIXTURES), 'utf8')) as unknown[][]).map((r) => r.slice(0, 11).map(Number));
}

function assertRows(actual: CandleColumns, expected: number[][], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  expected.forEach((row, i) => CANDLE_FIELDS.forEach((f, j) => assert.equal(actual[f][i], row[j], `${what}: ${f} of row ${i}`)));
}

async function withReplay(now: string, fn: (replay: ReplayServer, dir: string) => Promise<void>): Promise<void> {
  const replay = await startReplayServer({ now, speed: 0, publicationLagMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tf-1h-'));
  try {
    await fn(replay, dir);
  } finally {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/**
 * Runs the CLI in a child process without blocking this one (the replay server answers from
 * here); with `stopAfterMs`, sends SIGINT (Ctrl-C) then.
 */
function runAsync(args: string[], cwd: string, stopAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, ...args], { cwd, env: { ...process.env, TICKERFLOW_DB: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = stopAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), stopAfterMs);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

async function cli(dir: string, ...args: string[]): Promise<string> {
  const r = await runAsync(['--config', join(dir, 'tickerflow.toml'), '--db', join(dir, 'h1.duckdb'), ...args], dir);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function stored(dir: string, symbol: string, from: string, to: string): Promise<CandleColumns> {
  const store = await openStore(join(dir, 'h1.duckdb'));
  try {
    assert.equal(await store.seriesStats({ exchange: 'binance', symbol, interval: '1m' }), null, 'no 1m series is written at 1h');
    return await store.readCandles({ exchange: 'binance', symbol, interval: '1h' }, parseTime(from), parseTime(to));
  } finally {
    await store.close();
  }
}

test('1h - backfill stores the 1h archive files (microsecond times) as hourly candles', async () => {
  await withReplay('2026-05-10T00:30:00Z', async (replay, dir) => {
    writeFileSync(join(dir, 'tickerflow.toml'), `${replayConfigToml(replay, ['BTCUSDT'])}\n[history]\ninterval = "1h"\nsince = "2026-05-08"\n`);
    assert.match(await cli(dir, 'backfill'), /BTCUSDT: 2 archive files \(48 rows\), 0 REST rows/);
    const key = (day: string): string => `data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-${day}.zip`;
    assertRows(await stored(dir, 'BTCUSDT', '2026-05-08', '2026-05-11'), [...archiveRows(key('2026-05-08')), ...archiveRows(key('2026-05-09'))], 'BTCUSDT 1h archive');
    assert.match(await cli(dir, 'gaps'), /gaps job \d+: 0 gaps \(none\)/);
  });
});

test('1h - backfill from REST klines, sync to the last closed hour, gaps finds none', async () => {
  await withReplay('2024-02-10T12:30:00Z', async (replay, dir) => {
    writeFileSync(join(dir, 'tickerflow.toml'), `${replayConfigToml(replay, ['ETHUSDT'])}\n[history]\ninterval = "1h"\nsince = "2024-02-01"\n`);
    // 2024-02-01 00:00 .. 2024-02-10 11:00: 9 days and 12 hours; 12:00 is forming.
    assert.match(await cli(dir, 'backfill'), /ETHUSDT: 0 archive files \(0 rows\), 228 REST rows/);
    replay.clock.setNow(parseTime('2024-02-10T15:30:30Z'));
    assert.match(await cli(dir, 'sync'), /sync job \d+: 3 rows written for 1 symbols/);
    assertRows(await stored(dir, 'ETHUSDT', '2024-02-01', '2024-03-01'), restRows('ETHUSDT/1h/2024-02-01.json').slice(0, 231), 'ETHUSDT 1h REST');
    assert.match(await cli(dir, 'gaps'), /gaps job \d+: 0 gaps \(none\), 0 missing candles/);
  });
});

test('1h - up --replay follows a symbol at 1h: every stored hour of a whole day rolls up to Binance\'s own 1d kline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-1h-up-'));
  try {
    writeFileSync(join(dir, 'tickerflow.toml'), '[universe]\ntop = 0\nsymbols = ["BTCUSDT"]\n\n[history]\ninterval = "1h"\n');
    // Stopped with SIGINT (as Ctrl-C) after 25 s; at 600x the simulated clock passes a few hours.
    const up = await runAsync(['--config', join(dir, 'tickerflow.toml'), '--db', join(dir, 'h1.duckdb'), 'up', '--replay', '--now', '2020-01-03T10:30:00Z', '--speed', '600', '--port', '0'], dir, 25_000);
    assert.match(up.stdout, /tickerflow up: stopped/, up.stderr);
    const hours = await stored(dir, 'BTCUSDT', '2020-01-01', '2020-01-04');
    assert.ok(hours.length >= 24 * 2 + 11, `2020-01-01 00:00 .. at least 2020-01-03 10:00 stored: ${hours.length} hours`);
    for (let i = 1; i < hours.length; i++) assert.equal(hours.openTime[i]! - hours.openTime[i - 1]!, 3_600_000, `hour ${i} follows hour ${i - 1}`);
    const days = restRows('BTCUSDT/1d/2020-01-01.json');
    for (const d of [0, 1]) {
      const at = d * 24;
      let high = -Infinity;
      let low = Infinity;
      let volume = 0;
      for (let h = at; h < at + 24; h++) {
        high = Math.max(high, hours.high[h]!);
        low = Math.min(low, hours.low[h]!);
        volume += hours.volume[h]!;
      }
      const [openTime, open, dayHigh, dayLow, close, dayVolume] = days[d]!;
      assert.deepEqual([hours.openTime[at], hours.open[at], high, low, hours.close[at + 23]], [openTime, open, dayHigh, dayLow, close], `day ${d}`);
      assert.ok(Math.abs(volume - dayVolume!) < 1e-6, `day ${d} volume ${volume} vs ${dayVolume}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
