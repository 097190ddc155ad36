/**
 * The pipeline end to end, run against both store backends: universe → backfill (archive, then
 * REST tail) → sync → gaps, on the replay server's simulated clock, with its fault injection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { parseTime } from '../src/core/time.js';
import { runBackfillJob } from '../src/pipeline/backfill-job.js';
import { runGapsJob } from '../src/pipeline/gaps-job.js';
import { runSyncJob } from '../src/pipeline/sync-job.js';
import { runUniverseJob } from '../src/pipeline/universe-job.js';
import type { Store } from '../src/store/store.js';
import { archiveDay, BTC_1M_KEY } from './support/archive-days.js';
import { startHarness, type Harness } from './support/pipeline-harness.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const DAY1 = parseTime('2020-01-01');
const DAY4 = parseTime('2020-01-04');

function assertSameCandles(actual: CandleColumns, expected: CandleColumns, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  for (const f of CANDLE_FIELDS) {
    for (let i = 0; i < expected.length; i++) {
      if (actual[f][i] !== expected[f][i]) assert.fail(`${what}: ${f} of row ${i} is ${actual[f][i]}, archive has ${expected[f][i]}`);
    }
  }
}

function concat(parts: CandleColumns[]): CandleColumns {
  const out = {} as CandleColumns;
  out.length = parts.reduce((n, p) => n + p.length, 0);
  for (const f of CANDLE_FIELDS) {
    const a = new Float64Array(out.length);
    let at = 0;
    for (const p of parts) {
      a.set(p[f].subarray(0, p.length), at);
      at += p.length;
    }
    out[f] = a;
  }
  return out;
}

const ALL_DAYS = (): CandleColumns => concat([archiveDay('2020-01-01'), archiveDay('2020-01-02'), archiveDay('2020-01-03')]);

export function runPipelineScenarios(backend: string, makeStore: () => Promise<Store>): void {
  describe(`pipeline on ${backend}`, () => {
    describe('a day before the last file is published', () => {
      let h: Harness;
      let store: Store;
      before(async () => {
        h = await startHarness({ now: '2020-01-03T12:00:30Z' });
        store = await makeStore();
      });
      after(async () => {
        await store.close();
        await h.close();
      });

      test('backfill - archive files for published days, REST for the unpublished tail, in the fewest requests', async () => {
        const before = h.replay.stats().binance.requests;
        const { results } = await runBackfillJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m' });
        assert.deepEqual(results, [{ symbol: 'BTCUSDT', archiveFiles: 2, archiveRows: 2880, restRows: 720, rejectedFiles: [] }]);
        // exchangeInfo (the store knows no instrument yet), one klines request finds the listing, one
        // fetches the 720 closed minutes of 2020-01-03.
        assert.equal(h.replay.stats().binance.requests - before, 3);
        assert.deepEqual(await store.countBySource(BTC, DAY1, DAY4), { archive: 2880, rest: 720, stream: 0 });
        const day3 = archiveDay('2020-01-03');
        const stored = await store.readCandles(BTC, parseTime('2020-01-03'), parseTime('2020-01-03T12:00:00Z'));
        const expected = concat([{ ...day3, length: 720 }]);
        assertSameCandles(stored, expected, 'REST tail of 2020-01-03');
      });

      test('backfill - a symbol the exchange does not list fails its task with that reason', async () => {
        const { jobId, results } = await runBackfillJob(store, h.sources, h.logger, { symbols: ['NOPEUSDT'], interval: '1m' });
        assert.deepEqual(results, [{ symbol: 'NOPEUSDT', archiveFiles: 0, archiveRows: 0, restRows: 0, rejectedFiles: [], failed: 'NOPEUSDT is not listed on binance' }]);
        const job = await store.getJob(jobId);
        assert.equal(job?.job.status, 'failed');
        assert.equal(job?.tasks[0]?.error, 'NOPEUSDT is not listed on binance');
      });

      test('sync - after 90 simulated minutes, writes exactly the 90 closed candles', async () => {
        h.replay.clock.advance(90 * 60_000);
        const res = await runSyncJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m' });
        assert.equal(res.rows, 90);
        assert.deepEqual(res.needBackfill, []);
        const stats = await store.seriesStats(BTC);
        assert.equal(stats?.last, parseTime('2020-01-03T13:29:00Z'));
        assert.equal(stats?.count, 2880 + 720 + 90);
      });

      test('backfill next day - the published archive file replaces the REST rows, no duplicates', async () => {
        h.replay.clock.setNow(parseTime('2020-01-04T00:10:30Z'));
        const { results } = await runBackfillJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m' });
        assert.equal(results[0]?.archiveFiles, 1);
        assert.deepEqual(await store.countBySource(BTC, DAY1, DAY4), { archive: 4320, rest: 0, stream: 0 });
        assertSameCandles(await store.readCandles(BTC, DAY1, DAY4), ALL_DAYS(), 'three days');
        assert.equal((await store.getManifest(BTC_1M_KEY('2020-01-03')))?.rows, 1440);
      });

      test('rerun - adds no rows and downloads no archive file again', async () => {
        const before = h.replay.stats().requests;
        const { results } = await runBackfillJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m' });
        assert.deepEqual(results[0], { symbol: 'BTCUSDT', archiveFiles: 0, archiveRows: 0, restRows: 0, rejectedFiles: [] });
        // Two listing pages (monthly, daily) and one klines request for the ten closed minutes of
        // 2020-01-04, which the recording does not have; no zip, no .CHECKSUM (all in the manifest).
        assert.equal(h.replay.stats().requests - before, 3);
        assert.equal((await store.seriesStats(BTC))?.count, 4320);
      });

      test('gaps - none in a complete history; the current minutes count as not yet published', async () => {
        const s = await runGapsJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m', repair: true });
        // 2020-01-04 00:00..00:09 are closed but the recording has no 2020-01-04 minutes.
        assert.equal(s.missingCandles, 10);
        assert.equal(s.repairedCandles, 0);
        const gaps = await store.listGaps({ symbol: 'BTCUSDT' });
        assert.equal(gaps.length, 1);
        assert.equal(gaps[0]?.from, DAY4);
        assert.ok(gaps[0]?.kind === 'exchange_outage' || gaps[0]?.kind === 'not_published');
      });
    });

    for (const fault of ['malformedCsv', 'badChecksum', 'truncateZip'] as const) {
      test(`${fault} - the damaged file is rejected naming its key, nothing from it is written, the gaps job repairs the day from REST`, async () => {
        const h = await startHarness({ now: '2020-01-04T00:10:30Z', faults: { [fault]: '2020-01-02' } });
        const store = await makeStore();
        try {
          const { jobId, results } = await runBackfillJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m' });
          assert.deepEqual(results[0]?.rejectedFiles, [BTC_1M_KEY('2020-01-02')]);
          assert.equal(results[0]?.archiveRows, 2880);
          assert.equal(await store.getManifest(BTC_1M_KEY('2020-01-02')), null);
          assert.deepEqual(await store.countBySource(BTC, parseTime('2020-01-02'), parseTime('2020-01-03')), { archive: 0, rest: 0, stream: 0 });
          const job = await store.getJob(jobId);
          const failed = job?.tasks.find((t) => t.status === 'failed');
          assert.ok(failed?.error?.includes(BTC_1M_KEY('2020-01-02')), `task error names the key: ${failed?.error}`);
          if (fault === 'malformedCsv') {
            const row = h.replay.stats().archiveFaults.find((f) => f.kind === 'malformed-csv')?.row;
            assert.ok(row !== undefined && failed?.error?.includes(`row ${row}`), `task error names row ${row}: ${failed?.error}`);
          }
          assert.equal(job?.job.status, 'partial');

          const gaps = await runGapsJob(store, h.sources, h.logger, { symbols: ['BTCUSDT'], interval: '1m', repair: true });
          assert.equal(gaps.repairedCandles, 1440);
          assertSameCandles(await store.readCandles(BTC, DAY1, DAY4), ALL_DAYS(), 'after repair');
          assert.deepEqual(await store.countBySource(BTC, DAY1, DAY4), { archive: 2880, rest: 1440, stream: 0 });
        } finally {
          await store.close();
          await h.close();
        }
      });
    }

    test('universe - top 5 of the recorded markets mapped to pairs, a dated snapshot, entrants once', async () => {
      const h = await startHarness({ now: '2020-01-04T00:10:30Z' });
      const store = await makeStore();
      try {
        const opts = { top: 5, vsCurrency: 'usd', quotePreference: ['USDT', 'BUSD'], manualSymbols: ['DOGEUSDT'], now: h.replay.clock.now() };
        const first = await runUniverseJob(store, h.sources, h.logger, opts);
        assert.deepEqual(first.snapshot.entries.map((e) => [e.coingeckoId, e.symbol]), [
          ['bitcoin', 'BTCUSDT'], ['ethereum', 'ETHUSDT'], ['tether', null], ['ripple', 'XRPUSDT'], ['binancecoin', 'BNBUSDT'], ['', 'DOGEUSDT'],
        ]);
        assert.deepEqual(first.entered.sort(), ['BNBUSDT', 'BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'XRPUSDT']);
        const second = await runUniverseJob(store, h.sources, h.logger, opts);
        assert.deepEqual(second.entered, []);
        const asOf = await store.getUniverse('binance', '2020-01-10');
        assert.equal(asOf?.date, '2020-01-04');
        assert.equal(await store.getUniverse('binance', '2020-01-03'), null);
      } finally {
        await store.close();
        await h.close();
      }
    });
  });
}
