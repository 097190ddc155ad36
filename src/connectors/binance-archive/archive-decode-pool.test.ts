import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMainThread } from 'node:worker_threads';
import { CANDLE_FIELDS } from '../../core/candle.js';
import { BadArchiveError, ChecksumMismatchError } from '../../core/errors.js';
import { ArchiveDecodePool } from './archive-decode-pool.js';
import { parseChecksum } from './checksum.js';
import { decodeArchiveFile } from './load-archive-file.js';
import { KEYS, readFixture } from './test-fixtures.js';

function zipOf(key: string, alter?: (b: Buffer) => Buffer): { zip: { body: Buffer; lastModified: number; size: number }; checksum: ReturnType<typeof parseChecksum> } {
  const body = alter ? alter(Buffer.from(readFixture(key))) : readFixture(key);
  return { zip: { body, lastModified: Date.UTC(2023, 6, 17), size: body.length }, checksum: parseChecksum(readFixture(`${key}.CHECKSUM`), `${key}.CHECKSUM`) };
}

test('archive decode pool - decodes real zips on worker threads to exactly what decodeArchiveFile gives on this one', async () => {
  assert.ok(isMainThread);
  const pool = new ArchiveDecodePool(2);
  try {
    const keys = [KEYS.spot2020, KEYS.spot2020b, KEYS.spot2020c, KEYS.spotMicros, KEYS.spotMicrosB];
    // More files than threads: the queue hands each to the next free worker, in any order.
    const pooled = await Promise.all(keys.map((key) => {
      const { zip, checksum } = zipOf(key);
      return pool.decode(zip, checksum, key, key.includes('/1h/') ? '1h' : '1m', 'spot', 7);
    }));
    keys.forEach((key, i) => {
      const { zip, checksum } = zipOf(key);
      const here = decodeArchiveFile(zip, checksum, key, key.includes('/1h/') ? '1h' : '1m', 'spot', 7);
      const got = pooled[i] as (typeof pooled)[number];
      assert.deepEqual(got.manifest, here.manifest, key);
      assert.equal(got.candles.length, here.candles.length, key);
      for (const f of CANDLE_FIELDS) assert.deepEqual(got.candles[f].subarray(0, got.candles.length), here.candles[f].subarray(0, here.candles.length), `${key} ${f}`);
    });
    assert.equal(pooled[0]?.candles.length, 1440);
    assert.equal(pooled[0]?.candles.open[0], 7195.24);
    // The columns came back transferred into plain ArrayBuffers (the DuckDB appender copies those directly).
    assert.ok(pooled[0]?.candles.close.buffer instanceof ArrayBuffer);
  } finally {
    await pool.close();
  }
});

test('archive decode pool - a worker\'s checksum and bad-archive errors are thrown as the same classes, key and row included', async () => {
  const pool = new ArchiveDecodePool(1);
  try {
    const flipped = zipOf(KEYS.spot2020, (b) => {
      b[500] = (b[500] as number) ^ 0x10;
      return b;
    });
    await assert.rejects(pool.decode(flipped.zip, flipped.checksum, KEYS.spot2020, '1m', 'spot', 0), (e: unknown) => {
      assert.ok(e instanceof ChecksumMismatchError, String(e));
      assert.equal(e.key, KEYS.spot2020);
      assert.match(e.message, /does not match \.CHECKSUM/);
      return true;
    });
    // A .CHECKSUM for another file: rejected as a bad archive before anything is parsed.
    const other = zipOf(KEYS.spot2020);
    await assert.rejects(pool.decode(other.zip, zipOf(KEYS.spot2020b).checksum, KEYS.spot2020, '1m', 'spot', 0), (e: unknown) => {
      assert.ok(e instanceof BadArchiveError, String(e));
      assert.equal(e.key, KEYS.spot2020);
      assert.match(e.message, /\.CHECKSUM is for BTCUSDT-1m-2020-01-02\.zip/);
      return true;
    });
    // The 1m file read as 1h: its second row is off the 1h grid, named by row.
    const wrongGrid = zipOf(KEYS.spot2020);
    await assert.rejects(pool.decode(wrongGrid.zip, wrongGrid.checksum, KEYS.spot2020, '1h', 'spot', 0), (e: unknown) => {
      assert.ok(e instanceof BadArchiveError, String(e));
      assert.equal(e.key, KEYS.spot2020);
      assert.equal(typeof e.row, 'number');
      assert.match(e.message, new RegExp(`row ${e.row}:`));
      return true;
    });
    // The worker survives its errors.
    const good = zipOf(KEYS.spot2020b);
    assert.equal((await pool.decode(good.zip, good.checksum, KEYS.spot2020b, '1m', 'spot', 0)).candles.length, 1440);
  } finally {
    await pool.close();
  }
});

test('archive decode pool - a closed pool refuses work with a clear reason', async () => {
  const pool = new ArchiveDecodePool(1);
  await pool.close();
  const { zip, checksum } = zipOf(KEYS.spot2020);
  await assert.rejects(pool.decode(zip, checksum, KEYS.spot2020, '1m', 'spot', 0), /archive decode pool is closed/);
  assert.throws(() => new ArchiveDecodePool(0), /at least 1 thread, got 0/);
});

test('archive decode pool - a body owning its whole buffer is handed over; a body inside a larger buffer is copied and left intact', async () => {
  const pool = new ArchiveDecodePool(1);
  try {
    const { zip, checksum } = zipOf(KEYS.spot2020);
    // As a download gives it: a Buffer over an ArrayBuffer of its own.
    const owned = new Uint8Array(new ArrayBuffer(zip.body.length));
    owned.set(zip.body);
    const ownedBody = Buffer.from(owned.buffer);
    const a = await pool.decode({ ...zip, body: ownedBody }, checksum, KEYS.spot2020, '1m', 'spot', 0);
    assert.equal(a.candles.length, 1440);
    assert.equal(ownedBody.byteLength, 0, 'the downloaded body was transferred, not copied');
    // A view into a larger buffer that the caller still uses: copied, so the caller's bytes stay.
    const shared = new Uint8Array(zip.body.length + 16);
    shared.set(zip.body, 16);
    const view = Buffer.from(shared.buffer, 16, zip.body.length);
    const b = await pool.decode({ ...zip, body: view }, checksum, KEYS.spot2020, '1m', 'spot', 0);
    assert.equal(b.candles.length, 1440);
    assert.equal(view.byteLength, zip.body.length);
    assert.deepEqual(shared.subarray(16), new Uint8Array(zip.body));
  } finally {
    await pool.close();
  }
});
