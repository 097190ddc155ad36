/** Contract cases for candle writes: exact round trip, idempotence, source rank, atomicity, manifest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceColumns } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { ArchiveManifestEntry, Store } from '../store.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { filterRows, plain, uniqueExchange, withStore } from './contract-helpers.js';

const DAY1 = Date.UTC(2020, 0, 1);
const DAY_MS = 86_400_000;

function series(): SeriesKey {
  return { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
}

function manifest(key: string, rows: number): ArchiveManifestEntry {
  return { key, size: 63_000, sha256: 'ab'.repeat(32), lastModified: 1_578_009_600_000, rows, ingestedAt: 1_700_000_000_123 };
}

export function registerCandleCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - migrate twice is harmless`, () =>
    withStore(makeStore, async (store) => {
      await store.migrate();
      await store.migrate();
      assert.equal(await store.seriesStats(series()), null);
    }));

  test(`${name} store - writes a real archive day and reads back all 11 columns exactly`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const day = btcusdtDay(1);
      assert.equal(await store.writeCandles(s, day, 'archive'), 1440);
      const back = await store.readCandles(s, DAY1, DAY1 + DAY_MS);
      assert.deepEqual(plain(back), plain(day));
      assert.deepEqual(await store.seriesStats(s), { first: DAY1, last: DAY1 + DAY_MS - 60_000, count: 1440 });
      assert.equal(await store.lastOpenTime(s), DAY1 + DAY_MS - 60_000);
      assert.equal(await store.lastOpenTime({ ...s, symbol: 'ETHUSDT' }), null);
      const window = await store.readCandles(s, DAY1 + 60_000, DAY1 + 3 * 60_000);
      assert.deepEqual(Array.from(window.openTime), [DAY1 + 60_000, DAY1 + 120_000]);
    }));

  test(`${name} store - series names with quotes and backslashes are data, not SQL`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: "O'B\\R; --$1", interval: '1m' };
      const day = sliceColumns(btcusdtDay(1), 0, 30);
      assert.equal(await store.writeCandles(s, day, 'rest'), 30);
      assert.deepEqual(plain(await store.readCandles(s, DAY1, DAY1 + DAY_MS)), plain(day));
      assert.equal((await store.aggregateCandles(s.exchange, s.symbol, '5m', DAY1, DAY1 + DAY_MS)).length, 6);
      assert.equal((await store.readCandles({ ...s, symbol: "O'B" }, DAY1, DAY1 + DAY_MS)).length, 0);
    }));

  test(`${name} store - re-writing the same candles changes nothing and returns 0`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const day = btcusdtDay(2);
      assert.equal(await store.writeCandles(s, day, 'archive'), 1440);
      assert.equal(await store.writeCandles(s, day, 'archive'), 0);
      assert.equal(await store.writeCandles(s, sliceColumns(day, 100, 200), 'archive'), 0);
      assert.equal((await store.seriesStats(s))?.count, 1440);
      assert.deepEqual(await store.countBySource(s, 0, Number.MAX_SAFE_INTEGER), { archive: 1440, rest: 0, stream: 0 });
    }));

  test(`${name} store - rest does not overwrite archive, archive overwrites rest`, () =>
    withStore(makeStore, async (store) => {
      const real = sliceColumns(btcusdtDay(1), 0, 10);
      // A REST copy that disagrees: close moved to open (still a sound candle).
      const rest = filterRows(real, () => true);
      rest.close.set(rest.open.subarray(0, 10));

      const a = series();
      await store.writeCandles(a, real, 'archive');
      assert.equal(await store.writeCandles(a, rest, 'rest'), 0);
      assert.deepEqual(plain(await store.readCandles(a, DAY1, DAY1 + DAY_MS)), plain(real));

      const b = series();
      assert.equal(await store.writeCandles(b, rest, 'rest'), 10);
      assert.equal(await store.writeCandles(b, real, 'stream'), 0, 'stream must not overwrite rest');
      assert.equal(await store.writeCandles(b, real, 'archive'), 10);
      assert.deepEqual(plain(await store.readCandles(b, DAY1, DAY1 + DAY_MS)), plain(real));
      assert.deepEqual(await store.countBySource(b, DAY1, DAY1 + DAY_MS), { archive: 10, rest: 0, stream: 0 });
    }));

  test(`${name} store - equal rank replaces changed values and counts only changed rows`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const real = sliceColumns(btcusdtDay(3), 0, 5);
      await store.writeCandles(s, real, 'stream');
      const update = filterRows(real, () => true);
      update.volume[2] = (update.volume[2] as number) + 1;
      assert.equal(await store.writeCandles(s, update, 'stream'), 1);
      assert.equal((await store.readCandles(s, 0, Number.MAX_SAFE_INTEGER)).volume[2], update.volume[2]);
    }));

  test(`${name} store - a batch the database rejects mid-way leaves no rows and no manifest`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const day = filterRows(btcusdtDay(1), () => true);
      day.high[700] = Number.NaN; // violates the candles CHECK in the middle of the batch
      const key = `data/spot/daily/klines/BTCUSDT/1m/${s.exchange}-bad.zip`;
      await assert.rejects(store.writeCandles(s, day, 'archive', manifest(key, 1440)), { code: 'STORE' });
      assert.equal(await store.seriesStats(s), null);
      assert.equal(await store.getManifest(key), null);
      // The store is still usable after the rollback.
      assert.equal(await store.writeCandles(s, btcusdtDay(1), 'archive', manifest(key, 1440)), 1440);
    }));

  test(`${name} store - writes the manifest entry with the object's rows`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const key = `data/spot/daily/klines/${s.exchange}_X/1m/BTCUSDT-1m-2020-01-02.zip`;
      const entry = manifest(key, 1440);
      assert.equal(await store.writeCandles(s, btcusdtDay(2), 'archive', entry), 1440);
      assert.deepEqual(await store.getManifest(key), entry);
      assert.deepEqual(await store.listManifest(`data/spot/daily/klines/${s.exchange}_X/`), [entry]);
      // '_' is literal in a prefix, not a LIKE wildcard.
      assert.deepEqual(await store.listManifest(`data/spot/daily/klines/${s.exchange}_Y`), []);
      assert.deepEqual(await store.listManifest(`data/spot/daily/klines/${s.exchange}-X`), []);
      const again = { ...entry, ingestedAt: entry.ingestedAt + 1 };
      assert.equal(await store.writeCandles(s, btcusdtDay(2), 'archive', again), 0);
      assert.deepEqual(await store.getManifest(key), again);
    }));

  test(`${name} store - concurrent writes of one fresh range keep one copy of each candle, archive winning`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const day = btcusdtDay(3);
      const [a, b, c] = await Promise.all([
        store.writeCandles(s, day, 'rest'),
        store.writeCandles(s, day, 'archive'),
        store.writeCandles(s, sliceColumns(day, 500, 900), 'rest'),
      ]);
      assert.ok(a + b + c >= 1440 && a + b + c <= 1440 * 2 + 400, `changed ${a}+${b}+${c}`);
      assert.deepEqual(await store.countBySource(s, 0, Number.MAX_SAFE_INTEGER), { archive: 1440, rest: 0, stream: 0 });
      assert.deepEqual(plain(await store.readCandles(s, 0, Number.MAX_SAFE_INTEGER)), plain(day));
    }));

  test(`${name} store - rejects unsorted or duplicate open times before writing`, () =>
    withStore(makeStore, async (store) => {
      const s = series();
      const day = btcusdtDay(1);
      const dup = filterRows(day, (i) => i < 3);
      dup.openTime[2] = dup.openTime[1] as number;
      await assert.rejects(store.writeCandles(s, dup, 'rest'), { code: 'BAD_INPUT' });
      assert.equal(await store.seriesStats(s), null);
    }));
}
