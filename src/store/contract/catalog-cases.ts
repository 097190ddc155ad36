/** Contract cases for instruments, universe snapshots, job/task runs with logs, and the gap ledger. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UniverseSnapshot } from '../../core/instrument.js';
import type { Gap, Store } from '../store.js';
import { uniqueExchange, withStore } from './contract-helpers.js';

function snapshot(exchange: string, date: string, symbols: string[]): UniverseSnapshot {
  return {
    date,
    exchange,
    entries: symbols.map((s, i) => ({
      rank: i + 1,
      coingeckoId: s.toLowerCase(),
      coinSymbol: s.toLowerCase(),
      marketCap: i === 1 ? null : 1e9 / (i + 1),
      volume: 12345.5 * (i + 1),
      symbol: s === 'XMR' ? null : `${s}USDT`,
      manual: s === 'DOGE',
    })),
  };
}

export function registerCatalogCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - instruments upsert, setListedAt, and a later upsert without listing time keeps it`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      await store.upsertInstruments([
        { exchange: ex, symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', status: 'TRADING', listedAt: null },
        { exchange: ex, symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: null },
      ]);
      await store.setListedAt(ex, 'BTCUSDT', 1_502_942_400_000);
      await store.upsertInstruments([{ exchange: ex, symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'BREAK', listedAt: null }]);
      assert.deepEqual(await store.listInstruments(ex), [
        { exchange: ex, symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'BREAK', listedAt: 1_502_942_400_000 },
        { exchange: ex, symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', status: 'TRADING', listedAt: null },
      ]);
      assert.deepEqual(await store.listInstruments(uniqueExchange()), []);
    }));

  test(`${name} store - instruments keep tick and step sizes as the exchange wrote them, and a later upsert without them keeps them`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const btc = { exchange: ex, symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: null };
      await store.upsertInstruments([{ ...btc, tickSize: '0.01000000', stepSize: '0.00001000' }]);
      await store.upsertInstruments([{ ...btc, status: 'HALT' }]);
      assert.deepEqual(await store.listInstruments(ex), [{ ...btc, status: 'HALT', tickSize: '0.01000000', stepSize: '0.00001000' }]);
      await store.upsertInstruments([{ ...btc, tickSize: '0.10000000', stepSize: null }]);
      assert.deepEqual(await store.listInstruments(ex), [{ ...btc, tickSize: '0.10000000', stepSize: '0.00001000' }]);
    }));

  test(`${name} store - universe snapshot by date returns the newest on or before it`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const jan2 = snapshot(ex, '2023-01-02', ['BTC', 'ETH', 'XMR']);
      const jan5 = snapshot(ex, '2023-01-05', ['BTC', 'DOGE']);
      await store.saveUniverse(jan2);
      await store.saveUniverse(snapshot(ex, '2023-01-05', ['SOL', 'ETH', 'BTC']));
      await store.saveUniverse(jan5); // replaces the first 01-05 snapshot
      assert.equal(await store.getUniverse(ex, '2023-01-01'), null);
      assert.deepEqual(await store.getUniverse(ex, '2023-01-02'), jan2);
      assert.deepEqual(await store.getUniverse(ex, '2023-01-04'), jan2);
      assert.deepEqual(await store.getUniverse(ex, '2023-01-05'), jan5);
      assert.deepEqual(await store.getUniverse(ex, '2024-12-31'), jan5);
      assert.equal(await store.getUniverse(uniqueExchange(), '2024-12-31'), null);
    }));

  test(`${name} store - job and task runs keep status, rows, timings and ordered logs`, () =>
    withStore(makeStore, async (store) => {
      const job = await store.startJob('backfill', { symbols: ['BTCUSDT'], from: '2020-01-01' });
      assert.ok(Number.isInteger(job) && job > 0);
      const t1 = await store.startTask(job, 'BTCUSDT 2020-01-01');
      const t2 = await store.startTask(job, 'BTCUSDT 2020-01-02');
      assert.ok(Number.isInteger(t1) && t2 > t1);
      await store.appendTaskLog({ taskId: t1, at: 1000, level: 'info', message: 'downloaded 63 kB' });
      await store.appendTaskLog({ taskId: t2, at: 1500, level: 'warn', message: 'checksum retry' });
      await store.appendTaskLog({ taskId: t1, at: 2000, level: 'info', message: 'wrote 1440 rows' });
      await store.finishTask(t1, 'ok', 1440, null);
      await store.finishTask(t2, 'failed', 0, 'checksum mismatch');
      await store.finishJob(job, 'partial', 1440, '1 of 2 files');

      const got = await store.getJob(job);
      assert.ok(got);
      assert.equal(got.job.kind, 'backfill');
      assert.deepEqual(got.job.params, { symbols: ['BTCUSDT'], from: '2020-01-01' });
      assert.equal(got.job.status, 'partial');
      assert.equal(got.job.rows, 1440);
      assert.equal(got.job.summary, '1 of 2 files');
      assert.ok(got.job.finishedAt !== null && got.job.finishedAt >= got.job.startedAt);
      assert.deepEqual(got.tasks.map((t) => [t.id, t.name, t.status, t.rows, t.error]), [
        [t1, 'BTCUSDT 2020-01-01', 'ok', 1440, null],
        [t2, 'BTCUSDT 2020-01-02', 'failed', 0, 'checksum mismatch'],
      ]);
      assert.deepEqual(got.tasks[0]?.logs.map((l) => l.message), ['downloaded 63 kB', 'wrote 1440 rows']);
      assert.deepEqual(got.tasks[1]?.logs, [{ taskId: t2, at: 1500, level: 'warn', message: 'checksum retry' }]);

      const later = await store.startJob('sync', {});
      const listed = await store.listJobs(2);
      assert.deepEqual(listed.map((j) => j.id), [later, job]);
      assert.equal(listed[0]?.status, 'running');
      assert.equal(listed[0]?.finishedAt, null);
      assert.equal(await store.getJob(later + 1000), null);
    }));

  test(`${name} store - pruneJobs deletes finished runs started before the cutoff with their tasks, keeps newer and running ones`, () =>
    withStore(makeStore, async (store) => {
      const old = await store.startJob('sync', {});
      const oldTask = await store.startTask(old, 'BTCUSDT');
      await store.appendTaskLog({ taskId: oldTask, at: 1, level: 'info', message: 'old line' });
      await store.finishTask(oldTask, 'ok', 3, null);
      await store.finishJob(old, 'ok', 3, 'done');
      const stillRunning = await store.startJob('backfill', {});
      const cutoff = Date.now() + 1;
      await new Promise((r) => setTimeout(r, 5));
      const recent = await store.startJob('gaps', {});
      await store.finishJob(recent, 'ok', 0, 'done');
      assert.ok((await store.pruneJobs(cutoff)) >= 1);
      assert.equal(await store.getJob(old), null);
      assert.equal((await store.getJob(stillRunning))?.job.status, 'running');
      assert.equal((await store.getJob(recent))?.job.status, 'ok');
      assert.ok(!(await store.listJobs(1000)).some((j) => j.id === old));
    }));

  test(`${name} store - a re-detected gap updates the ledger row keyed by its start`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const gap: Gap = {
        exchange: ex, symbol: 'BTCUSDT', interval: '1m', from: 1_577_836_800_000, to: 1_577_837_040_000,
        kind: 'hole', status: 'open', detectedAt: 1_700_000_000_000, note: null,
      };
      const other: Gap = { ...gap, symbol: 'ETHUSDT', kind: 'before_listing', status: 'unrepairable', note: 'listed later' };
      await store.recordGaps([gap, other]);
      // The same key twice in one batch: the later version wins.
      await store.recordGaps([{ ...gap, status: 'unrepairable' }, { ...gap, to: gap.to + 60_000, status: 'repaired', detectedAt: gap.detectedAt + 5 }]);
      assert.deepEqual(await store.listGaps({ exchange: ex }), [
        { ...gap, to: gap.to + 60_000, status: 'repaired', detectedAt: gap.detectedAt + 5 },
        other,
      ]);
      assert.deepEqual(await store.listGaps({ exchange: ex, status: 'open' }), []);
      assert.deepEqual(await store.listGaps({ exchange: ex, symbol: 'ETHUSDT', status: 'unrepairable' }), [other]);
    }));

  test(`${name} store - reconcileGaps records what a scan found and marks rows of its window it no longer finds repaired`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const base: Gap = { exchange: ex, symbol: 'BTCUSDT', interval: '1m', from: 0, to: 0, kind: 'hole', status: 'open', detectedAt: 1, note: null };
      const M = 60_000;
      const filled: Gap = { ...base, from: 10 * M, to: 12 * M };
      const outageFilled: Gap = { ...base, from: 20 * M, to: 21 * M, kind: 'exchange_outage', status: 'unrepairable' };
      const still: Gap = { ...base, from: 30 * M, to: 35 * M };
      const beforeWindow: Gap = { ...base, from: 0, to: 4 * M, kind: 'before_listing', status: 'unrepairable' };
      const otherSymbol: Gap = { ...base, symbol: 'ETHUSDT', from: 10 * M, to: 12 * M };
      const otherInterval: Gap = { ...base, interval: '1h', from: 0, to: 0 };
      await store.recordGaps([filled, outageFilled, still, beforeWindow, otherSymbol, otherInterval]);
      const shrunk: Gap = { ...still, from: 30 * M, to: 33 * M, detectedAt: 2 };
      const fresh: Gap = { ...base, from: 40 * M, to: 40 * M, detectedAt: 2 };
      const closed = await store.reconcileGaps({ exchange: ex, symbol: 'BTCUSDT', interval: '1m' }, 5 * M, 60 * M, [shrunk, fresh], 'filled');
      assert.equal(closed, 2);
      assert.deepEqual(await store.listGaps({ exchange: ex }), [
        otherInterval,
        beforeWindow,
        { ...filled, status: 'repaired', note: 'filled' },
        { ...outageFilled, status: 'repaired', note: 'filled' },
        shrunk,
        fresh,
        otherSymbol,
      ]);
    }));
}
