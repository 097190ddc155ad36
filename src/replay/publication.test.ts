import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstMondayAfterMonth, publicationTime } from './publication.js';

test('publication - a daily file appears the next day at 00:00 UTC plus the lag', () => {
  const key = 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-03.zip';
  assert.equal(publicationTime(key, 600_000), Date.UTC(2020, 0, 4, 0, 10));
  assert.equal(publicationTime(`${key}.CHECKSUM`, 0), Date.UTC(2020, 0, 4));
  // Month and year roll over.
  assert.equal(publicationTime('data/spot/daily/klines/X/1m/X-1m-2019-12-31.zip', 0), Date.UTC(2020, 0, 1));
});

test('publication - a monthly file appears on the first Monday of the next month', () => {
  // 2020-02-01 was a Saturday: first Monday 2020-02-03. 2021-03-01 was itself a Monday.
  assert.equal(firstMondayAfterMonth(2020, 0), Date.UTC(2020, 1, 3));
  assert.equal(firstMondayAfterMonth(2021, 1), Date.UTC(2021, 2, 1));
  // 2025-01-01 was a Wednesday (first Monday 01-06); the month rolls into the next year.
  assert.equal(firstMondayAfterMonth(2024, 11), Date.UTC(2025, 0, 6));
  assert.equal(publicationTime('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01.zip', 0), Date.UTC(2020, 1, 3));
  assert.equal(publicationTime('data/futures/um/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2021-02.zip.CHECKSUM', 5), Date.UTC(2021, 2, 1) + 5);
  assert.equal(publicationTime('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-12.zip', 0), Date.UTC(2021, 0, 4));
});

test('publication - keys without a period have no publication time', () => {
  assert.equal(publicationTime('data/futures/um/monthly/klines-csv/LINKUSDT-1m-2023-02.csv'), null);
});
