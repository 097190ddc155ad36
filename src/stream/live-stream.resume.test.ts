/**
 * A restart of the live stream on a Gemini market, which serves no trades by id: nothing is
 * fetched, the trades its new subscription sends again are not stored twice, and the windows over the outage are marked incomplete in the clock they are keyed in
 * (Gemini's book updates carry no exchange time: receive time). 5 s windows keep the test short.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMarketRef } from '../core/market-events.js';
import { startReplayServer } from '../replay/index.js';
import { openStore } from '../store/open-store.js';
import { readLake } from '../store/lake/index.js';
import { LiveStream, type LiveStreamOptions } from './live-stream.js';
import { OUTAGES_FILE } from './stream-resume.js';

const WINDOW = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('live stream restart - Gemini: no fetch by id, the recent trades of the new subscription the lake held dropped, windows over the outage (receive time) incomplete, the others not', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-live-resume-'));
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const store = await openStore(join(dir, 'store.duckdb'));
  const lakeRoot = join(dir, 'lake');
  const lines: string[] = [];
  const options: LiveStreamOptions = {
    markets: [parseMarketRef('gemini:FILUSD')],
    kinds: ['trade', 'book_snapshot', 'book_delta'],
    urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
    store,
    lakeRoot,
    lake: { maxBufferAgeMs: 500 },
    windowMs: WINDOW,
    staleAfterMs: 30_000,
    log: (l) => lines.push(l),
  };
  try {
    const first = await LiveStream.start(options);
    await sleep(8_000);
    await first.stop();
    let heldReceived = 0;
    for await (const { event } of readLake(lakeRoot, { from: 0, to: Date.now() + 1 })) heldReceived = Math.max(heldReceived, event.receivedAt);
    assert.ok(heldReceived > 0, `the first run left events in the lake\n${lines.join('\n')}`);
    await sleep(2 * WINDOW);
    const restartedAt = Date.now();
    const second = await LiveStream.start(options);
    await sleep(3 * WINDOW);
    await second.stop();
    const resume = second.status().resume;
    assert.deepEqual([resume.backfilledTrades, resume.unfilledMarkets], [0, []], 'Gemini serves no trades by id: nothing fetched');
    // A Gemini subscription starts with its recent trades: those the lake held are dropped, none is twice in the lake.
    const ids: string[] = [];
    for await (const { event } of readLake(lakeRoot, { from: 0, to: Date.now() + 1, kinds: ['trade'] })) if (event.kind === 'trade') ids.push(event.tradeId);
    assert.ok(ids.length > 0, 'trades in the lake');
    assert.equal(new Set(ids).size, ids.length, `no trade id twice in the lake (${resume.heldTradesDropped} held ones dropped at the restart)`);

    const windows = (await store.readSignals('gemini', 'FILUSD', WINDOW, Date.UTC(2025, 0, 1), Number.MAX_SAFE_INTEGER)).filter((w) => w.deltaEvents > 0);
    const shown = windows.map((w) => `${w.windowStart - restartedAt}:${w.incomplete}`).join(' ');
    // The whole windows inside the outage saw no event, so none was stored. The one the stop cut
    // into was still open when the first run stopped (a window closes on a later event), so it is
    // stored only if the restart rebuilt it, and then marked.
    const cut = windows.filter((w) => w.windowStart <= heldReceived && w.windowStart + WINDOW > heldReceived);
    assert.ok(cut.every((w) => w.incomplete), `the window the stop cut, if stored, is incomplete: ${shown}`);
    assert.ok(windows.some((w) => w.windowStart > heldReceived && w.windowStart <= restartedAt + 1_000 && w.incomplete), `the window the restart resumed in is incomplete: ${shown}`);
    for (const w of windows) {
      if (w.windowStart + WINDOW <= heldReceived) assert.equal(w.incomplete, false, `before the outage: ${shown}`);
      if (w.windowStart > restartedAt + 2_000) assert.equal(w.incomplete, false, `after the outage: ${shown}`);
    }
    const log = readFileSync(join(lakeRoot, OUTAGES_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { clock: string; from: number; to: number });
    const receive = log.find((s) => s.clock === 'receive');
    assert.ok(receive && receive.from === heldReceived && receive.to >= restartedAt, `the outage is logged in receive time: ${JSON.stringify(log)}`);
  } finally {
    await store.close();
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
