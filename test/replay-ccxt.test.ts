/**
 * A well-known third-party client, ccxt's Binance connector, pointed at the replay server: it
 * loads the markets from our exchangeInfo and reads klines through our paging, and gets the
 * archive's values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { startReplayServer } from '../src/replay/index.js';
import { archiveDay } from './support/archive-days.js';

test('ccxt binance against the replay server - markets and 1m OHLCV equal to the archive', async () => {
  const replay = await startReplayServer({ now: '2020-01-04T00:10:30Z', speed: 0 });
  try {
    const exchange = new ccxt.binance({ urls: { api: { public: `${replay.urls.binance}/api/v3` } }, options: { fetchMarkets: ['spot'] } });
    const markets = await exchange.loadMarkets();
    assert.equal(markets['BTC/USDT']?.id, 'BTCUSDT');
    assert.equal(Object.keys(markets).length, 1695);
    const ohlcv = await exchange.fetchOHLCV('BTC/USDT', '1m', Date.UTC(2020, 0, 2), 1000);
    const day = archiveDay('2020-01-02');
    assert.equal(ohlcv.length, 1000);
    ohlcv.forEach((row, i) => {
      assert.deepEqual(row, [day.openTime[i], day.open[i], day.high[i], day.low[i], day.close[i], day.volume[i]], `candle ${i}`);
    });
    assert.ok(replay.stats().binance.requests >= 2);
  } finally {
    await replay.close();
  }
});
