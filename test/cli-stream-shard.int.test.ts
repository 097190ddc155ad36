/**
 * `tickerflow stream --shard i/n` as a user runs it: two stream processes on one PostgreSQL store,
 * each given the same four markets of the replay server's recorded websockets (at 20× their pace)
 * and taking its share. Each streams only its own markets into its own lake folder and status
 * file, together they cover all four, and the store holds stream bars of every market.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseMarketRef } from '../src/core/market-events.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { marketsOfShard } from '../src/stream/stream-shard.js';
import { runCli } from './support/run-cli.js';
import { streamConfigToml } from './support/stream-config.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR'];

interface StatusFile {
  running: boolean;
  events: number;
  processors: { bars: number };
  exchanges: Array<{ exchange: string; books: Array<{ symbol: string }> }>;
}

function readStatus(path: string): StatusFile | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StatusFile;
  } catch {
    return null;
  }
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('stream --shard: two processes split four markets, each with its own lake and status, all markets streamed', { timeout: 180_000 }, async () => {
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const db = await createTempDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tf-shard-'));
  const lake = join(dir, 'lake');
  writeFileSync(join(dir, 'tickerflow.toml'), streamConfigToml({ replay, markets: MARKETS, lake, db: db.url }));
  const children: ChildProcess[] = [];
  const stderr = ['', ''];
  try {
    for (const i of [1, 2]) {
      const child = spawn(process.execPath, ['--import', TSX, MAIN, 'stream', '--shard', `${i}/2`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (d: Buffer) => (stderr[i - 1] += d.toString()));
      children.push(child);
    }
    const statusPath = (i: number): string => join(lake, `shard-${i}-of-2.status.json`);
    await until('both shards to close a bar', () => [1, 2].every((i) => (readStatus(statusPath(i))?.processors.bars ?? 0) > 0), 150_000).catch((err: Error) => {
      throw new Error(`${err.message}\nshard 1: ${stderr[0]}\nshard 2: ${stderr[1]}`);
    });
    for (const c of children) c.kill('SIGINT');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    assert.deepEqual(children.map((c) => c.exitCode), [0, 0], `both stopped cleanly on Ctrl-C\n${stderr.join('\n')}`);

    const expected = [1, 2].map((i) => marketsOfShard(MARKETS.map(parseMarketRef), { index: i, count: 2 }).map((m) => `${m.exchange}:${m.symbol}`));
    assert.deepEqual([...expected.flat()].sort(), [...MARKETS].sort(), 'the two shards cover the four markets once');
    for (const i of [1, 2]) {
      const s = readStatus(statusPath(i));
      assert.ok(s !== null && !s.running);
      const books = s.exchanges.flatMap((x) => x.books.map((b) => `${x.exchange}:${b.symbol}`)).sort();
      assert.deepEqual(books, [...(expected[i - 1] as string[])].sort(), `shard ${i} streamed only its markets`);
      assert.match(stderr[i - 1] as string, new RegExp(`shard ${i}/2: ${(expected[i - 1] as string[]).join(', ')} \\(of 4 markets\\)`));
      // Its lake folder holds trades of its own symbols only.
      const tradeSymbols = existsSync(join(lake, `shard-${i}-of-2`, 'kind=trade'))
        ? readdirSync(join(lake, `shard-${i}-of-2`, 'kind=trade')).flatMap((ex) => readdirSync(join(lake, `shard-${i}-of-2`, 'kind=trade', ex)).map((sym) => `${ex.replace('exchange=', '')}:${sym.replace('symbol=', '')}`))
        : [];
      assert.ok(tradeSymbols.length > 0 && tradeSymbols.every((m) => (expected[i - 1] as string[]).includes(m)), `shard ${i} lake: ${tradeSymbols.join(', ')}`);
      const shown = runCli(['stream', 'status', '--shard', `${i}/2`], { cwd: dir });
      assert.equal(shown.code, 0, shown.stderr);
      for (const m of MARKETS) assert.equal(shown.stdout.includes(m), (expected[i - 1] as string[]).includes(m), `status of shard ${i} lists ${m} only if it is its own`);
    }
    // Every market's stream bars are in the one store.
    const store = await openStore(db.url);
    try {
      for (const m of MARKETS.map(parseMarketRef)) {
        const stats = await store.seriesStats({ exchange: m.exchange, symbol: m.symbol, interval: '1m' });
        assert.ok(stats !== null && stats.count > 0, `${m.exchange}:${m.symbol} has stream bars`);
      }
    } finally {
      await store.close();
    }
    const bad = runCli(['stream', '--shard', '3/2'], { cwd: dir });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--shard "3\/2": i must be between 1 and 2, got 3/);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await replay.close();
    await db.drop();
  }
});
