import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileName, isSafeSymbol, parseFileName, partitionKey, TEMP_SUFFIX } from './lake-layout.js';

test('lake layout - file names are zero-padded first-last sequences that sort in sequence order', () => {
  assert.equal(fileName(7, 1234), '0000000000000007-0000000000001234.parquet');
  assert.equal(fileName(2 ** 53 - 1, 2 ** 53 - 1), '9007199254740991-9007199254740991.parquet');
  const names = [fileName(100, 200), fileName(9, 99), fileName(1000, 1001)];
  assert.deepEqual([...names].sort(), [fileName(9, 99), fileName(100, 200), fileName(1000, 1001)]);
  assert.deepEqual(parseFileName(fileName(9, 99)), { first: 9, last: 99 });
});

test('lake layout - temp files, reversed ranges and other names are not lake files', () => {
  assert.equal(parseFileName(fileName(1, 2) + TEMP_SUFFIX), null);
  assert.equal(parseFileName('0000000000000002-0000000000000001.parquet'), null);
  assert.equal(parseFileName('1-2.parquet'), null);
  assert.equal(parseFileName('9999999999999999-9999999999999999.parquet'), null, 'beyond 2^53 is refused, never rounded');
});

test('lake layout - partitions are hive paths; a symbol that would escape its segment is unsafe', () => {
  assert.equal(partitionKey({ kind: 'book_delta', exchange: 'gemini', symbol: 'BTCUSD', date: '2021-06-24' }), 'kind=book_delta/exchange=gemini/symbol=BTCUSD/date=2021-06-24');
  assert.ok(isSafeSymbol('BTC-EUR'));
  for (const bad of ['', '../x', 'a/b', 'x=y', '.hidden', 'A'.repeat(65)]) assert.equal(isSafeSymbol(bad), false, bad);
});
