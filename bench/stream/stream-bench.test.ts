import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import { mapBinanceFrame } from '../../src/connectors/binance/ws/stream-mappers.js';
import { GeminiFeedPolicy } from '../../src/connectors/gemini/gemini-feed-policy.js';
import { readCryptofeedFrames, readHftbacktestCapture } from '../../src/connectors/ws/test-captures.js';
import type { TradeEvent } from '../../src/core/market-events.js';
import type { StreamPayload } from '../../src/stream/stream-payload.js';
import { percentiles, timedBus } from './end-to-end.js';
import { bareBinance, bareGemini } from './parse-speed.js';

test('stream bench - percentiles are nearest-rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(percentiles(xs), { count: 100, p50: 50, p99: 99, max: 100 });
  assert.deepEqual(percentiles([5, 1, 3]), { count: 3, p50: 3, p99: 5, max: 5 });
});

test('stream bench - the JSON.parse ceiling maps a recorded trade to the same values as our mappers (a fair ceiling)', () => {
  const frame = readHftbacktestCapture('btcusdt_20240808.gz').find((f) => f.text.includes('@trade"'));
  assert.ok(frame);
  const e = mapBinanceFrame(frame.text, frame.receivedAt);
  assert.equal(e.kind, 'trade');
  if (e.kind !== 'trade') return;
  const bare = bareBinance(frame.text, frame.receivedAt) as Record<string, unknown>;
  assert.deepEqual([bare.symbol, bare.tradeId, bare.price, bare.quantity, bare.takerSide, bare.exchangeTime], [e.symbol, e.tradeId, e.price, e.quantity, e.takerSide, e.exchangeTime]);

  const g = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl').find((f) => f.text.startsWith('{"type":"trade"'));
  assert.ok(g);
  const [ge] = new GeminiFeedPolicy().onFrame(g).events;
  assert.equal(ge?.kind, 'trade');
  const gt = ge as TradeEvent;
  const gb = bareGemini(g.text, g.receivedAt) as Record<string, unknown>;
  assert.deepEqual([gb.symbol, gb.tradeId, gb.price, gb.quantity, gb.takerSide], [gt.symbol, gt.tradeId, gt.price, gt.quantity, gt.takerSide]);
});

test('stream bench - the timed bus reports an md.> event done only when its reader asks for the next one', async () => {
  const log: string[] = [];
  const bus = timedBus(new MemoryBus<StreamPayload>(), {
    taken: (e) => log.push(`taken ${e.kind === 'trade' ? e.tradeId : e.kind}`),
    done: (e) => log.push(`done ${e.kind === 'trade' ? e.tradeId : e.kind}`),
  });
  const reader = (async () => {
    for await (const m of bus.subscribe('md.>')) {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`handled ${m.data.kind === 'trade' ? m.data.tradeId : m.data.kind}`);
    }
  })();
  for (const id of ['1', '2']) {
    const t: TradeEvent = { kind: 'trade', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: 0, exchangeTime: 0, tradeId: id, price: 1, quantity: 1, takerSide: 'buy' };
    await bus.publish('md.trade.binance.BTCUSDT', t);
  }
  await bus.close();
  await reader;
  assert.deepEqual(log, ['taken 1', 'handled 1', 'done 1', 'taken 2', 'handled 2', 'done 2']);
});
