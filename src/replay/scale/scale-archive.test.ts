import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplayServer, BUNDLED_FIXTURES } from '../replay-server.js';
import { DerivedSeries } from './derived-series.js';
import { loadSourceMonths } from './source-months.js';
import { ScaleArchive } from './scale-archive.js';
import { ArchiveClient } from '../../connectors/binance-archive/archive-client.js';
import { loadArchiveFile } from '../../connectors/binance-archive/load-archive-file.js';
import { csvColumns, unzipText } from '../../../test/support/archive-days.js';

const cache = mkdtempSync(join(tmpdir(), 'scale-test-'));
const server = await startReplayServer({ speed: 0, scale: { spec: { symbols: 2, months: 2 }, cacheDir: cache } });
after(async () => {
  await server.close();
  rmSync(cache, { recursive: true, force: true });
});
const KEY = (sym: string, month: string): string => `data/spot/monthly/klines/${sym}/1m/${sym}-1m-${month}.zip`;
const zipPath = (key: string): string => join(cache, 'derived-v1', key);
/** The recorded LINKUSDT 2023-02 and AVAXUSDT 2024-02 rows, read with a plain split. */
const sourceLines = (file: string): string[] =>
  readFileSync(join(BUNDLED_FIXTURES, 'binance-vision/data/futures/um/monthly/klines-csv', file), 'utf8').split('\n').slice(1, -1);
const LINK = sourceLines('LINKUSDT-1m-2023-02.csv');
const AVAX = sourceLines('AVAXUSDT-1m-2024-02.csv');
const withoutTimes = (line: string): string => line.split(',').filter((_, i) => i !== 0 && i !== 6).join(',');

test('scale archive - a 2 × 2 archive is 2024-11 and 2024-12 of SCALE001USDT and SCALE002USDT, every minute on the grid', () => {
  const s = server.stats().scale;
  assert.deepEqual(s?.symbols, ['SCALE001USDT', 'SCALE002USDT']);
  assert.equal(s?.seriesStart, Date.UTC(2024, 10, 1));
  assert.equal(s?.generatedMonths, 4);
  for (const [month, days] of [['2024-11', 30], ['2024-12', 31]] as const) {
    const rows = csvColumns(unzipText(zipPath(KEY('SCALE002USDT', month))));
    assert.equal(rows.length, days * 1440);
    const start = Date.UTC(2024, month === '2024-11' ? 10 : 11, 1);
    for (let i = 0; i < rows.length; i++) {
      if (rows.openTime[i] !== start + i * 60_000 || rows.closeTime[i] !== start + i * 60_000 + 59_999) assert.fail(`${month} row ${i + 1} is off the grid`);
    }
  }
});

test('scale archive - derived rows are the recorded rows, shifted by whole days and wrapped to fill the month', () => {
  const nov1 = unzipText(zipPath(KEY('SCALE001USDT', '2024-11'))).split('\n');
  // SCALE001 is cut from LINKUSDT 2023-02 with no shift in its first month: row 1 is LINK's row 1.
  assert.equal(withoutTimes(nov1[0] as string), '6.949,6.959,6.947,6.957,30020.25,208718.48852,471,10610.28,73780.89351,0');
  // 28 recorded days fill 30: day 29 starts over at LINK's first minute.
  assert.equal(withoutTimes(nov1[28 * 1440] as string), withoutTimes(LINK[0] as string));
  // SCALE002 is cut from AVAXUSDT 2024-02 shifted 7 days (7 · symbol 1 + 3 · month 0).
  const avaxNov = unzipText(zipPath(KEY('SCALE002USDT', '2024-11'))).split('\n');
  assert.equal(withoutTimes(avaxNov[0] as string), withoutTimes(AVAX[7 * 1440] as string));
  // December is shifted 3 more days.
  const avaxDec = unzipText(zipPath(KEY('SCALE002USDT', '2024-12'))).split('\n');
  assert.equal(withoutTimes(avaxDec[0] as string), withoutTimes(AVAX[10 * 1440] as string));
});

test('scale archive - February 2024 has 41,760 derived rows and February 2023 40,320', () => {
  const series = new DerivedSeries({ symbols: 1, months: 23 }, loadSourceMonths(BUNDLED_FIXTURES));
  // 23 months ending 2024-12 start at 2023-02.
  const feb23 = series.monthCsv(0, 0).toString('utf8').split('\n');
  const feb24 = series.monthCsv(0, 12).toString('utf8').split('\n');
  assert.equal(feb23.length - 1, 40_320);
  assert.equal(feb24.length - 1, 41_760);
  assert.ok((feb24[0] as string).startsWith(`${Date.UTC(2024, 1, 1)},`));
});

test('scale archive - the S3 listing gives each zip its size, MD5 ETag and Last-Modified, and the client verifies its .CHECKSUM', async () => {
  const client = new ArchiveClient({ dataBaseUrl: server.urls.archiveData, listBaseUrl: server.urls.archiveList });
  const listed = [];
  for await (const o of client.list('data/spot/monthly/klines/SCALE001USDT/1m/')) listed.push(o);
  assert.deepEqual(listed.map((o) => o.key), [KEY('SCALE001USDT', '2024-11'), `${KEY('SCALE001USDT', '2024-11')}.CHECKSUM`, KEY('SCALE001USDT', '2024-12'), `${KEY('SCALE001USDT', '2024-12')}.CHECKSUM`]);
  const zip = readFileSync(zipPath(KEY('SCALE001USDT', '2024-12')));
  const dec = listed[2];
  assert.equal(dec?.size, zip.length);
  assert.equal(dec?.etag, `"${createHash('md5').update(zip).digest('hex')}"`);
  // Published on the first Monday of the next month plus the 10-minute lag.
  assert.equal(dec?.lastModified, Date.UTC(2025, 0, 6, 0, 10));
  const sum = await (await fetch(`${server.urls.archiveData}/${KEY('SCALE001USDT', '2024-12')}.CHECKSUM`)).text();
  assert.equal(sum, `${createHash('sha256').update(zip).digest('hex')}  SCALE001USDT-1m-2024-12.zip`);
  const loaded = await loadArchiveFile(client, KEY('SCALE001USDT', '2024-12'), '1m', 'spot');
  assert.equal(loaded.candles.length, 44_640);
  // December of SCALE001 starts 3 days into LINK's month; the client's parse gives the recorded close.
  assert.equal(loaded.candles.close[0], Number((LINK[3 * 1440] as string).split(',')[4]));
  assert.equal(loaded.candles.openTime[44_639], Date.UTC(2024, 11, 31, 23, 59));
});

test('scale archive - REST serves the derived minutes through the days after the archive, the same rows as the zips', async () => {
  const now = server.clock.now();
  assert.equal(now, Date.UTC(2025, 0, 6, 1, 10));
  const get = async (q: string): Promise<unknown[][]> => (await (await fetch(`${server.urls.binance}/api/v3/klines?${q}`)).json()) as unknown[][];
  const first = await get('symbol=SCALE002USDT&interval=1m&startTime=0&limit=2');
  const dec = unzipText(zipPath(KEY('SCALE002USDT', '2024-11'))).split('\n');
  assert.deepEqual(first.map((r) => r.slice(0, 11).join(',')), [dec[0], dec[1]].map((l) => (l as string).split(',').slice(0, 11).join(',')));
  const tail = await get(`symbol=SCALE002USDT&interval=1m&limit=1000`);
  assert.equal(tail.length, 1000);
  assert.equal(tail[999]?.[0], Date.UTC(2025, 0, 6, 1, 10));
  assert.equal((await get('symbol=SCALE002USDT&interval=1m&startTime=1735689600000&limit=1'))[0]?.[0], Date.UTC(2025, 0, 1));
  // endTime caps the rows; a window before the first derived minute is empty.
  const capped = await get(`symbol=SCALE002USDT&interval=1m&startTime=${Date.UTC(2024, 11, 31, 23, 58)}&endTime=${Date.UTC(2024, 11, 31, 23, 59)}&limit=1000`);
  assert.deepEqual(capped.map((r) => r[0]), [Date.UTC(2024, 11, 31, 23, 58), Date.UTC(2024, 11, 31, 23, 59)]);
  assert.deepEqual(await get(`symbol=SCALE002USDT&interval=1m&endTime=${Date.UTC(2024, 9, 31)}`), []);
  const hour = await fetch(`${server.urls.binance}/api/v3/klines?symbol=SCALE002USDT&interval=1h`);
  assert.equal(hour.status, 400);
});

test('scale archive - exchangeInfo and CoinGecko list the derived symbols, named as derived', async () => {
  const info = (await (await fetch(`${server.urls.binance}/api/v3/exchangeInfo?symbol=SCALE001USDT`)).json()) as { symbols: Record<string, unknown>[] };
  const e = info.symbols[0] as { symbol: string; baseAsset: string; status: string; filters: { filterType: string; tickSize?: string }[] };
  assert.equal(e.symbol, 'SCALE001USDT');
  assert.equal(e.baseAsset, 'SCALE001');
  assert.equal(e.status, 'TRADING');
  // LINKUSDT futures prices have 3 decimals (6.949): tick 0.001.
  assert.equal(e.filters.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize, '0.00100000');
  const coins = (await (await fetch(`${server.urls.coingecko}/coins/markets?vs_currency=usd&per_page=3`)).json()) as { id: string; name: string }[];
  assert.deepEqual(coins.map((c) => c.id), ['scale001', 'scale002', 'bitcoin']);
  assert.match(coins[0]?.name ?? '', /derived from LINKUSDT 2023-02/);
});

test('scale archive - a second start reuses the cache and regenerates only a missing month', async () => {
  const series = new DerivedSeries({ symbols: 2, months: 2 }, loadSourceMonths(BUNDLED_FIXTURES));
  const again = await ScaleArchive.prepare(series, { cacheDir: cache, publicationLagMs: 600_000 });
  assert.equal(again.generated, 0);
  const key = KEY('SCALE002USDT', '2024-12');
  const before = readFileSync(zipPath(key));
  unlinkSync(zipPath(key));
  writeFileSync(`${zipPath(key)}.tmp`, 'a half-written zip from a killed run');
  const third = await ScaleArchive.prepare(series, { cacheDir: cache, publicationLagMs: 600_000 });
  assert.equal(third.generated, 1);
  assert.deepEqual(readFileSync(zipPath(key)), before);
});
