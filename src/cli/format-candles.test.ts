import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFromCandles, sliceColumns, type CandleColumns } from '../core/candle.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { candleFormatter, exportString, formatCandles, type CandleFormat } from './format-candles.js';

// The first row of the archive file BTCUSDT-1m-2020-01-01 (fixtures/binance-vision/…).
const row = {
  openTime: 1577836800000, open: 7195.24, high: 7196.25, low: 7183.14, close: 7186.68, volume: 51.642812,
  closeTime: 1577836859999, quoteVolume: 371233.23, trades: 493, takerBuyBase: 19.59823, takerBuyQuote: 140888.47,
};
const all = (n: number): Uint8Array => new Uint8Array(n).fill(1);

test('candles csv - archive column order, epoch ms, shortest exact decimals, then complete', () => {
  const out = formatCandles(columnsFromCandles([row, { ...row, openTime: row.openTime + 60_000 }]), Uint8Array.of(1, 0), 'csv').trim().split('\n');
  assert.equal(out[0], 'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote,complete');
  assert.equal(out[1], '1577836800000,7195.24,7196.25,7183.14,7186.68,51.642812,1577836859999,371233.23,493,19.59823,140888.47,true');
  assert.match(out[2]!, /^1577836860000,.*,false$/);
});

test('candles json - one array of objects with camelCase fields and complete', () => {
  const parsed: unknown = JSON.parse(formatCandles(columnsFromCandles([row, { ...row, openTime: row.openTime + 60000 }]), Uint8Array.of(1, 0), 'json'));
  assert.ok(Array.isArray(parsed));
  assert.equal(parsed.length, 2);
  assert.deepEqual(parsed[0], { ...row, complete: true });
  assert.equal(parsed[1].complete, false);
  assert.deepEqual(JSON.parse(formatCandles(columnsFromCandles([]), all(0), 'json')), []);
});

test('candles table - UTC minute and a count line', () => {
  const out = formatCandles(columnsFromCandles([row]), all(1), 'table');
  assert.match(out, /2020-01-01 00:00 +7195\.24/);
  assert.match(out, /1 candles\n$/);
  assert.equal(formatCandles(columnsFromCandles([]), all(0), 'table'), 'open time (UTC)  open  high  low  close  volume  trades\n0 candles\n');
});

test('candles table - a bar not complete is marked * and footnoted', () => {
  const out = formatCandles(columnsFromCandles([row, { ...row, openTime: row.openTime + 60_000 }]), Uint8Array.of(1, 0), 'table').split('\n');
  assert.match(out[1]!, /493$/);
  assert.match(out[2]!, /^2020-01-01 00:01 .* 493 {2}\*$/);
  assert.equal(out[4], '* 1 bar not complete: still forming, or with minutes missing that the gap ledger does not record as an exchange outage');
});

test('candles table - each price column with one number of decimals, digits as stored', () => {
  // BTCUSDT 1h 2020-01-02 00:00 and 02:00 (demo data): high 7212.5 and 7191 print as 7212.5 and 7191.0.
  const rows = [
    { ...row, open: 7200.77, high: 7212.5, low: 7185.46, close: 7211.02, volume: 391.352377, trades: 5470 },
    { ...row, openTime: row.openTime + 3_600_000, open: 7190.99, high: 7191, low: 7155.35, close: 7169.02, volume: 1387.377886, trades: 14716 },
  ];
  const lines = formatCandles(columnsFromCandles(rows), all(2), 'table').split('\n');
  assert.match(lines[1]!, /^2020-01-01 00:00 +7200\.77 +7212\.5 +7185\.46 +7211\.02 +391\.352377 +5470$/);
  assert.match(lines[2]!, /^2020-01-01 01:00 +7190\.99 +7191\.0 +7155\.35 +7169\.02 +1387\.377886 +14716$/);
  // With the symbol's tick size 0.01 and step size 0.000001 (BTCUSDT's exchangeInfo filters), every price has 2 decimals.
  const fixed = formatCandles(columnsFromCandles(rows), all(2), 'table', { price: 2, volume: 6 }).split('\n');
  assert.match(fixed[2]!, /^2020-01-01 01:00 +7190\.99 +7191\.00 +7155\.35 +7169\.02 +1387\.377886 +14716$/);
});

test('candles table - a later chunk needing more decimals than the first is printed exactly, not rounded', () => {
  const f = candleFormatter('table');
  const first = exportString(f.rows(columnsFromCandles([{ ...row, high: 7212.5 }]), all(1)));
  const later = exportString(f.rows(columnsFromCandles([{ ...row, high: 7212.125 }, { ...row, high: 7213 }]), all(2)));
  assert.match(first, /7212\.5 /);
  assert.match(later, / 7212\.125 /);
  assert.match(later, / 7213\.0 /);
  // A price below 1e-6 prints as a plain decimal, every digit kept.
  assert.match(exportString(f.rows(columnsFromCandles([{ ...row, low: 1.2345e-7 }]), all(1))), / 0\.00000012345 /);
});

/** The formatter fed `c` in chunks of `size` rows. */
function chunked(c: CandleColumns, format: CandleFormat, size: number): string {
  const f = candleFormatter(format);
  const complete = new Uint8Array(c.length).map((_, i) => (i % 7 === 3 ? 0 : 1));
  let out = f.begin();
  for (let i = 0; i < c.length; i += size) out += exportString(f.rows(sliceColumns(c, i, Math.min(c.length, i + size)), complete.subarray(i, i + size)));
  return out + f.end();
}

test('candles csv and json - chunked output equals the output of one chunk, byte for byte', () => {
  const day = btcusdtDay(1);
  for (const format of ['csv', 'json'] as const) {
    const whole = chunked(day, format, day.length);
    for (const size of [1, 7, 500]) assert.equal(chunked(day, format, size), whole, `${format} in chunks of ${size}`);
  }
  const parsed = JSON.parse(chunked(day, 'json', 7)) as unknown[];
  assert.equal(parsed.length, 1440);
});

test('candles table - 200,000 rows print without overflowing the stack, one line each', () => {
  const day = btcusdtDay(1);
  const n = 200_000;
  const big = columnsFromCandles(Array.from({ length: n }, (_, i) => ({ ...row, openTime: row.openTime + i * 60_000, close: day.close[i % day.length] as number })));
  const out = formatCandles(big, all(n), 'table');
  const lines = out.split('\n');
  assert.equal(lines.length, n + 3);
  assert.equal(lines[n + 1], `${n} candles`);
});
