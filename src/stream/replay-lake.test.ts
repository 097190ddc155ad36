/**
 * Issue 17's Done-when: `tickerflow replay` over the lake reproduces the live stream's signals and
 * bars bit for bit. Recorded events (Binance BTCUSDT + ETHUSDT capture and the Gemini v2 session)
 * go through the live path (lake writer + memory bus + StreamProcessors with ProcessorBooks) into
 * store A; replayLake over the lake it wrote goes into store B; every stored row of A and B is
 * compared field by field with Object.is. Then the fault: kill -9 of a live process after some
 * lake flushes, a restart that misses some events, and a replay: every window and bar that was
 * complete on disk before the first missing event equals the uninterrupted run's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candlesFromColumns, type Candle } from '../core/candle.js';
import type { MarketEvent, MarketRef } from '../core/market-events.js';
import { seededRandom } from '../core/seeded-random.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { readLake } from '../store/lake/index.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import { DEFAULT_TICK_EVERY_MS } from './event-clock-driver.js';
import { DEFAULT_GRACE_MS, replayLake } from './replay-lake.js';
import { recordedEvents, runLivePath } from './test-support/live-path.js';

const CHILD = fileURLToPath(new URL('./test-support/live-path-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const WINDOW_MS = 10_000;
const MINUTE_MS = 60_000;

const events = recordedEvents();
const from = Math.floor(events[0]?.receivedAt ?? 0);
const to = Math.floor(events.at(-1)?.receivedAt ?? 0) + 1;
const markets: MarketRef[] = [...new Map(events.map((e) => [`${e.exchange}:${e.symbol}`, { exchange: e.exchange, symbol: e.symbol }])).values()];

interface Stored {
  windows: LiquidityWindow[];
  bars: (Candle & { market: string })[];
}

async function readStored(store: DuckDbStore): Promise<Stored> {
  const out: Stored = { windows: [], bars: [] };
  for (const m of markets) {
    out.windows.push(...(await store.readSignals(m.exchange, m.symbol, WINDOW_MS, 0, Number.MAX_SAFE_INTEGER)));
    const candles = candlesFromColumns(await store.readCandles({ exchange: m.exchange, symbol: m.symbol, interval: '1m' }, 0, Number.MAX_SAFE_INTEGER));
    out.bars.push(...candles.map((c) => ({ market: `${m.exchange}:${m.symbol}`, ...c })));
  }
  return out;
}

/** Asserts two row lists are the same length and every field of every row is Object.is-equal. */
function assertBitIdentical<T extends object>(a: readonly T[], b: readonly T[], what: string): void {
  assert.equal(b.length, a.length, `${what}: row count`);
  for (const [i, row] of a.entries()) {
    const other = b[i] as T;
    assert.deepEqual(Object.keys(other).sort(), Object.keys(row).sort(), `${what}[${i}]: fields`);
    for (const [k, v] of Object.entries(row)) {
      const w: unknown = (other as Record<string, unknown>)[k];
      if (!Object.is(v, w)) assert.fail(`${what}[${i}] (${JSON.stringify(row).slice(0, 120)}…): ${k} is ${String(w)}, live ${String(v)}`);
    }
  }
}

async function openStore(dir: string, name: string): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(join(dir, name));
  await store.migrate();
  return store;
}

const dir = mkdtempSync(join(tmpdir(), 'tickerflow-replay-lake-'));
let live: Stored | null = null;

/** The uninterrupted live run (store A), computed once. */
async function liveRun(): Promise<Stored> {
  if (live) return live;
  const store = await openStore(dir, 'live.duckdb');
  try {
    const counts = await runLivePath(events, { lakeRoot: join(dir, 'lake'), store, windowMs: WINDOW_MS, writer: { maxBufferedEvents: 5_000 } }, to + DEFAULT_GRACE_MS);
    assert.equal(counts.events, events.length);
    assert.equal(counts.rejected, 0);
    live = await readStored(store);
    return live;
  } finally {
    await store.close();
  }
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('replay over the lake - signals and stream bars bit-identical to the live run, every field (Object.is)', async (t) => {
  const a = await liveRun();
  const store = await openStore(dir, 'replay.duckdb');
  try {
    let progress = 0;
    const result = await replayLake({ lakeRoot: join(dir, 'lake'), from, to, store, windowMs: WINDOW_MS, progressEvery: 10_000, onProgress: () => progress++ });
    assert.equal(result.read, events.length, 'every event comes back from the lake');
    assert.deepEqual([result.firstSeq, result.lastSeq], [1, events.length]);
    assert.equal(progress, Math.floor(events.length / 10_000));
    const b = await readStored(store);
    // Enough of each to mean something: windows of all three kinds of book (Binance with a REST
    // snapshot, Gemini with exchange times null), bars of both exchanges.
    for (const m of ['binance:BTCUSDT', 'binance:ETHUSDT']) {
      assert.ok(a.windows.filter((w) => `${w.exchange}:${w.symbol}` === m && w.bookRatio !== null).length >= 30, `${m} windows with a book`);
      assert.ok(a.bars.filter((c) => c.market === m && c.trades > 0).length >= 5, `${m} bars`);
    }
    assert.ok(a.windows.some((w) => w.exchange === 'gemini' && w.deltaRatio !== null && w.bookRatio !== null), 'gemini windows');
    assert.equal(result.windows, a.windows.length);
    t.diagnostic(`${events.length} events, ${a.windows.length} windows, ${a.bars.length} bars`);
    assertBitIdentical(a.windows, b.windows, 'signals');
    assertBitIdentical(a.bars, b.bars, 'bars');

    // A --to two hours past the recording's end adds nothing: the clock stops at the last event, as
    // the live stream's did (no flat bars for the unrecorded minutes).
    const later = await openStore(dir, 'later.duckdb');
    try {
      await replayLake({ lakeRoot: join(dir, 'lake'), from, to: to + 7_200_000, store: later, windowMs: WINDOW_MS });
      const c = await readStored(later);
      assertBitIdentical(b.bars, c.bars, 'bars with a later --to');
      assertBitIdentical(b.windows, c.windows, 'signals with a later --to');
    } finally {
      await later.close();
    }

    // A replay of one market over part of the range writes only that market's rows, and the same values.
    const part = await openStore(dir, 'part.duckdb');
    try {
      const mid = Math.floor((from + to) / 2);
      const eth = await replayLake({ lakeRoot: join(dir, 'lake'), from: mid, to, markets: [{ exchange: 'binance', symbol: 'ETHUSDT' }], store: part, windowMs: WINDOW_MS });
      assert.equal(eth.read, events.filter((e) => e.symbol === 'ETHUSDT' && e.receivedAt >= mid).length);
      const got = await part.readSignals('binance', 'ETHUSDT', WINDOW_MS, 0, Number.MAX_SAFE_INTEGER);
      assert.ok(got.length > 5);
      assert.deepEqual(await part.readSignals('binance', 'BTCUSDT', WINDOW_MS, 0, Number.MAX_SAFE_INTEGER), []);
      // Delta sums of windows wholly inside the part depend only on their own events.
      const liveEth = new Map(a.windows.filter((w) => w.symbol === 'ETHUSDT').map((w) => [w.windowStart, w]));
      const inside = got.filter((w) => w.windowStart >= mid + WINDOW_MS && w.windowStart + WINDOW_MS + DEFAULT_GRACE_MS < to);
      assert.ok(inside.length > 5);
      for (const w of inside) assert.equal(w.bidDeltaNotional, liveEth.get(w.windowStart)?.bidDeltaNotional, `window ${w.windowStart}`);
    } finally {
      await part.close();
    }
  } finally {
    await store.close();
  }
});

test('replay over the lake - bad input: no lake folder, an empty range', async () => {
  const store = await openStore(dir, 'bad.duckdb');
  try {
    await assert.rejects(replayLake({ lakeRoot: join(dir, 'nowhere'), from, to, store, windowMs: WINDOW_MS }), /no lake folder at .*nowhere/);
    await assert.rejects(replayLake({ lakeRoot: dir, from: to, to: from, store, windowMs: WINDOW_MS }), /the range is empty/);
    await assert.rejects(replayLake({ lakeRoot: join(dir, 'live.duckdb'), from, to, store, windowMs: WINDOW_MS }), /is not a folder/);
  } finally {
    await store.close();
  }
});

interface ChildRun {
  onDisk: number;
  start: number;
  published: number;
}

/** Runs the live path in a child; with `killAfter` SIGKILLs it once a published file reaches that sequence (plus `delayMs`), else waits for `done`. */
function runChild(lakeRoot: string, storePath: string, skip: number, killAfter?: number, delayMs = 0): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, lakeRoot, storePath, String(WINDOW_MS), String(skip)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const run: ChildRun = { onDisk: -1, start: -1, published: 0 };
  return new Promise<ChildRun>((resolve, reject) => {
    let rest = '';
    let finished = false;
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const [what, ...args] = line.split(' ');
        if (what === 'opened') [run.onDisk, run.start] = args.map(Number) as [number, number];
        if (what === 'done') finished = true;
        if (what === 'published' && ++run.published > 0 && killAfter !== undefined && Number(args[1]) >= killAfter && !killing) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (killAfter !== undefined ? signal === 'SIGKILL' : code === 0 && finished) resolve(run);
      else reject(new Error(`live path child ended with code ${code}, signal ${signal}`));
    });
  });
}

test('replay over the lake - kill -9 of the live process, a restart, a replay: every window complete on disk equals the uninterrupted run', async (t) => {
  const a = await liveRun();
  const rnd = seededRandom(1705);
  const lakeRoot = join(dir, 'killed-lake');
  // Kill at a random point a few thousand Binance events in (after the 671 Gemini ones), i.e. after some flushes.
  const geminiEvents = events.filter((e) => e.exchange === 'gemini').length;
  const killAfter = geminiEvents + 3_000 + Math.floor(rnd() * 6_000);
  const skip = 50 + Math.floor(rnd() * 400);
  const first = await runChild(lakeRoot, join(dir, 'child1.duckdb'), skip, killAfter, Math.floor(rnd() * 50));
  assert.deepEqual([first.onDisk, first.start], [0, 0]);
  assert.ok(first.published > 0);
  const second = await runChild(lakeRoot, join(dir, 'child2.duckdb'), skip);
  assert.ok(second.onDisk >= killAfter, `the first run left files up to its kill (${second.onDisk})`);
  assert.equal(second.start, second.onDisk + skip, 'the restart continues after the highest sequence on disk, missing what came while it was down');

  // Which input events are on disk: sequences up to the kill are index + 1, after it index + 1 - skip.
  const onDisk = new Set<number>();
  for await (const { seq, event } of readLake(lakeRoot, { from, to })) {
    const index = seq <= second.onDisk ? seq - 1 : seq - 1 + skip;
    const expected = events[index] as MarketEvent;
    assert.deepEqual(event, expected, `seq ${seq} is input event ${index}`);
    onDisk.add(index);
  }
  const firstMissing = events.findIndex((_e, i) => !onDisk.has(i));
  assert.ok(firstMissing > 0 && firstMissing <= second.onDisk, `the first missing event (${firstMissing}) is at or before the kill`);
  assert.ok(onDisk.size >= events.length - skip - 2 * 5_000, 'the restart wrote the rest');
  // A window (bar) was complete on disk when a tick past its end + grace came before the first missing event.
  const completeBy = (events[firstMissing - 1] as MarketEvent).receivedAt - DEFAULT_TICK_EVERY_MS - DEFAULT_GRACE_MS;

  const store = await openStore(dir, 'after-kill.duckdb');
  try {
    await replayLake({ lakeRoot, from, to, store, windowMs: WINDOW_MS });
    const b = await readStored(store);
    const completeWindow = (w: LiquidityWindow): boolean => w.windowStart + w.windowMs <= completeBy;
    const completeBar = (c: Candle): boolean => c.openTime + MINUTE_MS <= completeBy;
    const windows = a.windows.filter(completeWindow);
    assert.ok(windows.filter((w) => w.exchange === 'binance').length >= 4, `complete Binance windows before the kill (${windows.length} in all)`);
    t.diagnostic(`killed at seq ≥ ${killAfter}, ${second.onDisk} on disk, first missing event ${firstMissing}, skip ${skip}; ${windows.length} of ${a.windows.length} windows and ${a.bars.filter(completeBar).length} of ${a.bars.length} bars complete on disk`);
    assertBitIdentical(windows, b.windows.filter(completeWindow), 'signals complete on disk');
    assertBitIdentical(a.bars.filter(completeBar), b.bars.filter(completeBar), 'bars complete on disk');
    // The replay keeps going after the gap: it has windows up to the end of the range too.
    assert.ok(b.windows.some((w) => w.exchange === 'binance' && w.windowStart + WINDOW_MS > to - 2 * WINDOW_MS));
  } finally {
    await store.close();
  }
});
