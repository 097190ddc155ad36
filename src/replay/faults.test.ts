import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startReplayServer, BUNDLED_FIXTURES, type ReplayServer, type ReplayServerOptions } from './replay-server.js';
import { extractSingleCsv } from '../connectors/binance-archive/zip.js';
import { parseKlineCsv } from '../connectors/binance-archive/kline-csv.js';
import { BadArchiveError } from '../core/errors.js';

const KEY = 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-02.zip';
const OTHER = 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip';
const NOW = Date.UTC(2020, 0, 10);

async function withServer(opts: ReplayServerOptions, fn: (s: ReplayServer) => Promise<void>): Promise<void> {
  const s = await startReplayServer({ now: NOW, speed: 0, ...opts });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function download(s: ReplayServer, key: string): Promise<{ zip: Buffer; checksum: string }> {
  const zip = Buffer.from(await (await fetch(`${s.urls.archiveData}/${key}`)).arrayBuffer());
  const checksum = (await (await fetch(`${s.urls.archiveData}/${key}.CHECKSUM`)).text()).slice(0, 64);
  return { zip, checksum };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const recorded = (key: string): Buffer => readFileSync(`${BUNDLED_FIXTURES}binance-vision/${key}`);

test('fault --truncate-zip - serves half the zip with a matching .CHECKSUM, so the zip reader must reject it', async () => {
  await withServer({ faults: { truncateZip: '2020-01-02' } }, async (s) => {
    const { zip, checksum } = await download(s, KEY);
    assert.equal(zip.length, Math.floor(recorded(KEY).length / 2));
    assert.equal(checksum, sha256(zip));
    assert.throws(() => extractSingleCsv(zip, KEY), BadArchiveError);
    assert.deepEqual((await download(s, OTHER)).zip, recorded(OTHER));
    assert.deepEqual(s.stats().archiveFaults, [{ key: KEY, kind: 'truncate-zip' }]);
  });
});

test('fault --bad-checksum - serves the real zip with a .CHECKSUM that does not match it', async () => {
  await withServer({ faults: { badChecksum: 'BTCUSDT-1m-2020-01-02' } }, async (s) => {
    const { zip, checksum } = await download(s, KEY);
    assert.deepEqual(zip, recorded(KEY));
    assert.notEqual(checksum, sha256(zip));
    assert.equal(checksum.slice(1), sha256(zip).slice(1));
    assert.equal((await download(s, OTHER)).checksum, sha256(recorded(OTHER)));
  });
});

test('fault --malformed-csv - one row is cut short, the checksum matches, and the CSV parser names the row', async () => {
  await withServer({ faults: { malformedCsv: '2020-01-02' }, seed: 7 }, async (s) => {
    const { zip, checksum } = await download(s, KEY);
    assert.equal(checksum, sha256(zip));
    const csv = extractSingleCsv(zip, KEY);
    const fault = s.stats().archiveFaults[0];
    assert.equal(fault?.kind, 'malformed-csv');
    const row = fault?.row ?? 0;
    assert.ok(row >= 1 && row <= 1440);
    const lines = csv.toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1440);
    assert.equal(lines[row - 1]?.split(',').length, 6);
    const original = extractSingleCsv(recorded(KEY), KEY).toString('utf8').trimEnd().split('\n');
    assert.deepEqual(lines.filter((_, i) => i !== row - 1), original.filter((_, i) => i !== row - 1));
    assert.throws(
      () => parseKlineCsv(csv, { key: KEY, interval: '1m', market: 'spot' }),
      (err: unknown) => err instanceof BadArchiveError && err.key === KEY && err.row === row,
    );
  });
  // Same seed, same row; the choice is deterministic.
  const rows: (number | undefined)[] = [];
  for (let i = 0; i < 2; i++) await withServer({ faults: { malformedCsv: '2020-01-02' }, seed: 7 }, async (s) => void rows.push(s.stats().archiveFaults[0]?.row));
  assert.equal(rows[0], rows[1]);
});

test('fault --fail-5xx - a seeded fraction of requests get 503, the same ones for the same seed', async () => {
  const run = async (seed: number): Promise<number[]> => {
    const statuses: number[] = [];
    await withServer({ faults: { fail5xx: 0.5 }, seed }, async (s) => {
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${s.urls.binance}/api/v3/ping`)).status);
      assert.equal(s.stats().injected5xx, statuses.filter((x) => x === 503).length);
    });
    return statuses;
  };
  const a = await run(42);
  assert.deepEqual(await run(42), a);
  assert.ok(a.includes(503) && a.includes(200));
  assert.ok(a.every((x) => x === 200 || x === 503));
  await withServer({ faults: { fail5xx: 1 } }, async (s) => {
    const cg = await fetch(`${s.urls.coingecko}/coins/markets?vs_currency=usd`);
    assert.equal(cg.status, 503);
    const s3 = await fetch(`${s.urls.archiveList}?prefix=data/`);
    assert.equal(s3.status, 503);
    assert.match(await s3.text(), /<Code>SlowDown<\/Code>/);
  });
});

test('fault --fail-rate-limit - the first Binance request gets 429, the next in the window 418, and waiting out the ban works', async () => {
  await withServer({ faults: { failRateLimit: true }, now: Date.UTC(2020, 0, 10, 0, 0, 45) }, async (s) => {
    const url = `${s.urls.binance}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`;
    const first = await fetch(url);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '15');
    const second = await fetch(url);
    assert.equal(second.status, 418);
    assert.equal(second.headers.get('retry-after'), '120');
    s.clock.advance(120_000);
    assert.equal((await fetch(url)).status, 200);
  });
});

test('fault --latency - every response waits at least the given real milliseconds', async () => {
  await withServer({ faults: { latencyMs: 150 } }, async (s) => {
    const t0 = performance.now();
    assert.equal((await fetch(`${s.urls.binance}/api/v3/ping`)).status, 200);
    // A lower bound only: the delay is the behaviour under test, not a speed claim.
    assert.ok(performance.now() - t0 >= 140);
  });
});
