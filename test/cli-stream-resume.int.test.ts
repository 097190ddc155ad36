/**
 * `tickerflow stream` killed with SIGKILL and started again (issue 18 item 4), against the replay
 * server's recorded Binance BTCUSDT streams at 5× their pace, DuckDB store. The restarted process
 * fetches the trades it missed by id (`historicalTrades`), so over the whole run the lake holds
 * every trade the replay sent, by id, once; bars over the outage are the whole minute's; windows
 * over the outage are stored marked incomplete and every other window counts exactly the lake's
 * trades of its minute.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TradeEvent } from '../src/core/market-events.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { readLake } from '../src/store/lake/index.js';
import { replayLake } from '../src/stream/replay-lake.js';
import { streamConfigToml } from './support/stream-config.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const MIN = 60_000;

interface StatusFile {
  running: boolean;
  events: number;
  processors: { bars: number; windows: number };
  resume?: { backfilledTrades: number; heldTradesDropped: number; unfilledMarkets: string[] };
}

function readStatus(path: string): StatusFile | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StatusFile;
  } catch {
    return null;
  }
}

async function until(what: string, ok: () => boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const exited = (c: ChildProcess): Promise<unknown> => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

interface RestTrade { id: number; price: string; qty: string; time: number; isBuyerMaker: boolean }

test('stream killed with SIGKILL and restarted: every trade in the lake once, by id; windows over the outage marked incomplete, the others exact', { timeout: 300_000 }, async (ctx) => {
  const replay = await startReplayServer({ speed: 10, ws: { preload: true } });
  const dir = mkdtempSync(join(tmpdir(), 'tf-resume-'));
  const lake = join(dir, 'lake');
  const db = join(dir, 'tickerflow.duckdb');
  // Lake flushes every 3 s, longer than the store's 1 s: the kill loses trades the store has counted but the lake never held.
  writeFileSync(join(dir, 'tickerflow.toml'), streamConfigToml({ replay, markets: ['binance:BTCUSDT'], lake, db, lakeFlushSeconds: 3 }));
  const statusPath = `${lake}.status.json`;
  let stderr = '';
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'stream'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    return child;
  };
  let child: ChildProcess | null = null;
  try {
    child = start();
    // Two windows closed: 2 simulated minutes and a bit (≈ 15 s at 10×).
    await until('the first process to close 2 windows', () => (readStatus(statusPath)?.processors.windows ?? 0) >= 2, 150_000, () => stderr);
    child.kill('SIGKILL');
    await exited(child);
    const killedAt = replay.clock.now();
    // Held after the kill: whatever the lake had published (exchange times: what windows are keyed by).
    let heldUntil = Number.NEGATIVE_INFINITY;
    for await (const { event } of readLake(lake, { from: 0, to: Date.now() + 1 })) if (event.exchangeTime !== null) heldUntil = Math.max(heldUntil, event.exchangeTime);
    assert.ok(Number.isFinite(heldUntil), `the lake held events before the kill\n${stderr}`);
    // Dead for more than a whole window: ≥ 90 simulated seconds.
    await until('90 simulated seconds of outage', () => replay.clock.now() - killedAt >= 90_000, 60_000, () => stderr);
    writeFileSync(statusPath, '{}');
    child = start();
    const restartedAt = replay.clock.now();
    // Live again for 2 simulated minutes and a bit, past the windows the fetched trades close.
    await until('the restarted process to fetch missed trades and stream 150 simulated seconds', () => {
      const s = readStatus(statusPath);
      return (s?.resume?.backfilledTrades ?? 0) > 0 && (s?.processors.windows ?? 0) >= 3 && replay.clock.now() - restartedAt >= 150_000;
    }, 150_000, () => stderr);
    child.kill('SIGINT');
    await exited(child);
    assert.equal(child.exitCode, 0, `the restarted process stopped cleanly on Ctrl-C\n${stderr}`);
    const status = readStatus(statusPath);
    assert.deepEqual(status?.resume?.unfilledMarkets, [], 'nothing left unfilled');
    assert.match(stderr, /binance:BTCUSDT: resumed after trade \d+: fetched \d+ missed trades by id/);

    // The lake: every trade once, ids contiguous, equal to the replay's source trades.
    const trades: TradeEvent[] = [];
    for await (const { event } of readLake(lake, { from: 0, to: Date.now() + 1, kinds: ['trade'] })) if (event.kind === 'trade') trades.push(event);
    const ids = trades.map((t) => Number(t.tradeId));
    assert.equal(new Set(ids).size, ids.length, 'no trade id twice in the lake');
    const sorted = [...ids].sort((a, b) => a - b);
    assert.deepEqual(ids, sorted, 'trades in the lake in id order');
    const first = sorted[0] as number;
    const last = sorted.at(-1) as number;
    assert.equal(last - first + 1, ids.length, `no id missing between ${first} and ${last}`);
    const source: RestTrade[] = [];
    for (let from = first; from <= last; ) {
      const res = await fetch(`${replay.urls.binance}/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${from}&limit=1000`);
      const page = (await res.json()) as RestTrade[];
      assert.ok(page.length > 0, `replay serves trades from ${from}`);
      source.push(...page.filter((t) => t.id <= last));
      from = (page.at(-1) as RestTrade).id + 1;
    }
    assert.deepEqual(
      trades.map((t) => [Number(t.tradeId), t.price, t.quantity, t.exchangeTime, t.takerSide]),
      source.map((t) => [t.id, Number(t.price), Number(t.qty), t.time, t.isBuyerMaker ? 'sell' : 'buy']),
      'the lake holds exactly the replay\'s trades over the run',
    );

    // Per minute of exchange time, the lake's trades: what bars and windows must count.
    const perMinute = new Map<number, { n: number; volume: number }>();
    for (const t of trades) {
      const m = (t.exchangeTime as number) - ((t.exchangeTime as number) % MIN);
      const x = perMinute.get(m) ?? { n: 0, volume: 0 };
      x.n++;
      x.volume += t.quantity;
      perMinute.set(m, x);
    }
    const minutes = [...perMinute.keys()].sort((a, b) => a - b);
    const store = await openStore(db);
    try {
      // Bars: every minute but the first (the process started inside it) and the last (still open) counts each trade once.
      const candles = await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER);
      const byOpen = new Map(Array.from(candles.openTime, (t, i) => [t, i] as const));
      const inner = minutes.slice(1, -1);
      assert.ok(inner.length >= 4, `at least 4 whole minutes streamed, got ${minutes.map((m) => new Date(m).toISOString()).join(', ')}`);
      for (const m of inner) {
        const i = byOpen.get(m);
        assert.ok(i !== undefined, `a bar for ${new Date(m).toISOString()}`);
        assert.equal(candles.trades[i], perMinute.get(m)?.n, `bar ${new Date(m).toISOString()} counts each trade once`);
        assert.ok(Math.abs((candles.volume[i] as number) - (perMinute.get(m)?.volume ?? 0)) < 1e-6, `bar ${new Date(m).toISOString()} volume`);
      }
      // Windows: those over the outage incomplete; the complete ones count exactly the lake's trades.
      const windows = await store.readSignals('binance', 'BTCUSDT', MIN, 0, Number.MAX_SAFE_INTEGER);
      const shown = JSON.stringify({ resume: readStatus(statusPath)?.resume, heldUntil: new Date(heldUntil).toISOString(), windows: windows.map((w) => [new Date(w.windowStart).toISOString().slice(11, 16), w.trades, w.deltaEvents, w.incomplete]), lake: minutes.map((m) => [new Date(m).toISOString().slice(11, 16), perMinute.get(m)?.n]) });
      ctx.diagnostic(shown);
      const incomplete = windows.filter((w) => w.incomplete);
      assert.ok(incomplete.length >= 2, `the window the kill cut and the whole one in the outage are incomplete (got ${incomplete.length})`);
      const cut = heldUntil - (heldUntil % MIN);
      assert.ok(incomplete.some((w) => w.windowStart === cut), 'the window holding the last event held before the kill is incomplete');
      for (const w of windows) {
        if (w.windowStart + MIN <= heldUntil) assert.equal(w.incomplete, false, `window ${new Date(w.windowStart).toISOString()} ended before the outage`);
        if (w.windowStart <= heldUntil && w.windowStart + MIN > heldUntil) assert.equal(w.incomplete, true, `window ${new Date(w.windowStart).toISOString()} holds the start of the outage`);
        if (!w.incomplete && w.windowStart !== minutes[0]) assert.equal(w.trades, perMinute.get(w.windowStart)?.n ?? 0, `complete window ${new Date(w.windowStart).toISOString()} counts the lake's trades: ${shown}`);
      }
      const firstComplete = windows.findIndex((w) => w.windowStart > cut && !w.incomplete);
      assert.ok(firstComplete > 0, 'windows after the outage are complete again');
      assert.ok(windows.slice(firstComplete).every((w) => !w.incomplete), 'no incomplete window after the first complete one past the outage');

      // A replay over the lake marks the same windows (the lake folder logs the outage) and counts the same trades in them.
      const replayed = await openStore(join(dir, 'replayed.duckdb'));
      try {
        await replayLake({ lakeRoot: lake, from: 0, to: Date.now() + 1, store: replayed, windowMs: MIN });
        const again = await replayed.readSignals('binance', 'BTCUSDT', MIN, 0, Number.MAX_SAFE_INTEGER);
        assert.deepEqual(again.filter((w) => w.incomplete).map((w) => w.windowStart), incomplete.map((w) => w.windowStart), 'the replay marks the outage\'s windows');
        for (const w of again) if (!w.incomplete && w.windowStart !== minutes[0] && w.windowStart !== minutes.at(-1)) assert.equal(w.trades, perMinute.get(w.windowStart)?.n ?? 0, `replayed window ${new Date(w.windowStart).toISOString()}`);
      } finally {
        await replayed.close();
      }
    } finally {
      await store.close();
    }
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
