import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChecksum, sha256Hex, verifyChecksum } from './checksum.js';
import { BadArchiveError, ChecksumMismatchError } from '../../core/errors.js';
import { KEYS, readFixture } from './test-fixtures.js';

const WITH_CHECKSUM = [KEYS.spot2020, KEYS.spot2020b, KEYS.spot2020c, KEYS.spotMicros, KEYS.spotMicrosB];

test('checksum - every bundled .CHECKSUM parses and verifies its zip', () => {
  for (const key of WITH_CHECKSUM) {
    const sum = parseChecksum(readFixture(`${key}.CHECKSUM`), `${key}.CHECKSUM`);
    assert.equal(sum.fileName, key.slice(key.lastIndexOf('/') + 1));
    assert.equal(verifyChecksum(readFixture(key), key, sum), sum.sha256);
  }
});

test('checksum - reads the 2020 file without a final newline and the 2026 file with one', () => {
  const a = readFixture(`${KEYS.spot2020}.CHECKSUM`);
  const b = readFixture(`${KEYS.spotMicros}.CHECKSUM`);
  assert.notEqual(a.at(-1), 10);
  assert.equal(b.at(-1), 10);
  assert.equal(parseChecksum(a, 'a').sha256, 'dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2');
  assert.equal(parseChecksum(b, 'b').fileName, 'BTCUSDT-1h-2026-05-08.zip');
});

test('checksum - sha256Hex matches the published hash of the 2020-01-01 zip', () => {
  assert.equal(sha256Hex(readFixture(KEYS.spot2020)), 'dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2');
});

test('checksum - a single corrupted byte in a zip fails with ChecksumMismatchError naming the key', () => {
  const key = KEYS.spot2020;
  const zip = Buffer.from(readFixture(key));
  zip[1000] = (zip[1000] as number) ^ 0x01;
  const sum = parseChecksum(readFixture(`${key}.CHECKSUM`), `${key}.CHECKSUM`);
  assert.throws(
    () => verifyChecksum(zip, key, sum),
    (err: unknown) => err instanceof ChecksumMismatchError && err.key === key && err.message.includes(sum.sha256),
  );
});

test('checksum - a .CHECKSUM written for another file is rejected', () => {
  const sum = parseChecksum(readFixture(`${KEYS.spot2020}.CHECKSUM`), 'x');
  assert.throws(() => verifyChecksum(readFixture(KEYS.spot2020b), KEYS.spot2020b, sum), /is for BTCUSDT-1m-2020-01-01.zip/);
});

test('checksum - malformed bodies are rejected with the .CHECKSUM key in the message', () => {
  const good = readFixture(`${KEYS.spotMicros}.CHECKSUM`).toString('latin1');
  const [hash = '', name = ''] = good.trimEnd().split('  ');
  const key = `${KEYS.spotMicros}.CHECKSUM`;
  for (const bad of [
    '',
    hash,
    `${hash} ${name}`,
    `${hash}\t${name}`,
    `${hash} *${name}`,
    `${hash.slice(1)}  ${name}`,
    `${hash}0  ${name}`,
    `${hash.replace(/^./, 'g')}  ${name}`,
    `${hash}  ${name}\n\n`,
    `${hash}  ${name}\r\n`,
    `${good}${good}`,
    `<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>`,
  ]) {
    assert.throws(
      () => parseChecksum(bad, key),
      (err: unknown) => err instanceof BadArchiveError && err.key === key && /not a sha256sum line/.test(err.message),
      JSON.stringify(bad),
    );
  }
});
