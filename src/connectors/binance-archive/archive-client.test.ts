import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArchiveClient } from './archive-client.js';
import { NotFoundError, UpstreamError } from '../../core/errors.js';
import { KEYS, readFixture } from './test-fixtures.js';

type Handler = (url: URL) => Response | Promise<Response>;

/** A client whose fetch is `handler`, recording requested URLs and back-off sleeps. */
function client(handler: Handler, opts: { retries?: number } = {}) {
  const urls: string[] = [];
  const sleeps: number[] = [];
  const c = new ArchiveClient({
    dataBaseUrl: 'http://data.test/',
    listBaseUrl: 'http://list.test/bucket',
    baseDelayMs: 100,
    maxDelayMs: 300,
    ...opts,
    fetch: async (input) => {
      const url = new URL(String(input));
      urls.push(url.toString());
      return handler(url);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { c, urls, sleeps };
}

function fixtureResponse(url: URL): Response {
  const key = decodeURIComponent(url.pathname.slice(1));
  try {
    return new Response(readFixture(key), { headers: { 'last-modified': 'Mon, 17 Jul 2023 07:48:00 GMT' } });
  } catch {
    return new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
  }
}

test('archive client - fetchObject returns the body, size and Last-Modified of the object', async () => {
  const { c, urls } = client(fixtureResponse);
  const obj = await c.fetchObject(KEYS.spot2020);
  assert.equal(urls[0], `http://data.test/${KEYS.spot2020}`);
  assert.ok(obj.body.equals(readFixture(KEYS.spot2020)));
  assert.equal(obj.size, 69497);
  assert.equal(obj.lastModified, Date.UTC(2023, 6, 17, 7, 48));
});

test('archive client - fetchChecksum reads the .CHECKSUM beside the zip', async () => {
  const { c, urls } = client(fixtureResponse);
  const sum = await c.fetchChecksum(KEYS.spot2020);
  assert.equal(urls[0], `http://data.test/${KEYS.spot2020}.CHECKSUM`);
  assert.equal(sum.sha256, 'dd579c62368ded93d3f01a1904575b932279e32936e181c062763e605793c1c2');
});

test('archive client - 404 is NotFoundError at once, without retries', async () => {
  const { c, urls, sleeps } = client(fixtureResponse);
  await assert.rejects(c.fetchObject('data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2099-01-01.zip'), NotFoundError);
  assert.equal(urls.length, 1);
  assert.deepEqual(sleeps, []);
});

test('archive client - 5xx and network errors are retried with capped exponential back-off', async () => {
  let n = 0;
  const { c, sleeps } = client((url) => {
    n++;
    if (n === 1) throw new TypeError('fetch failed');
    if (n <= 4) return new Response('busy', { status: 503 });
    return fixtureResponse(url);
  });
  const obj = await c.fetchObject(KEYS.spot2020);
  assert.equal(obj.size, 69497);
  assert.deepEqual(sleeps, [100, 200, 300, 300]);
});

test('archive client - gives up after the retry budget with UpstreamError carrying the status', async () => {
  const { c, urls } = client(() => new Response('oops', { status: 500 }), { retries: 2 });
  await assert.rejects(c.fetchObject(KEYS.spot2020), (e: unknown) => e instanceof UpstreamError && e.status === 500);
  assert.equal(urls.length, 3);
});

test('archive client - 429 waits Retry-After seconds before retrying', async () => {
  let n = 0;
  const { c, sleeps } = client((url) => (++n === 1 ? new Response('', { status: 429, headers: { 'retry-after': '2' } }) : fixtureResponse(url)));
  await c.fetchObject(KEYS.spot2020);
  assert.deepEqual(sleeps, [2000]);
});

// Pages shaped like the AWS ListObjects v1 sample (see s3-listing.test.ts), carrying archive keys.
function page(keys: string[], nextMarker: string | null): string {
  const contents = keys
    .map((k) => `<Contents><Key>${k}</Key><LastModified>2020-01-02T08:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>1</Size></Contents>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name><Prefix>p/</Prefix><Marker></Marker><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>${nextMarker !== null}</IsTruncated>${nextMarker !== null ? `<NextMarker>${nextMarker}</NextMarker>` : ''}${contents}</ListBucketResult>`;
}

test('archive client - list follows NextMarker across pages with delimiter=/ and the prefix', async () => {
  const k = (d: string) => `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-0${d}.zip`;
  const { c, urls } = client((url) => {
    const marker = url.searchParams.get('marker');
    if (marker === '') return new Response(page([k('1'), k('2')], k('2')));
    if (marker === k('2')) return new Response(page([k('3')], null));
    return new Response('bad marker', { status: 400 });
  });
  const keys: string[] = [];
  for await (const o of c.list('data/spot/daily/klines/BTCUSDT/1m/')) keys.push(o.key);
  assert.deepEqual(keys, [k('1'), k('2'), k('3')]);
  assert.equal(urls.length, 2);
  const first = new URL(urls[0] ?? '');
  assert.equal(first.origin + first.pathname, 'http://list.test/bucket');
  assert.equal(first.searchParams.get('delimiter'), '/');
  assert.equal(first.searchParams.get('prefix'), 'data/spot/daily/klines/BTCUSDT/1m/');
});

test('archive client - a listing that does not advance its marker is an error, not a loop', async () => {
  const { c } = client(() => new Response(page(['a'], 'a')));
  await assert.rejects(async () => {
    for await (const _ of c.list('p/')) void _;
  }, /did not advance/);
});
