import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from '../../core/time.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { btcusdtDay } from '../../store/test-support/fixture-candles.js';
import { gapListRows, type GapListRow } from '../../pipeline/gap-list-rows.js';
import { coverageCell, formatGapList } from './gaps-list.js';

const M = 60_000;
const D1 = parseTime('2020-01-01');
const D2 = parseTime('2020-01-02');
const D3 = parseTime('2020-01-03');

test('gaps --list - coverage, first/last and gaps by kind per symbol, from the store', async () => {
  const store = await DuckDbStore.open(':memory:');
  await store.migrate();
  try {
    await store.upsertInstruments([
      { exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1 },
      { exchange: 'binance', symbol: 'NEWUSDT', base: 'NEW', quote: 'USDT', status: 'TRADING', listedAt: null },
    ]);
    const btc = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
    await store.writeCandles(btc, btcusdtDay(1), 'archive');
    await store.writeCandles(btc, btcusdtDay(3), 'archive');
    const gap = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const, detectedAt: 1, note: null };
    await store.recordGaps([
      { ...gap, from: D2, to: D2 + 1439 * M, kind: 'hole', status: 'open' },
      { ...gap, from: D3 + 1440 * M, to: D3 + 1449 * M, kind: 'not_published', status: 'open' },
      { ...gap, from: D1 - 5 * M, to: D1 - M, kind: 'before_listing', status: 'unrepairable' },
      { ...gap, from: D1, to: D1, kind: 'hole', status: 'repaired' },
      { ...gap, interval: '1h', from: D2, to: D2, kind: 'hole', status: 'open' },
    ]);
    // Now is 2020-01-04 00:10:30: 3 days and 10 closed minutes expected since the listing.
    const rows = await gapListRows(store, 'binance', ['BTCUSDT', 'NEWUSDT'], '1m', undefined, parseTime('2020-01-04T00:10:30Z'));
    assert.deepEqual(rows, [
      {
        symbol: 'BTCUSDT', start: D1, first: D1, last: D3 + 1439 * M, stored: 2880, expected: 3 * 1440 + 10,
        open: { hole: { gaps: 1, candles: 1440 }, not_published: { gaps: 1, candles: 10 } },
        unrepairable: { before_listing: { gaps: 1, candles: 5 } },
      },
      { symbol: 'NEWUSDT', start: null, first: null, last: null, stored: 0, expected: 0, open: {}, unrepairable: {} },
    ]);
    // --since after the listing counts from there: day 3 and the 10 minutes after it.
    const since = await gapListRows(store, 'binance', ['BTCUSDT'], '1m', D3, parseTime('2020-01-04T00:10:30Z'));
    assert.deepEqual([since[0]?.start, since[0]?.stored, since[0]?.expected], [D3, 1440, 1450]);
  } finally {
    await store.close();
  }
});

test('gaps --list - the table a reader sees', () => {
  const rows: GapListRow[] = [
    {
      symbol: 'BTCUSDT', start: D1, first: D1, last: D3 + 1439 * M, stored: 2880, expected: 4330,
      open: { hole: { gaps: 1, candles: 1440 } }, unrepairable: {},
    },
    { symbol: 'NEWUSDT', start: null, first: null, last: null, stored: 0, expected: 0, open: {}, unrepairable: {} },
  ];
  // 2880 of 4330 = 66.51 %.
  assert.equal(formatGapList(rows), [
    'symbol   since             first             last              stored  expected  coverage  open gaps              unrepairable',
    'BTCUSDT  2020-01-01 00:00  2020-01-01 00:00  2020-01-03 23:59    2880      4330    66.5 %  hole 1 (1440 candles)  -',
    'NEWUSDT  listing unknown   -                 -                      0         0         -  -                      -',
    '',
  ].join('\n'));
  assert.equal(formatGapList([]), 'no symbols\n');
});

test('gaps --list - coverage never shows 100 % while a candle is missing, nor 0 % while one is stored', () => {
  assert.equal(coverageCell(4329, 4330), '99.9 %');
  assert.equal(coverageCell(4330, 4330), '100.0 %');
  assert.equal(coverageCell(1, 1_000_000), '0.1 %');
  assert.equal(coverageCell(0, 10), '0.0 %');
  assert.equal(coverageCell(2, 3), '66.6 %');
  assert.equal(coverageCell(0, 0), '-');
});
