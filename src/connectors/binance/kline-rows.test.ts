import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseKlineRows } from './kline-rows.js';
import { BadInputError } from '../../core/errors.js';
import { candleAt } from '../../core/candle.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/binance-rest/${path}`, import.meta.url), 'utf8'));

test('binance klines - parses the recorded 1m response into 10 rows with all 11 columns', () => {
  const c = parseKlineRows(fixture('nautilus_http_spot_market_klines.json'), { interval: '1m' });
  assert.equal(c.length, 10);
  assert.deepEqual(candleAt(c, 0), {
    openTime: 1634943780000,
    open: 60685.22,
    high: 60729.84,
    low: 60670.9,
    close: 60719.27,
    volume: 21.63272,
    closeTime: 1634943839999,
    quoteVolume: 1313200.0134041,
    trades: 617,
    takerBuyBase: 12.28492,
    takerBuyQuote: 745719.4102284,
  });
  // The last row is the still-open 23:12 candle (SOURCES.md §1 quirks): the parser keeps it; dropping it is the client's job.
  assert.equal(new Date(c.openTime[9]!).toISOString(), '2021-10-22T23:12:00.000Z');
  assert.equal(c.trades[9], 7);
  assert.equal(c.volume[9], 0.04734);
});

test('binance klines - parses two years of BTCUSDT 1d rows; 2020-01-01 opens 7195.24 and closes 7200.85', () => {
  const c = parseKlineRows(fixture('klines/BTCUSDT/1d/2020-01-01.json'), { interval: '1d' });
  assert.equal(c.length, 731);
  assert.equal(c.openTime[0], Date.UTC(2020, 0, 1));
  assert.equal(c.open[0], 7195.24);
  assert.equal(c.close[0], 7200.85);
  assert.equal(c.openTime[730], Date.UTC(2021, 11, 31));
  for (let i = 1; i < c.length; i++) assert.equal(c.openTime[i]! - c.openTime[i - 1]!, 86_400_000);
});

function rowsWith(mutate: (row: unknown[]) => void): unknown[] {
  const body = fixture('nautilus_http_spot_market_klines.json');
  assert.ok(Array.isArray(body));
  const row = body[3];
  assert.ok(Array.isArray(row));
  mutate(row);
  return body;
}

test('binance klines - a price sent as a number is rejected naming row index and field', () => {
  const body = rowsWith((r) => (r[2] = 60799.13));
  assert.throws(() => parseKlineRows(body), (e: unknown) => e instanceof BadInputError && /row 3 field high/.test(e.message));
});

test('binance klines - a non-decimal volume string is rejected naming row index and field', () => {
  const body = rowsWith((r) => (r[5] = 'NaN'));
  assert.throws(() => parseKlineRows(body), /row 3 field volume: expected a decimal string/);
});

test('binance klines - a string trade count is rejected', () => {
  const body = rowsWith((r) => (r[8] = '617'));
  assert.throws(() => parseKlineRows(body), /row 3 field trades/);
});

test('binance klines - a row with 11 elements is rejected', () => {
  const body = rowsWith((r) => r.pop());
  assert.throws(() => parseKlineRows(body), /row 3: expected 12 elements, got 11/);
});

test('binance klines - microsecond open times are rejected rather than misread', () => {
  const body = rowsWith((r) => (r[0] = 1634943960000000));
  assert.throws(() => parseKlineRows(body), /row 3 field openTime: .* microseconds/);
});

test('binance klines - rows out of order are rejected', () => {
  const body = rowsWith((r) => (r[0] = 1634943780000));
  assert.throws(() => parseKlineRows(body), /row 3 field openTime: .* ascending/);
});

test('binance klines - with an interval, a close above the high breaks the invariants', () => {
  const body = rowsWith((r) => (r[4] = '99999.00000000'));
  assert.doesNotThrow(() => parseKlineRows(body));
  assert.throws(() => parseKlineRows(body, { interval: '1m' }), /row 3: close 99999 is outside/);
});

test('binance klines - the real 2023-03-24 trading halt: a candle closed early with no trades is kept; a traded one closing early is not', () => {
  const c = parseKlineRows(fixture('klines/BTCUSDT/1h/2023-03-01.json'), { interval: '1h' });
  assert.equal(c.length, 743, 'March 2023 has 744 hours; 13:00 of the 24th does not exist');
  const i = c.openTime.indexOf(Date.UTC(2023, 2, 24, 12));
  assert.equal(c.closeTime[i], 1679661581646, 'closed at the halt, 12:39:41.646');
  assert.equal(c.trades[i], 0);
  assert.equal(c.openTime[i + 1], Date.UTC(2023, 2, 24, 14));
  const traded = (fixture('klines/BTCUSDT/1h/2023-03-01.json') as unknown[][]).slice(0, 3);
  (traded[1] as unknown[])[6] = Date.UTC(2023, 2, 1, 1, 30);
  assert.throws(() => parseKlineRows(traded, { interval: '1h' }), /row 1: close time 1677634200000 is not open time \+ 1h - 1 ms/);
});

test('binance klines - a body that is not an array is rejected', () => {
  assert.throws(() => parseKlineRows({ code: -1121, msg: 'Invalid symbol.' }), /expected a JSON array of rows, got an object/);
  assert.equal(parseKlineRows([]).length, 0);
});
