/**
 * The archive client against a real local HTTP server that drops connections mid-body, and a
 * listing endpoint that fails: what a flaky CDN or S3 does, through the real `fetch`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../../core/errors.js';
import { ArchiveClient } from './archive-client.js';
import { loadArchiveFile } from './load-archive-file.js';
import { KEYS, readFixture } from './test-fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

async function serve(handler: Handler): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    handler(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Announces the whole length, sends the first half, then resets the connection. */
function cutMidBody(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/zip' });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
}

/** The recorded object at a request path (`/data/spot/…`). */
function fixture(url: string): Buffer {
  return readFixture(decodeURIComponent(url.slice(1)));
}

function archiveClient(base: string, sleeps: number[]): ArchiveClient {
  return new ArchiveClient({ dataBaseUrl: base, listBaseUrl: `${base}/list`, retries: 3, baseDelayMs: 10, maxDelayMs: 40, sleep: async (ms) => void sleeps.push(ms) });
}

test('archive client - a zip whose body is cut mid-way once is downloaded again, then loads and verifies', async () => {
  const key = KEYS.spot2020;
  const server = await serve((req, res, n) => {
    const body = fixture(req.url ?? '');
    if ((req.url ?? '').endsWith('.zip') && n === 1) return cutMidBody(res, body);
    res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  try {
    const sleeps: number[] = [];
    const loaded = await loadArchiveFile(archiveClient(server.url, sleeps), key, '1m', 'spot', () => 0);
    assert.equal(loaded.candles.length, 1440);
    assert.equal(loaded.manifest.size, readFixture(key).length);
    assert.equal(loaded.manifest.sha256, readFixture(`${key}.CHECKSUM`).toString('utf8').split(/\s+/)[0]);
    assert.equal(server.hits.get(`/${key}`), 2, 'the zip was fetched twice');
    assert.deepEqual(sleeps, [10], 'one back-off before the second attempt');
  } finally {
    await server.close();
  }
});

test('archive client - a zip whose body is always cut fails after the retries with an error naming the key', async () => {
  const key = KEYS.spot2020;
  const server = await serve((req, res) => cutMidBody(res, fixture(req.url ?? '')));
  try {
    const sleeps: number[] = [];
    await assert.rejects(archiveClient(server.url, sleeps).fetchObject(key), (e: unknown) => {
      assert.ok(e instanceof UpstreamError, String(e));
      assert.ok(e.message.startsWith(`${key}: failed after 4 attempts: `), e.message);
      return true;
    });
    assert.equal(server.hits.get(`/${key}`), 4);
    assert.deepEqual(sleeps, [10, 20, 40]);
  } finally {
    await server.close();
  }
});

const LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name><Prefix>p/</Prefix><Marker></Marker><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated><Contents><Key>p/a.zip</Key><LastModified>2020-01-02T08:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>1</Size></Contents></ListBucketResult>`;

test('archive client - a listing request that fails (503, then a body cut mid-way) is retried', async () => {
  const server = await serve((_req, res, n) => {
    const body = Buffer.from(LISTING);
    if (n === 1) return void res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>');
    if (n === 2) return cutMidBody(res, body);
    res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  try {
    const sleeps: number[] = [];
    const keys: string[] = [];
    for await (const o of archiveClient(server.url, sleeps).list('p/')) keys.push(o.key);
    assert.deepEqual(keys, ['p/a.zip']);
    assert.equal(server.hits.get('/list'), 3);
    assert.deepEqual(sleeps, [10, 20]);
  } finally {
    await server.close();
  }
});

test('archive client - a listing that keeps failing throws an error naming the prefix, not an empty listing', async () => {
  const prefix = 'data/spot/monthly/klines/BTCUSDT/1m/';
  const server = await serve((_req, res) => void res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>'));
  try {
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const o of archiveClient(server.url, []).list(prefix)) seen.push(o.key);
      },
      (e: unknown) => e instanceof UpstreamError && e.status === 503 && e.message.startsWith(`S3 listing of ${prefix}: failed after 4 attempts: `),
    );
    assert.deepEqual(seen, []);
    assert.equal(server.hits.get('/list'), 4);
  } finally {
    await server.close();
  }
});

test('archive client - an abort cancels a download in flight at once, with the abort reason and no retry', async () => {
  const key = KEYS.spot2020;
  // Sends the headers and a first slice, then stalls: only the abort can end the request early.
  const server = await serve((req, res) => {
    const body = fixture(req.url ?? '');
    res.writeHead(200, { 'content-length': String(body.length) });
    res.write(body.subarray(0, 100));
  });
  try {
    const sleeps: number[] = [];
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(new Error('stopped by the user')), 100);
    await assert.rejects(loadArchiveFile(archiveClient(server.url, sleeps), key, '1m', 'spot', () => 0, abort.signal), /stopped by the user/);
    assert.ok(Date.now() - started < 5_000, `the abort ended the stalled download after ${Date.now() - started} ms`);
    assert.deepEqual(sleeps, [], 'an aborted download is not retried');
    assert.equal(server.hits.get(`/${key}`), 1);
  } finally {
    await server.close();
  }
});
