import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startReplayServer, BUNDLED_FIXTURES } from './replay-server.js';
import { parseS3ListObjectsV1 } from '../connectors/binance-archive/s3-listing.js';
import { ArchiveClient } from '../connectors/binance-archive/archive-client.js';
import { parseChecksum, verifyChecksum } from '../connectors/binance-archive/checksum.js';
import { NotFoundError } from '../core/errors.js';

const PREFIX = 'data/spot/daily/klines/BTCUSDT/1m/';
const DAYS = ['2020-01-01', '2020-01-02', '2020-01-03'];
const server = await startReplayServer({ now: Date.UTC(2026, 5, 1), speed: 0 });
after(() => server.close());

async function list(query: string): Promise<string> {
  const res = await fetch(`${server.urls.archiveList}?${query}`);
  assert.equal(res.status, 200);
  return res.text();
}

test('s3 listing - max-keys=2 pages through the six BTCUSDT 1m keys with NextMarker and IsTruncated', async () => {
  const keys: string[] = [];
  const truncated: boolean[] = [];
  let marker = '';
  for (let i = 0; i < 10; i++) {
    const xml = await list(`delimiter=/&prefix=${encodeURIComponent(PREFIX)}&max-keys=2&marker=${encodeURIComponent(marker)}`);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/);
    const page = parseS3ListObjectsV1(xml);
    assert.equal(page.name, 'data.binance.vision');
    assert.equal(page.maxKeys, 2);
    assert.equal(page.delimiter, '/');
    keys.push(...page.contents.map((c) => c.key));
    truncated.push(page.isTruncated);
    if (!page.isTruncated) {
      assert.equal(page.nextMarker, null);
      break;
    }
    assert.equal(page.nextMarker, page.contents[page.contents.length - 1]?.key);
    marker = page.nextMarker ?? '';
  }
  assert.deepEqual(truncated, [true, true, false]);
  assert.deepEqual(keys, DAYS.flatMap((d) => [`${PREFIX}BTCUSDT-1m-${d}.zip`, `${PREFIX}BTCUSDT-1m-${d}.zip.CHECKSUM`]));
});

test('s3 listing - a delimiter rolls sub-folders into CommonPrefixes; sizes and ETags describe the served bytes', async () => {
  const page = parseS3ListObjectsV1(await list('delimiter=/&prefix=data/spot/daily/klines/'));
  assert.deepEqual(page.commonPrefixes, ['data/spot/daily/klines/BTCUSDT/', 'data/spot/daily/klines/ETHUSDT/']);
  assert.equal(page.contents.length, 0);
  const intervals = parseS3ListObjectsV1(await list('delimiter=/&prefix=data/spot/daily/klines/BTCUSDT/'));
  assert.deepEqual(intervals.commonPrefixes, ['data/spot/daily/klines/BTCUSDT/1h/', 'data/spot/daily/klines/BTCUSDT/1m/']);
  const files = parseS3ListObjectsV1(await list(`prefix=${encodeURIComponent(PREFIX)}`));
  const zip = readFileSync(`${BUNDLED_FIXTURES}binance-vision/${PREFIX}BTCUSDT-1m-2020-01-01.zip`);
  const first = files.contents[0];
  assert.equal(first?.size, zip.length);
  assert.equal(first?.etag, `"${createHash('md5').update(zip).digest('hex')}"`);
  assert.equal(first?.lastModified, Date.UTC(2020, 0, 2, 0, 10));
});

test('archive files - each .CHECKSUM holds the SHA-256 of the zip served beside it', async () => {
  for (const d of DAYS) {
    const key = `${PREFIX}BTCUSDT-1m-${d}.zip`;
    const zipRes = await fetch(`${server.urls.archiveData}/${key}`);
    assert.equal(zipRes.status, 200);
    const zip = Buffer.from(await zipRes.arrayBuffer());
    assert.equal(zipRes.headers.get('content-length'), String(zip.length));
    assert.equal(zipRes.headers.get('last-modified'), new Date(Date.UTC(2020, 0, Number(d.slice(8)) + 1, 0, 10)).toUTCString());
    const sum = await (await fetch(`${server.urls.archiveData}/${key}.CHECKSUM`)).text();
    assert.equal(sum.slice(0, 64), createHash('sha256').update(zip).digest('hex'));
    assert.equal(sum.slice(64).trim(), `BTCUSDT-1m-${d}.zip`);
  }
});

test('archive files - absent objects are 404 with an S3 NoSuchKey body', async () => {
  const res = await fetch(`${server.urls.archiveData}/data/spot/daily/klines/ETHUSDT/1m/ETHUSDT-1m-2022-08-14.zip.CHECKSUM`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /<Code>NoSuchKey<\/Code>/);
  assert.equal((await fetch(`${server.urls.archiveData}/data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01.zip`)).status, 404);
});

test('publication - a daily file appears at the next midnight plus the 10-minute lag, in files and listing', async () => {
  const s = await startReplayServer({ now: Date.UTC(2020, 0, 3, 0, 9, 59), speed: 0 });
  try {
    const client = new ArchiveClient({ dataBaseUrl: s.urls.archiveData, listBaseUrl: s.urls.archiveList, retries: 0 });
    const listed = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const o of client.list(PREFIX)) out.push(o.key.slice(PREFIX.length));
      return out;
    };
    assert.deepEqual(await listed(), ['BTCUSDT-1m-2020-01-01.zip', 'BTCUSDT-1m-2020-01-01.zip.CHECKSUM']);
    await assert.rejects(client.fetchObject(`${PREFIX}BTCUSDT-1m-2020-01-02.zip`), NotFoundError);
    s.clock.advance(1000);
    assert.equal((await listed()).length, 4);
    const key = `${PREFIX}BTCUSDT-1m-2020-01-02.zip`;
    const obj = await client.fetchObject(key);
    assert.equal(obj.lastModified, Date.UTC(2020, 0, 3, 0, 10));
    assert.equal(verifyChecksum(obj.body, key, await client.fetchChecksum(key)), parseChecksum(readFileSync(`${BUNDLED_FIXTURES}binance-vision/${key}.CHECKSUM`), `${key}.CHECKSUM`).sha256);
  } finally {
    await s.close();
  }
});
