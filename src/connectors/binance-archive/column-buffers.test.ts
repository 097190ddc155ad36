import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateColumns, CANDLE_FIELDS, sliceColumns, type CandleColumns } from '../../core/candle.js';
import { ArchiveDecodePool } from './archive-decode-pool.js';
import { parseChecksum } from './checksum.js';
import { ColumnBuffers, MONTH_OF_MINUTES, reusableBuffers, setCapacity } from './column-buffers.js';
import { decodeArchiveFile } from './load-archive-file.js';
import { KEYS, readFixture } from './test-fixtures.js';

const intervalOf = (key: string): '1h' | '1m' => (key.includes('/1h/') ? '1h' : '1m');

function decodeHere(key: string): CandleColumns {
  const body = readFixture(key);
  const checksum = parseChecksum(readFixture(`${key}.CHECKSUM`), `${key}.CHECKSUM`);
  return decodeArchiveFile({ body, lastModified: null, size: body.length }, checksum, key, intervalOf(key), 'spot', 0).candles;
}

async function decodeIn(pool: ArchiveDecodePool, key: string): Promise<CandleColumns> {
  const body = readFixture(key);
  const checksum = parseChecksum(readFixture(`${key}.CHECKSUM`), `${key}.CHECKSUM`);
  return (await pool.decode({ body, lastModified: null, size: body.length }, checksum, key, intervalOf(key), 'spot', 0)).candles;
}

function assertSameCandles(got: CandleColumns, want: CandleColumns, what: string): void {
  assert.equal(got.length, want.length, what);
  for (const f of CANDLE_FIELDS) assert.deepEqual(got[f].subarray(0, got.length), want[f].subarray(0, want.length), `${what} ${f}`);
}

test('column buffers - a set from a 28-day month holds a 31-day one; a day and more than a month get their own size', () => {
  assert.equal(setCapacity(28 * 1440), MONTH_OF_MINUTES);
  assert.equal(setCapacity(1440), 1440);
  assert.equal(setCapacity(744), 744);
  assert.equal(setCapacity(2 * MONTH_OF_MINUTES), 2 * MONTH_OF_MINUTES);

  const buffers = new ColumnBuffers(1);
  const feb = buffers.allocate(28 * 1440);
  assert.equal(feb.length, 0);
  assert.equal(feb.open.length, 28 * 1440);
  assert.equal(feb.open.buffer.byteLength, MONTH_OF_MINUTES * 8);
  const set = reusableBuffers(feb);
  assert.ok(set !== null);
  buffers.give(set);
  buffers.give(set.map(() => new ArrayBuffer(8))); // beyond `keep`: dropped
  assert.equal(buffers.held, 1);
  // Too large for the set held: new memory, and the set stays for a file it fits.
  assert.notEqual(buffers.allocate(MONTH_OF_MINUTES + 1).open.buffer, set[1]);
  const march = buffers.allocate(MONTH_OF_MINUTES);
  assert.equal(march.open.buffer, set[1]);
  assert.equal(march.takerBuyQuote.buffer, set[10]);
  assert.equal(buffers.held, 0);
});

test('column buffers - only eleven distinct whole ArrayBuffers of one size are handed on', () => {
  assert.ok(reusableBuffers(allocateColumns(10)) !== null);
  // Views into one buffer (as a slice of a larger read would be) are not the caller's to give.
  const one = new ArrayBuffer(11 * 80);
  const shared = {} as CandleColumns;
  CANDLE_FIELDS.forEach((f, k) => {
    shared[f] = new Float64Array(one, k * 80, 10);
  });
  shared.length = 10;
  assert.equal(reusableBuffers(shared), null);
  const mixed = allocateColumns(10);
  mixed.trades = new Float64Array(new SharedArrayBuffer(80));
  assert.equal(reusableBuffers(mixed), null);
  assert.equal(reusableBuffers(sliceColumns(allocateColumns(0), 0, 0)), null, 'no memory to give');
});

test('archive decode pool - released columns are parsed into again: the next file is exact, the released ones are empty', async () => {
  const pool = new ArchiveDecodePool(1);
  try {
    const first = await decodeIn(pool, KEYS.spot2020);
    assertSameCandles(first, decodeHere(KEYS.spot2020), 'first file');
    const close = first.close.buffer;
    pool.release(first);
    pool.release(first); // twice: kept once
    const second = await decodeIn(pool, KEYS.spot2020b);
    assert.equal(pool.reused, 1);
    assert.equal(first.close.length, 0, 'the released memory moved to the worker');
    assert.equal(close.byteLength, 0);
    assertSameCandles(second, decodeHere(KEYS.spot2020b), 'second file, in reused memory');
    // Nothing handed back: the next file goes without, and is exact too.
    assertSameCandles(await decodeIn(pool, KEYS.spot2020c), decodeHere(KEYS.spot2020c), 'third file');
    assert.equal(pool.reused, 1);
    // A released set larger than the next file (a day of 1h after a day of 1m) gives exact columns.
    pool.release(second);
    const hours = await decodeIn(pool, KEYS.spotMicros);
    assert.equal(hours.length, 24);
    assertSameCandles(hours, decodeHere(KEYS.spotMicros), 'a day of 1h in a released day of 1m');
    assert.equal(pool.reused, 2);
  } finally {
    await pool.close();
  }
});
