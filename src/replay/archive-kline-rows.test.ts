import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { archiveKlineRows } from './archive-kline-rows.js';
import { readFirstZipEntry } from './zip-reader.js';
import { writeSingleEntryZip } from './zip-writer.js';

const fixture = (key: string): Buffer => readFileSync(new URL(`../../fixtures/binance-vision/${key}`, import.meta.url));

test('replay zip reader - reads the CSV of a real archive zip (BTCUSDT 1m 2020-01-01, 204,966 bytes)', () => {
  const csv = readFirstZipEntry(fixture('data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip'), 'x').toString('utf8');
  assert.equal(csv.length, 204_966);
  assert.ok(csv.startsWith('1577836800000,7195.24000000,7196.25000000,7183.14000000,7186.68000000,51.64281200,'));
});

test('replay zip reader - rejects a zip whose entry data was cut, naming it', () => {
  const zip = writeSingleEntryZip('a.csv', Buffer.from('1,2,3\n'.repeat(1000)), Date.UTC(2020, 0, 1));
  assert.equal(readFirstZipEntry(zip, 'a.zip').toString('utf8'), '1,2,3\n'.repeat(1000));
  assert.throws(() => readFirstZipEntry(zip.subarray(0, 40), 'a.zip'), /a\.zip: entry data runs past the end/);
  assert.throws(() => readFirstZipEntry(Buffer.from('not a zip at all, no header here'), 'b.zip'), /b\.zip: not a zip/);
});

test('replay archive rows - microsecond spot files (2026) come out in ms, as REST answers', () => {
  const csv = readFirstZipEntry(fixture('data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2026-05-08.zip'), 'x').toString('utf8');
  const rows = archiveKlineRows(csv, 'BTCUSDT-1h-2026-05-08');
  assert.equal(rows.length, 24);
  assert.equal(rows.openTime[0], Date.UTC(2026, 4, 8));
  assert.equal(rows.closeTime[23], Date.UTC(2026, 4, 9) - 1);
});

test('replay archive rows - a header row is skipped and a short row is an error naming the row', () => {
  const rows = archiveKlineRows('open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n1675209600000,6.949,6.959,6.947,6.957,30020.25,1675209659999,208718.48852,471,10610.28,73780.89351,0\n', 'f');
  assert.equal(rows.length, 1);
  assert.equal(rows.volume[0], 30020.25);
  assert.equal(rows.trades[0], 471);
  assert.throws(() => archiveKlineRows('1,2,3\n', 'g.csv'), /g\.csv row 1: 3 fields, expected 12/);
});
