/**
 * A market nothing arrives from (a symbol the exchange does not list is never sent, and the
 * subscription is not refused) is named in the log after `silentMarketMs`, once; the others are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarketRef } from '../core/market-events.js';
import { LiveStream } from './live-stream.js';
import { withReplayStream } from './test-support/replay-stream-fixture.js';

test('live stream - a market no event comes from is named in the log, the ones that stream are not', { timeout: 60_000 }, () =>
  withReplayStream('tf-live-silent-', async ({ replay, store, lines, log }) => {
    const stream = await LiveStream.start({
      markets: ['binance:BTCUSDT', 'binance:NOSUCHUSDT'].map(parseMarketRef),
      kinds: ['trade'],
      urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
      store,
      lakeRoot: null,
      windowMs: 60_000,
      staleAfterMs: 30_000,
      silentMarketMs: 4_000,
      log,
    });
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('stream: no event from')); i++) await new Promise((r) => setTimeout(r, 100));
    await stream.stop();
    await stream.done;
    assert.ok(stream.status().events > 0, 'BTCUSDT streamed');
    assert.deepEqual(lines.filter((l) => l.startsWith('stream: no event from')), ['stream: no event from binance:NOSUCHUSDT in 4 s: check that the exchange lists it (spelled as it spells its markets)']);
  }));
