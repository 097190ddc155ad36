import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceColumns } from '../../core/candle.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { encodeCandlesCopyBinary, encodeCandlesRowsCopyBinary } from './copy-binary.js';
import { decodeCandlesCopyBinary, inlineParams } from './postgres-read-columns.js';

test('copy binary - 11 float8 fields plus minutes per row round-trip real candles bit for bit', () => {
  const day = btcusdtDay(2);
  const minutes = Float64Array.from({ length: day.length }, (_, i) => i % 7);
  const { candles: back, minutes: backMinutes } = decodeCandlesCopyBinary(encodeCandlesCopyBinary(day, minutes));
  assert.equal(back.length, 1440);
  for (const f of ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const) {
    assert.deepEqual(Array.from(back[f]), Array.from(day[f]), f);
  }
  assert.deepEqual(Array.from(backMinutes), Array.from(minutes));
  assert.equal(decodeCandlesCopyBinary(encodeCandlesCopyBinary(sliceColumns(day, 0, 0), new Float64Array(0))).candles.length, 0);
  // Stage-shaped rows (11 fields) are not candle-read rows: refused, not misread.
  assert.throws(() => decodeCandlesCopyBinary(encodeCandlesCopyBinary(day)), { code: 'STORE' });
});

test('copy binary - full candles rows: int4 series id, int8 times as exact big-endian integers, int2 source rank', () => {
  const one = sliceColumns(btcusdtDay(1), 0, 1);
  const buf = encodeCandlesRowsCopyBinary(70_000, 'rest', one);
  // header 19, field count 2, then series_id as (len 4, int4), then open_time as (len 8, int8).
  let o = 19;
  assert.equal(buf.readInt16BE(o), 13);
  o += 2;
  assert.equal(buf.readInt32BE(o), 4);
  assert.equal(buf.readInt32BE(o + 4), 70_000);
  o += 8;
  assert.equal(buf.readInt32BE(o), 8);
  assert.equal(buf.readBigInt64BE(o + 4), 1577836800000n);
  assert.equal(buf.readInt16BE(buf.length - 2), -1);
  // The last field: length 2, then the rank of 'rest' (1).
  assert.equal(buf.readInt32BE(buf.length - 2 - 6), 2);
  assert.equal(buf.readInt16BE(buf.length - 2 - 2), 1);
});

test('copy binary - encoded into a larger used buffer, both shapes are exactly the bytes of a fresh encoding', () => {
  const day = btcusdtDay(2);
  const used = (): Buffer => Buffer.alloc(1 << 20, 0xab);
  const fresh = encodeCandlesRowsCopyBinary(7, 'archive', day);
  const reused = encodeCandlesRowsCopyBinary(7, 'archive', day, used);
  assert.equal(reused.length, fresh.length);
  assert.ok(reused.equals(fresh));
  assert.ok(encodeCandlesCopyBinary(day, undefined, used).equals(encodeCandlesCopyBinary(day)));
});

test('inlineParams - escapes strings, refuses non-finite numbers, leaves no placeholder', () => {
  assert.equal(
    inlineParams({ sql: 'SELECT $1, $2, $10', params: ["it's", 5, 3, 4, 5, 6, 7, 8, 9, 10] }),
    "SELECT 'it''s', 5, 10",
  );
  assert.throws(() => inlineParams({ sql: 'SELECT $1', params: [Number.NaN] }), { code: 'STORE' });
  assert.throws(() => inlineParams({ sql: 'SELECT $2', params: [1] }), { code: 'STORE' });
});
