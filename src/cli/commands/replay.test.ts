import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candlesFromColumns } from '../../core/candle.js';
import { LakeWriter } from '../../store/lake/index.js';
import { mergedCapture } from '../../store/lake/test-support/capture-events.js';
import { openStore } from '../../store/open-store.js';
import { replayLake } from '../../stream/replay-lake.js';
import { marketsArg } from './replay.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

test('replay markets flag - a list of exchange:symbol; a bad or empty entry is refused naming it', () => {
  assert.deepEqual(marketsArg('binance:BTCUSDT, gemini:BTCUSD'), [{ exchange: 'binance', symbol: 'BTCUSDT' }, { exchange: 'gemini', symbol: 'BTCUSD' }]);
  assert.throws(() => marketsArg('binance:BTCUSDT,kraken:XBTUSD'), /"kraken:XBTUSD" is not <exchange>:<symbol>/);
  assert.throws(() => marketsArg('binance:BTCUSDT,'), /has an empty entry/);
});

test('replay command - runs the processors over a lake into the store (the same rows as replayLake), prints counts; clear errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-replay-'));
  try {
    // Two minutes of the recorded Binance capture (fixtures/ws/hftbacktest) written to a lake.
    const events = mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 4_000);
    const lake = join(dir, 'lake');
    const writer = await LakeWriter.open(lake);
    for (const e of events) await writer.write(e);
    await writer.close();
    const from = Math.floor(events[0]?.receivedAt ?? 0);
    const to = Math.floor(events.at(-1)?.receivedAt ?? 0) + 1;
    const db = join(dir, 'x.duckdb');
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--db', db, ...args], { encoding: 'utf8', timeout: 120_000 });

    const run = cli(['replay', '--from', new Date(from).toISOString(), '--to', String(to), '--lake', lake, '--markets', 'binance:BTCUSDT']);
    assert.equal(run.status, 0, run.stderr);
    const btc = events.filter((e) => e.symbol === 'BTCUSDT').length;
    assert.match(run.stdout, new RegExp(`^events read   ${btc} \\(arrival sequences \\d+…\\d+\\)$`, 'm'));

    // What replayLake writes with the config's default 60 s windows, to compare the CLI's store with.
    const expected = await openStore(join(dir, 'expected.duckdb'));
    const result = await replayLake({ lakeRoot: lake, from, to, markets: [{ exchange: 'binance', symbol: 'BTCUSDT' }], store: expected, windowMs: 60_000 });
    const want = { windows: await expected.readSignals('binance', 'BTCUSDT', 60_000, 0, Number.MAX_SAFE_INTEGER), bars: await expected.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER) };
    await expected.close();
    assert.ok(want.windows.length >= 2, `windows (${want.windows.length})`);
    assert.match(run.stdout, new RegExp(`^windows       ${result.windows}$`, 'm'));
    assert.match(run.stdout, new RegExp(`^bars          ${result.bars} \\(source stream\\)$`, 'm'));
    const store = await openStore(db);
    try {
      assert.deepEqual(await store.readSignals('binance', 'BTCUSDT', 60_000, 0, Number.MAX_SAFE_INTEGER), want.windows);
      assert.deepEqual(candlesFromColumns(await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER)), candlesFromColumns(want.bars));
      assert.deepEqual(await store.readSignals('binance', 'ETHUSDT', 60_000, 0, Number.MAX_SAFE_INTEGER), [], 'only the market asked for');
    } finally {
      await store.close();
    }

    const noLake = cli(['replay', '--from', String(from), '--to', String(to), '--lake', join(dir, 'missing')]);
    assert.notEqual(noLake.status, 0);
    assert.match(noLake.stderr, /no lake folder at .*missing/);
    const empty = cli(['replay', '--from', String(to), '--to', String(from), '--lake', lake]);
    assert.notEqual(empty.status, 0);
    assert.match(empty.stderr, /--from must be before --to/);
    const untouched = join(dir, 'untouched.duckdb');
    const nothing = cli(['--db', untouched, 'replay', '--from', '2020-01-01', '--to', '2020-01-02', '--lake', lake, '--markets', 'binance:SOLUSDT']);
    assert.notEqual(nothing.status, 0);
    assert.match(nothing.stderr, /holds no events of binance:SOLUSDT received in \[2020-01-01T00:00:00.000Z, 2020-01-02T00:00:00.000Z\); nothing was written/);
    assert.equal(existsSync(untouched), false, 'no store was made for nothing');
    const badMarket = cli(['replay', '--from', String(from), '--to', String(to), '--lake', lake, '--markets', 'binance:BTCUSDT,kraken:XBTUSD']);
    assert.notEqual(badMarket.status, 0);
    assert.match(badMarket.stderr, /"kraken:XBTUSD" is not <exchange>:<symbol>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
