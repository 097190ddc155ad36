/**
 * A websocket reconnect inside a running stream (the replay server closes the Binance connection
 * while its recorded clock goes on): the trades sent while no connection was open are fetched by
 * id before the first one after the gap, so the lake holds every trade id once and in a row, and
 * the liquidity windows over the gap are marked incomplete (their book updates are lost for good).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseMarketRef } from '../core/market-events.js';
import { assertNoDuplicateTrades, lakeTrades } from '../../test/support/lake-trade-ids.js';
import { LiveStream } from './live-stream.js';
import { withReplayStream } from './test-support/replay-stream-fixture.js';

test('live stream - trades lost to a reconnect are fetched by id; the windows over the gap are marked incomplete', { timeout: 120_000 }, () =>
  withReplayStream('tf-live-reconnect-', async ({ dir, replay, store, lines, log }) => {
    const lake = join(dir, 'lake');
    const stream = await LiveStream.start({
      markets: [parseMarketRef('binance:BTCUSDT')],
      kinds: ['trade', 'book_snapshot', 'book_delta'],
      urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
      store,
      lakeRoot: lake,
      lake: { maxBufferAgeMs: 1_000 },
      windowMs: 60_000,
      staleAfterMs: 30_000,
      log,
    });
    const until = async (what: string, ok: () => boolean): Promise<void> => {
      for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(ok(), `${what}\n${lines.join('\n')}`);
    };
    await until('trades before the fault', () => stream.status().events > 200);
    const res = await fetch(`${replay.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ exchange: 'binance', kind: 'disconnect' }) });
    assert.equal(res.status, 200);
    await until('trades fetched by id after the reconnect', () => stream.status().resume.backfilledTrades > 0);
    // Two more windows closed: the one holding the gap is among the stored ones (a minute is 3 s here).
    const windowsThen = stream.status().processors.windows;
    await until('windows closed after the reconnect', () => stream.status().processors.windows >= windowsThen + 2);
    await stream.stop();
    await stream.done;

    assert.ok(lines.some((l) => /stream: binance:BTCUSDT: trades \d+…\d+ were lost in the live feed; fetched (\d+) of \1 by id/.test(l)), lines.join('\n'));
    const ids = ((await lakeTrades(lake)).get('binance:BTCUSDT') ?? []).map((t) => t.id);
    assertNoDuplicateTrades('binance:BTCUSDT', ids);
    const sorted = ids.map(Number).sort((a, b) => a - b);
    assert.equal(sorted.at(-1)! - sorted[0]! + 1, sorted.length, 'every trade id between the first and the last, none missing');
    const windows = await store.readSignals('binance', 'BTCUSDT', 60_000, 0, Number.MAX_SAFE_INTEGER);
    assert.ok(windows.some((w) => w.incomplete), 'a window over the gap is marked incomplete');
  }));
