import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../core/intervals.js';
import { parseTime } from '../core/time.js';
import type { Store } from '../store/store.js';
import { runBackfillJob } from './backfill-job.js';
import { FakeSources, fakeCandles, monthlyFiles } from './test-support/fake-sources.js';
import { silentLogger, tempStore } from './test-support/temp-store.js';

const H1: Interval = '1h';
const HOUR = 3_600_000;
const JAN = parseTime('2020-01-01');
const series = (symbol: string) => ({ exchange: 'binance', symbol, interval: H1 });

/** Rows stored per source in [from, to), summed. */
async function stored(store: Store, symbol: string, from: number, to: number): Promise<number> {
  const c = await store.countBySource(series(symbol), from, to);
  return c.archive + c.rest + c.stream;
}

describe('backfill job', () => {
  let store: Store;
  let src: FakeSources;
  beforeEach(async () => {
    store = await tempStore();
    src = new FakeSources(parseTime('2020-07-01T05:30:00Z'));
  });
  afterEach(() => store.close());

  function listSymbol(symbol: string, listedAt: number, months: number): void {
    src.symbols.set(symbol, { listedAt });
    src.files.set(symbol, monthlyFiles(symbol, H1, JAN, months));
  }

  for (const writers of [1, 2]) test(`parallel - files of several symbols load at once, never more than the concurrency, writes ${writers} at a time as the store says`, async () => {
    for (const s of ['AAAUSDT', 'BBBUSDT', 'CCCUSDT']) listSymbol(s, JAN, 6);
    src.loadDelayMs = 50;
    // Slow writes make parsed files wait for the store: they must not pile up beyond the permits.
    let writing = 0;
    let maxWriting = 0;
    let maxParsedWaiting = 0;
    let archiveWrites = 0;
    const slow = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'writeConcurrency') return writers;
        if (prop !== 'writeCandles') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<Store['writeCandles']>) => {
          const archive = args[2] === 'archive';
          if (archive) {
            maxParsedWaiting = Math.max(maxParsedWaiting, src.calls.loadsFinished - archiveWrites);
            writing++;
            maxWriting = Math.max(maxWriting, writing);
            await new Promise((r) => setTimeout(r, 10));
          }
          try {
            return await target.writeCandles(...args);
          } finally {
            if (archive) {
              writing--;
              archiveWrites++;
            }
          }
        };
      },
    });
    const { results } = await runBackfillJob(slow, src, silentLogger, { symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'], interval: H1, concurrency: 4 });
    assert.equal(src.calls.loads, 18);
    // Permits also cover parsed files waiting for the store, so a slow runner may see 3 downloads
    // at once instead of 4; a serial backfill would see 1, an unbounded one 18.
    assert.ok(src.maxLoadsInFlight >= 2 && src.maxLoadsInFlight <= 4, `downloads at once: ${src.maxLoadsInFlight}, want 2 to 4`);
    assert.ok(maxParsedWaiting <= 4, `at most 4 parsed files in memory, saw ${maxParsedWaiting}`);
    assert.equal(maxWriting, writers);
    const julyFirst = parseTime('2020-07-01');
    for (const r of results) {
      assert.equal(r.archiveFiles, 6);
      assert.equal(r.archiveRows, (julyFirst - JAN) / HOUR);
      assert.equal(r.restRows, 5, 'the five closed hours of July 1 from REST');
    }
    assert.equal(await stored(store, 'BBBUSDT', JAN, src.now), (julyFirst - JAN) / HOUR + 5);
    // Each file's columns went back to the source once written (and were emptied there), after the
    // store had taken every value.
    assert.equal(src.calls.releases, 18);
    const march = (src.files.get('CCCUSDT') ?? [])[2];
    assert.ok(march !== undefined);
    assert.deepEqual([...(await store.readCandles(series('CCCUSDT'), march.start, march.end)).volume], [...fakeCandles('CCCUSDT', H1, march.start, march.end).volume]);
  });

  test('abort - stops within seconds mid-backfill, every stored file is whole, a rerun completes it', async () => {
    for (const s of ['AAAUSDT', 'BBBUSDT']) listSymbol(s, JAN, 6);
    src.loadDelayMs = 60;
    const abort = new AbortController();
    let ticks = 0;
    const progress = { add: () => undefined, start: () => undefined, tick: () => { if (++ticks === 3) abort.abort(); } };
    const t0 = Date.now();
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT', 'BBBUSDT'], interval: H1, concurrency: 2, progress, signal: abort.signal });
    const tookMs = Date.now() - t0;
    // What shows the abort is the part-way manifest below; the bound only catches a hang (a loaded
    // 2-core runner took up to 6.6 s here).
    assert.ok(tookMs < 15_000, `stopped after ${tookMs} ms`);
    const manifest = await store.listManifest('data/spot/monthly/');
    assert.ok(manifest.length >= 3 && manifest.length < 12, `stopped part way: ${manifest.length} of 12 files`);
    for (const s of ['AAAUSDT', 'BBBUSDT']) {
      for (const f of src.files.get(s) ?? []) {
        const entry = manifest.find((m) => m.key === f.key);
        assert.equal(await stored(store, s, f.start, f.end), entry === undefined ? 0 : (f.end - f.start) / HOUR, `${f.key} whole or absent`);
      }
    }
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT', 'BBBUSDT'], interval: H1, concurrency: 2 });
    assert.equal((await store.listManifest('data/spot/monthly/')).length, 12);
    assert.equal(await stored(store, 'AAAUSDT', JAN, src.now), (src.now - JAN - 30 * 60_000) / HOUR);
  });

  test('--since - rows before it are not stored; the manifest records the kept range and an earlier --since loads the rest', async () => {
    listSymbol('AAAUSDT', JAN, 6);
    const feb = parseTime('2020-02-01');
    const since = parseTime('2020-02-15');
    const mar = parseTime('2020-03-01');
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1, since });
    assert.equal(await stored(store, 'AAAUSDT', JAN, since), 0, 'nothing before --since');
    assert.equal(await stored(store, 'AAAUSDT', since, mar), (mar - since) / HOUR);
    const key = src.files.get('AAAUSDT')?.[1]?.key ?? '';
    assert.deepEqual(
      { keptFrom: (await store.getManifest(key))?.keptFrom, rows: (await store.getManifest(key))?.rows },
      { keptFrom: since, rows: (mar - since) / HOUR },
    );

    const loadsBefore = src.calls.loads;
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1, since: feb });
    assert.equal(src.calls.loads - loadsBefore, 1, 'only the trimmed month is loaded again');
    assert.equal(await stored(store, 'AAAUSDT', feb, mar), (mar - feb) / HOUR);
    const entry = await store.getManifest(key);
    assert.equal(entry?.keptFrom, undefined);
    assert.equal(entry?.rows, (mar - feb) / HOUR);
    assert.equal(await stored(store, 'AAAUSDT', JAN, feb), 0);
  });

  test('re-published object - a changed size or Last-Modified in the listing loads the file again and its rows replace the old ones', async () => {
    listSymbol('AAAUSDT', JAN, 3);
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    const files = src.files.get('AAAUSDT') ?? [];
    const feb = files[1];
    assert.ok(feb?.size !== undefined && feb.lastModified !== undefined);
    // Same size, one second later: Last-Modified alone says it changed.
    files[1] = { ...feb, lastModified: feb.lastModified + 1000 };
    src.versions.set(feb.key, 1);
    const loadsBefore = src.calls.loads;
    const { jobId } = await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    assert.equal(src.calls.loads - loadsBefore, 1);
    const rows = await store.readCandles(series('AAAUSDT'), feb.start, feb.end);
    const expected = fakeCandles('AAAUSDT', H1, feb.start, feb.end, 1);
    assert.deepEqual([...rows.close], [...expected.close]);
    assert.equal((await store.getManifest(feb.key))?.lastModified, feb.lastModified + 1000);
    const logs = (await store.getJob(jobId))?.tasks.flatMap((t) => t.logs.map((l) => l.message)) ?? [];
    assert.ok(logs.some((m) => m.includes('republished') && m.includes(`${(feb.end - feb.start) / HOUR} stored rows differed`)), logs.join('\n'));

    const again = src.calls.loads;
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    assert.equal(src.calls.loads - again, 0, 'the new version is now the known one');
  });

  test('listing time - a stored listing later than published archive files is re-checked and the earlier history loaded', async () => {
    const oct = parseTime('2019-10-01');
    const listed = parseTime('2019-10-07T03:00:00Z');
    src.symbols.set('AAAUSDT', { listedAt: listed });
    src.files.set('AAAUSDT', monthlyFiles('AAAUSDT', H1, oct, 9));
    // What the demo leaves behind: the instrument with its replayed 2020 listing time.
    await store.upsertInstruments([{ exchange: 'binance', symbol: 'AAAUSDT', base: 'AAA', quote: 'USDT', status: 'TRADING', listedAt: JAN }]);
    await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT'], interval: H1 });
    assert.equal((await store.seriesStats(series('AAAUSDT')))?.first, listed);
    assert.equal(await stored(store, 'AAAUSDT', oct, JAN), (JAN - listed) / HOUR);
    assert.equal((await store.listInstruments('binance'))[0]?.listedAt, listed);
  });

  test('archive listing failing - that symbol fails with the reason and is not fetched over REST, the others go on', async () => {
    listSymbol('AAAUSDT', JAN, 2);
    listSymbol('BBBUSDT', JAN, 2);
    src.now = parseTime('2020-03-01T05:30:00Z');
    src.failingListings.add('AAAUSDT');
    const klinesBefore = src.calls.klines;
    const { jobId, results } = await runBackfillJob(store, src, silentLogger, { symbols: ['AAAUSDT', 'BBBUSDT'], interval: H1 });
    assert.deepEqual(results.map((r) => [r.symbol, r.archiveFiles, r.failed]), [['AAAUSDT', 0, results[0]?.failed], ['BBBUSDT', 2, undefined]]);
    assert.match(results[0]?.failed ?? '', /^AAAUSDT: the archive listing failed \(HTTP 503 .*\); the symbol is not backfilled/);
    assert.equal(src.calls.klines - klinesBefore, 1, 'one REST request, for the tail of BBBUSDT');
    assert.equal(await stored(store, 'AAAUSDT', 0, src.now), 0);
    const job = await store.getJob(jobId);
    assert.equal(job?.job.status, 'partial');
    const failed = job?.tasks.filter((t) => t.status === 'failed') ?? [];
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.error ?? '', /AAAUSDT: the archive listing failed \(HTTP 503 .*\); the symbol is not backfilled/);
  });
});
