/**
 * The dashboard's Live view over a real live stream: the replay server's recorded Binance and
 * Gemini websockets (at 20× their pace, a recorded minute every 3 s) → LiveStream → an in-memory
 * store, and the real API (createApiServer with the stream as its `stream` dependency) serving
 * web/dist to Debian's Chromium. The view lists the four Binance and Gemini markets the demo streams (beside Bitvavo's and BTCTurk's, test/demo-serve.test.ts) synced; binance:BTCUSDT's
 * chart draws the stored 1m stream bars and liquidity windows, and both counts grow as the
 * stream closes more of them (no timing assertion: it waits for growth).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PASSWORDS, startHarness } from '../src/api/test-support/api-harness.js';
import { parseMarketRef } from '../src/core/market-events.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { LiveStream } from '../src/stream/live-stream.js';
import { buildDashboard, launchChromium, WEB_DIST } from './support/dashboard/browser.js';

const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR'];

test('dashboard live - the stream\'s four markets synced; BTCUSDT\'s 1m bars and liquidity windows drawn, more as the stream goes on', { timeout: 240_000 }, async () => {
  await buildDashboard();
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const store = await openStore(':memory:');
  const lines: string[] = [];
  const stream = await LiveStream.start({
    markets: MARKETS.map(parseMarketRef),
    kinds: ['trade', 'book_snapshot', 'book_delta'],
    urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
    store,
    lakeRoot: null,
    windowMs: 60_000,
    staleAfterMs: 30_000,
    log: (l) => lines.push(l),
  });
  const api = await startHarness(store, { now: Date.now(), deps: { webRoot: fileURLToPath(WEB_DIST), stream: { status: () => stream.status() } } });
  const browser = await launchChromium();
  try {
    const ui = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    ui.setDefaultTimeout(120_000);
    await ui.goto(`${api.url}/#/login`);
    await ui.fill('input[name=name]', 'bob');
    await ui.fill('input[name=password]', PASSWORDS.bob);
    await ui.click('button[type=submit]');
    await ui.waitForSelector('nav#nav:not([hidden])');
    await ui.click('nav a[href="#/live"]');
    // Every market's book synced, as the view's polling of /stream/status shows it.
    await ui.waitForFunction((n) => document.querySelectorAll('table.live tr[data-synced=true]').length === n, MARKETS.length);
    const shown = await ui.$$eval('table.live tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-market'), r.querySelector('td:nth-child(5)')?.textContent]));
    assert.deepEqual(shown.sort(), MARKETS.map((m) => [m, '0']), 'the four markets, no gap');

    await ui.click('table.live a[href="#/live/binance%3ABTCUSDT"]');
    await ui.waitForSelector('h2:has-text("binance:BTCUSDT")');
    const counts = async (): Promise<{ bars: number; windows: number; lastBar: number }> =>
      ui.$eval('#live-chart', (el) => ({ bars: Number((el as HTMLElement).dataset.bars), windows: Number((el as HTMLElement).dataset.windows), lastBar: Number((el as HTMLElement).dataset.lastBar) }));
    await ui.waitForFunction(() => Number(document.getElementById('live-chart')?.dataset.bars) > 0 && Number(document.getElementById('live-chart')?.dataset.windows) > 0);
    const before = await counts();
    // The drawn bars are the store's: the newest drawn is a stored BTCUSDT stream bar, and no more are drawn than stored.
    const stored = await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER);
    assert.ok(Array.from(stored.openTime.subarray(0, stored.length)).includes(before.lastBar), `last drawn bar ${before.lastBar} is stored`);
    assert.ok(before.bars <= stored.length, `${before.bars} drawn, ${stored.length} stored`);
    assert.ok((await ui.$$eval('#live-chart canvas', (c) => c.length)) > 0, 'the chart is drawn');
    // The stream goes on: more bars and more windows are drawn without a reload.
    await ui.waitForFunction((b) => {
      const el = document.getElementById('live-chart');
      return Number(el?.dataset.bars) > b.bars && Number(el?.dataset.windows) > b.windows;
    }, before);
    const later = await counts();
    assert.ok(later.lastBar > before.lastBar, `the newest bar moved on: ${before.lastBar} → ${later.lastBar}`);
    const windows = await store.readSignals('binance', 'BTCUSDT', 60_000, later.lastBar + 60_000 - 2 * 3_600_000, later.lastBar + 120_000);
    assert.ok(later.windows <= windows.length && later.windows > 0, `${later.windows} windows drawn, ${windows.length} stored`);
    assert.equal(await ui.locator('[role=alert]').count(), 0, 'no error shown');
    if (process.env.LIVE_SHOT) await ui.screenshot({ path: process.env.LIVE_SHOT });
  } finally {
    await browser.close();
    await api.close();
    await stream.stop();
    await stream.done.catch(() => undefined);
    await store.close();
    await replay.close();
  }
  assert.ok(!lines.some((l) => /refused|stopped/.test(l)), lines.join('\n'));
});
