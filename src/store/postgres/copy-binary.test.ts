import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceColumns } from '../../core/candle.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { encodeCandlesCopyBinary, encodeCandlesRowsCopyBinary } from './copy-binary.js';
import { decodeCandlesCopyBinary, inlineParams } from './postgres-read-columns.js';

test('copy binary - 11 float8 fields per row round-trip real candles bit for bit', () => {
  const day = btcusdtDay(2);
  const back = decodeCandlesCopyBinary(encodeCandlesCopyBinary(day));
  assert.equal(back.length, 1440);
  for (const f of ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const) {
    assert.deepEqual(Array.from(back[f]), Array.from(day[f]), f);
  }
  assert.equal(decodeCandlesCopyBinary(encodeCandlesCopyBinary(sliceColumns(day, 0, 0))).length, 0);
});

test('copy binary - full candles rows write int8 times as exact big-endian integers', () => {
  const one = sliceColumns(btcusdtDay(1), 0, 1);
  const buf = encodeCandlesRowsCopyBinary({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 'archive', one);
  // header 19, field count 2, then exchange/symbol/interval as (len, bytes), then open_time.
  let o = 19 + 2;
  for (const text of ['binance', 'BTCUSDT', '1m']) {
    assert.equal(buf.readInt32BE(o), text.length);
    assert.equal(buf.toString('utf8', o + 4, o + 4 + text.length), text);
    o += 4 + text.length;
  }
  assert.equal(buf.readInt32BE(o), 8);
  assert.equal(buf.readBigInt64BE(o + 4), 1577836800000n);
  assert.equal(buf.readInt16BE(buf.length - 2), -1);
  assert.equal(buf.toString('utf8', buf.length - 2 - 'archive'.length, buf.length - 2), 'archive');
});

test('inlineParams - escapes strings, refuses non-finite numbers, leaves no placeholder', () => {
  assert.equal(
    inlineParams({ sql: 'SELECT $1, $2, $10', params: ["it's", 5, 3, 4, 5, 6, 7, 8, 9, 10] }),
    "SELECT 'it''s', 5, 10",
  );
  assert.throws(() => inlineParams({ sql: 'SELECT $1', params: [Number.NaN] }), { code: 'STORE' });
  assert.throws(() => inlineParams({ sql: 'SELECT $2', params: [1] }), { code: 'STORE' });
});
