import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../core/errors.js';
import { binanceCombinedUrl, binanceDepthSnapshotUrl, binanceFrameStream, binanceStreamNames, binanceSubscribeMessages } from './streams.js';

test('binance streams - lower-case stream names, combined URL and SUBSCRIBE messages', () => {
  const names = binanceStreamNames({ symbols: ['BTCUSDT', 'ETHUSDT'], kinds: ['trade', 'kline_1m', 'depth@100ms'] });
  assert.deepEqual(names, ['btcusdt@trade', 'btcusdt@kline_1m', 'btcusdt@depth@100ms', 'ethusdt@trade', 'ethusdt@kline_1m', 'ethusdt@depth@100ms']);
  assert.equal(binanceCombinedUrl('ws://127.0.0.1:8080/', names.slice(0, 2)), 'ws://127.0.0.1:8080/stream?streams=btcusdt@trade/btcusdt@kline_1m');
  assert.deepEqual(binanceSubscribeMessages(names.slice(0, 2), 7), ['{"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@kline_1m"],"id":7}']);
  const many = Array.from({ length: 450 }, (_, i) => `s${i}@trade`);
  assert.deepEqual(binanceSubscribeMessages(many).map((m) => (JSON.parse(m) as { params: string[] }).params.length), [200, 200, 50]);
  assert.equal(binanceDepthSnapshotUrl('http://127.0.0.1:9/', 'btcusdt'), 'http://127.0.0.1:9/api/v3/depth?symbol=BTCUSDT&limit=1000');
});

test('binance streams - refuses trade with aggTrade, too many streams and odd symbols', () => {
  assert.throws(() => binanceStreamNames({ symbols: ['BTCUSDT'], kinds: ['trade', 'aggTrade'] }), ConfigError);
  const symbols = Array.from({ length: 257 }, (_, i) => `S${i}`);
  assert.throws(() => binanceStreamNames({ symbols, kinds: ['trade', 'kline_1m', 'depth@100ms', 'bookTicker'] }), /1028 streams exceed the 1024/);
  assert.throws(() => binanceStreamNames({ symbols: ['BTC/USDT'], kinds: ['trade'] }), /symbol "BTC\/USDT"/);
});

test('binance streams - the stream of a frame is read without parsing it', () => {
  assert.equal(binanceFrameStream('{"stream":"btcusdt@depth@100ms","data":{}}'), 'btcusdt@depth@100ms');
  assert.equal(binanceFrameStream('{"result":null,"id":1}'), null);
});
