import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  archiveKey, checksumKey, dailyPublishedAt, klinesPrefix, monthlyPublishedAt, parseArchiveKey, toArchiveInterval, toRestInterval,
} from './archive-layout.js';
import { BadInputError } from '../../core/errors.js';
import { KEYS } from './test-fixtures.js';

test('archive layout - builds the spot daily key of the bundled 2020-01-01 file', () => {
  assert.equal(archiveKey({ market: 'spot', period: 'daily', symbol: 'BTCUSDT', interval: '1m', date: '2020-01-01' }), KEYS.spot2020);
  assert.equal(checksumKey(KEYS.spot2020), `${KEYS.spot2020}.CHECKSUM`);
});

test('archive layout - builds monthly, USD-M and COIN-M keys like the README example', () => {
  assert.equal(
    archiveKey({ market: 'spot', period: 'monthly', symbol: 'ADABKRW', interval: '1h', date: '2020-08' }),
    'data/spot/monthly/klines/ADABKRW/1h/ADABKRW-1h-2020-08.zip',
  );
  assert.equal(archiveKey({ market: 'um', period: 'daily', symbol: 'BTCUSDT', interval: '1m', date: '2022-09-05' }), KEYS.um);
  assert.equal(archiveKey({ market: 'cm', period: 'daily', symbol: 'BTCUSD_PERP', interval: '1m', date: '2022-10-24' }), KEYS.cm);
  assert.equal(klinesPrefix('um', 'monthly', 'LINKUSDT', '1m'), 'data/futures/um/monthly/klines/LINKUSDT/1m/');
});

test('archive layout - 1M is spelled 1mo in the archive and monthly-only intervals have no daily files', () => {
  assert.equal(toArchiveInterval('1M'), '1mo');
  assert.equal(toArchiveInterval('1m'), '1m');
  assert.equal(toRestInterval('1mo'), '1M');
  assert.equal(
    archiveKey({ market: 'spot', period: 'monthly', symbol: 'BTCUSDT', interval: toArchiveInterval('1M'), date: '2024-01' }),
    'data/spot/monthly/klines/BTCUSDT/1mo/BTCUSDT-1mo-2024-01.zip',
  );
  assert.throws(() => toArchiveInterval('2m'), BadInputError);
  assert.throws(() => klinesPrefix('spot', 'daily', 'BTCUSDT', '1w'), /no daily 1w/);
  assert.throws(() => archiveKey({ market: 'spot', period: 'daily', symbol: 'btcusdt', interval: '1m', date: '2020-01-01' }), /upper-case/);
  assert.throws(() => archiveKey({ market: 'spot', period: 'daily', symbol: 'BTCUSDT', interval: '1m', date: '2020-01' }), /daily archive date/);
});

test('archive layout - parses every fixture key back into its parts and time span', () => {
  const p = parseArchiveKey(KEYS.cm);
  assert.deepEqual(p, {
    market: 'cm', period: 'daily', symbol: 'BTCUSD_PERP', interval: '1m', date: '2022-10-24',
    start: Date.UTC(2022, 9, 24), end: Date.UTC(2022, 9, 25),
  });
  for (const key of Object.values(KEYS)) assert.equal(archiveKey(parseArchiveKey(key)), key);
  const m = parseArchiveKey('data/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip');
  assert.equal(m.period, 'monthly');
  assert.equal(m.start, Date.UTC(2023, 1, 1));
  assert.equal(m.end, Date.UTC(2023, 2, 1));
  assert.equal(parseArchiveKey('data/spot/monthly/klines/BTCUSDT/1mo/BTCUSDT-1mo-2023-12.zip').end, Date.UTC(2024, 0, 1));
});

test('archive layout - rejects keys that are not canonical kline zips', () => {
  for (const bad of [
    `${KEYS.spot2020}.CHECKSUM`,
    'data/spot/daily/klines/BTCUSDT/1m/ETHUSDT-1m-2020-01-01.zip',
    'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01.zip',
    'data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip',
    'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2021-02-29.zip',
    'data/spot/daily/klines/BTCUSDT/1w/BTCUSDT-1w-2020-01-01.zip',
    'data/spot/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2020-01-01.zip',
  ]) {
    assert.throws(() => parseArchiveKey(bad), BadInputError, bad);
  }
});

test('archive layout - monthly files appear on the first Monday of the next month', () => {
  // 2024-01-01 was a Monday: December 2023 appears that very day.
  assert.equal(monthlyPublishedAt(Date.UTC(2023, 11, 1)), Date.UTC(2024, 0, 1));
  // 2024-02-01 was a Thursday: January 2024 appears Monday 2024-02-05.
  assert.equal(monthlyPublishedAt(Date.UTC(2024, 0, 1)), Date.UTC(2024, 1, 5));
  // 2020-03-01 was a Sunday: February 2020 (leap) appears Monday 2020-03-02.
  assert.equal(monthlyPublishedAt(Date.UTC(2020, 1, 1)), Date.UTC(2020, 2, 2));
  // 2023-07-01 was a Saturday: June 2023 appears Monday 2023-07-03.
  assert.equal(monthlyPublishedAt(Date.UTC(2023, 5, 1)), Date.UTC(2023, 6, 3));
  assert.equal(dailyPublishedAt(Date.UTC(2020, 0, 31)), Date.UTC(2020, 1, 1));
});
