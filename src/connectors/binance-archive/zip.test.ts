import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSingleCsv } from './zip.js';
import { BadArchiveError } from '../../core/errors.js';
import { KEYS, readFixture } from './test-fixtures.js';

const KEY = KEYS.spot2020;

function rejects(zip: Buffer, reason: RegExp): void {
  assert.throws(
    () => extractSingleCsv(zip, KEY),
    (err: unknown) => err instanceof BadArchiveError && err.key === KEY && err.message.startsWith(KEY) && reason.test(err.message),
  );
}

/** Offset of the central directory header of the first entry (from the EOCD at the end). */
function cdOffset(zip: Buffer): number {
  return zip.readUInt32LE(zip.length - 22 + 16);
}

test('zip - extracts the one CSV of a real archive zip, whose first row is the 2020-01-01 00:00 candle', () => {
  const csv = extractSingleCsv(readFixture(KEY), KEY);
  assert.equal(csv.length, 204966);
  assert.ok(csv.toString('latin1', 0, 60).startsWith('1577836800000,7195.24000000,7196.25000000,'));
});

test('zip - extracts every recorded fixture zip (spot, USD-M, COIN-M)', () => {
  for (const key of Object.values(KEYS)) {
    const csv = extractSingleCsv(readFixture(key), key);
    assert.ok(csv.length > 1000, key);
    assert.equal(csv.indexOf('PK'), -1, `${key} came out still zipped`);
  }
});

test('zip - a truncated zip is rejected naming the key', () => {
  const zip = readFixture(KEY);
  rejects(zip.subarray(0, zip.length - 40), /truncated|corrupt/);
  rejects(zip.subarray(0, 20000), /truncated|corrupt/);
  rejects(zip.subarray(0, 10), /truncated/);
  rejects(Buffer.alloc(0), /truncated/);
});

test('zip - a flipped byte in the compressed data fails inflate or the CRC check', () => {
  const zip = Buffer.from(readFixture(KEY));
  zip[30000] = (zip[30000] as number) ^ 0xff;
  rejects(zip, /CRC-32|does not inflate|inflates to/);
});

test('zip - a wrong CRC in the central directory is reported as a CRC mismatch', () => {
  const zip = Buffer.from(readFixture(KEY));
  const p = cdOffset(zip);
  zip.writeUInt32LE((zip.readUInt32LE(p + 16) ^ 1) >>> 0, p + 16);
  rejects(zip, /CRC-32 [0-9a-f]{8} does not match/);
});

test('zip - a zip that says it has two entries, or none, is rejected', () => {
  const two = Buffer.from(readFixture(KEY));
  two.writeUInt16LE(2, two.length - 22 + 10);
  rejects(two, /2 entries, expected exactly one/);
  const none = Buffer.from(readFixture(KEY));
  none.writeUInt16LE(0, none.length - 22 + 10);
  rejects(none, /0 entries/);
});

test('zip - an entry that is not a .csv is rejected', () => {
  const zip = Buffer.from(readFixture(KEY));
  const p = cdOffset(zip);
  const nameLen = zip.readUInt16LE(p + 28);
  zip.write('x', p + 46 + nameLen - 1, 'latin1'); // ".csv" -> ".csx"
  rejects(zip, /not a CSV/);
});

test('zip - a stored (uncompressed) entry built around real CSV bytes extracts unchanged', () => {
  // Wraps the real CSV with method 0 by rewriting the real zip's headers, so the reader's
  // stored path is covered without inventing a payload.
  const real = readFixture(KEY);
  const csv = extractSingleCsv(real, KEY);
  const p = cdOffset(real);
  const nameLen = real.readUInt16LE(p + 28);
  const lfh = Buffer.from(real.subarray(0, 30 + nameLen));
  lfh.writeUInt16LE(0, 28); // no extra field
  lfh.writeUInt16LE(0, 8);
  lfh.writeUInt32LE(csv.length, 18);
  const cd = Buffer.from(real.subarray(p, p + 46 + nameLen));
  cd.writeUInt16LE(0, 10);
  cd.writeUInt32LE(csv.length, 20);
  cd.writeUInt16LE(0, 30);
  cd.writeUInt16LE(0, 32);
  const eocd = Buffer.from(real.subarray(real.length - 22));
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(lfh.length + csv.length, 16);
  eocd.writeUInt16LE(0, 20);
  const stored = Buffer.concat([lfh, csv, cd, eocd]);
  assert.ok(extractSingleCsv(stored, KEY).equals(csv));
});
