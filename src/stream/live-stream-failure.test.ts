/**
 * A live stream whose store fails stops, and says so: `done` rejects with the store's error (the
 * `stream` command then exits non-zero, so a supervisor restarts it), instead of settling as a
 * clean stop would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarketRef } from '../core/market-events.js';
import { startReplayServer } from '../replay/index.js';
import { LiveStream } from './live-stream.js';

test('live stream - a failed bar write stops the stream and done rejects with it', { timeout: 90_000 }, async () => {
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const lines: string[] = [];
  try {
    const stream = await LiveStream.start({
      markets: [parseMarketRef('binance:BTCUSDT')],
      kinds: ['trade'],
      urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
      store: {
        writeCandles: () => Promise.reject(new Error('the store is away (test)')),
        upsertSignals: () => Promise.resolve(0),
      },
      lakeRoot: null,
      windowMs: 60_000,
      staleAfterMs: 30_000,
      log: (l) => lines.push(l),
    });
    // 20×: the first recorded minute closes within seconds; the stream stops itself on its write.
    const timer = setTimeout(() => void stream.stop(), 60_000);
    try {
      await assert.rejects(stream.done, /the store is away \(test\)/, lines.join('\n'));
    } finally {
      clearTimeout(timer);
    }
    assert.ok(lines.some((l) => l.startsWith('stream: stopped: ') && l.includes('the store is away')), lines.join('\n'));
  } finally {
    await replay.close();
  }
});
