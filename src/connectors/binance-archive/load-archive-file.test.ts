import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadArchiveFile, type ArchiveSource } from './load-archive-file.js';
import { parseChecksum, sha256Hex } from './checksum.js';
import { BadArchiveError, ChecksumMismatchError, NotFoundError } from '../../core/errors.js';
import { KEYS, readFixture } from './test-fixtures.js';

/** Serves the real fixture tree, optionally altering the bytes of one key. */
function fixtureSource(alter?: (key: string, body: Buffer) => Buffer): ArchiveSource {
  const get = (key: string) => {
    let body: Buffer;
    try {
      body = readFixture(key);
    } catch {
      throw new NotFoundError(`HTTP 404 for ${key}`);
    }
    return alter ? alter(key, Buffer.from(body)) : body;
  };
  return {
    fetchObject: async (key) => {
      const body = get(key);
      return { body, lastModified: Date.UTC(2023, 6, 17, 7, 48), size: body.length };
    },
    fetchChecksum: async (zipKey) => parseChecksum(get(`${zipKey}.CHECKSUM`), `${zipKey}.CHECKSUM`),
  };
}

test('load archive file - verifies, extracts and parses the 2020-01-01 zip into 1440 candles and a manifest entry', async () => {
  const { candles, manifest } = await loadArchiveFile(fixtureSource(), KEYS.spot2020, '1m', 'spot', () => 42);
  assert.equal(candles.length, 1440);
  assert.equal(candles.open[0], 7195.24);
  assert.equal(candles.close[1439], 7200.85);
  assert.deepEqual(manifest, {
    key: KEYS.spot2020,
    size: 69497,
    sha256: 'dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2',
    lastModified: Date.UTC(2023, 6, 17, 7, 48),
    rows: 1440,
    ingestedAt: 42,
  });
});

test('load archive file - the µs 2026 file loads with ms times', async () => {
  const { candles, manifest } = await loadArchiveFile(fixtureSource(), KEYS.spotMicros, '1h', 'spot');
  assert.equal(candles.openTime[0], 1778198400000);
  assert.equal(manifest.rows, 24);
});

test('load archive file - a corrupted byte fails the checksum before anything is parsed', async () => {
  const src = fixtureSource((key, body) => {
    if (key.endsWith('.zip')) body[500] = (body[500] as number) ^ 0x10;
    return body;
  });
  await assert.rejects(loadArchiveFile(src, KEYS.spot2020, '1m', 'spot'), (e: unknown) => e instanceof ChecksumMismatchError && e.key === KEYS.spot2020);
});

test('load archive file - a truncated zip whose .CHECKSUM matches still fails as a bad archive naming the key', async () => {
  // Simulates a server that truncated the file and published the checksum of the truncated bytes.
  const cut = (b: Buffer) => b.subarray(0, 30000);
  const src: ArchiveSource = {
    fetchObject: async (key) => ({ body: cut(readFixture(key)), lastModified: null, size: 30000 }),
    fetchChecksum: async (zipKey) => ({
      sha256: sha256Hex(cut(readFixture(zipKey))),
      fileName: zipKey.slice(zipKey.lastIndexOf('/') + 1),
    }),
  };
  await assert.rejects(
    loadArchiveFile(src, KEYS.spot2020, '1m', 'spot'),
    (e: unknown) => e instanceof BadArchiveError && e.key === KEYS.spot2020 && e.message.startsWith(KEYS.spot2020) && /truncated|corrupt/.test(e.message),
  );
});

test('load archive file - a missing .CHECKSUM is reported as not found (no unverified load)', async () => {
  await assert.rejects(loadArchiveFile(fixtureSource(), KEYS.um, '1m', 'um'), NotFoundError);
});
