import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Interval } from '../core/intervals.js';
import { parseTime } from '../core/time.js';
import type { Store } from '../store/store.js';
import { abortableSleep } from './abortable.js';
import { runScheduler, type SchedulerOptions } from './scheduler.js';
import { FakeSources, monthlyFiles } from './test-support/fake-sources.js';
import { lightStore } from './test-support/light-store.js';
import { silentLogger, tempStore } from './test-support/temp-store.js';

const H1: Interval = '1h';
const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const JAN = parseTime('2020-01-01');
const floorHour = (t: number): number => Math.floor(t / HOUR) * HOUR;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function options(manualSymbols: string[], sleep?: SchedulerOptions['sleep']): SchedulerOptions {
  return {
    interval: H1,
    universe: { top: 0, vsCurrency: 'usd', quotePreference: ['USDT'], manualSymbols },
    syncEveryMs: MINUTE,
    gapsEveryMs: HOUR,
    universeEveryMs: 24 * HOUR,
    sleep,
  };
}

/** A sleep on the fake clock: each cycle moves simulated time on by the sleep and yields for `realMs`. */
function simulatedSleep(src: FakeSources, onCycle: (cycle: number) => unknown, realMs = 0): SchedulerOptions['sleep'] {
  let cycle = 0;
  return async (ms, signal) => {
    src.now += ms;
    await onCycle(++cycle);
    await abortableSleep(realMs, signal);
  };
}

/** Wraps the store to see every job as it starts and as it finishes. */
function watchJobs(store: Store, onStart: (kind: string, params: Record<string, unknown>) => void, onFinish: (kind: string) => void = () => undefined): Store {
  const kinds = new Map<number, string>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'startJob') {
        return async (kind: string, params: Record<string, unknown>) => {
          onStart(kind, params);
          const id = await target.startJob(kind, params);
          kinds.set(id, kind);
          return id;
        };
      }
      if (prop === 'finishJob') {
        return async (...args: Parameters<Store['finishJob']>) => {
          await target.finishJob(...args);
          onFinish(kinds.get(args[0]) ?? '');
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describe('scheduler (up)', () => {
  let store: Store;
  let src: FakeSources;
  beforeEach(async () => {
    store = await tempStore();
    src = new FakeSources(parseTime('2020-03-01T00:00:30Z'));
  });
  afterEach(() => store.close());

  test('thousands of cycles - listeners on the abort signal and the heap stay flat', async () => {
    src.symbols.set('AAAUSDT', { listedAt: JAN });
    src.files.set('AAAUSDT', monthlyFiles('AAAUSDT', H1, JAN, 2));
    const abort = new AbortController();
    const CYCLES = 5000;
    const listeners: number[] = [];
    const heap: number[] = [];
    // An in-memory store that keeps no job rows: the heap measured is the scheduler's.
    const light = lightStore();
    const sleep = simulatedSleep(src, (cycle) => {
      listeners.push(getEventListeners(abort.signal, 'abort').length);
      if (cycle === 500 || cycle === CYCLES) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
      if (cycle === CYCLES) abort.abort();
    });
    // The sleep `up` uses (abortableSleep), on a simulated minute per cycle.
    await runScheduler(light, src, silentLogger, options(['AAAUSDT'], sleep), abort.signal);
    assert.equal(light.jobsStarted.get('sync'), CYCLES);
    assert.equal(light.jobsStarted.get('universe'), 4, 'a day is 1,440 cycles');
    // Hourly archive checks of AAAUSDT (83 hours) run beside the loop, holding one listener while they run.
    assert.equal(light.jobsStarted.get('backfill'), 1 + Math.floor((CYCLES - 1) / 60));
    assert.ok(Math.max(...listeners) <= 1, `listeners on the signal peaked at ${Math.max(...listeners)}`);
    const [early, late] = heap as [number, number];
    assert.ok(late - early < 2e6, `heap grew ${((late - early) / 1e6).toFixed(2)} MB over ${CYCLES - 500} cycles`);
    assert.equal((await light.seriesStats({ exchange: 'binance', symbol: 'AAAUSDT', interval: H1 }))?.last, floorHour(src.now) - HOUR);
  });

  test('a followed symbol with no candles - one backfill, not one a minute; its archive listing checked hourly; tried again after a day', async () => {
    src.symbols.set('AAAUSDT', { listedAt: JAN });
    src.files.set('AAAUSDT', monthlyFiles('AAAUSDT', H1, JAN, 2));
    src.symbols.set('NEWUSDT', { listedAt: parseTime('2020-06-01') }); // not traded yet at 2020-03-01
    const abort = new AbortController();
    const backfills: Array<{ symbols: string[]; archiveOnly: boolean }> = [];
    const light = watchJobs(lightStore(), (kind, params) => {
      if (kind === 'backfill') backfills.push({ symbols: params.symbols as string[], archiveOnly: params.archiveOnly === true });
    });
    const fullWithNew = (): number => backfills.filter((b) => !b.archiveOnly && b.symbols.includes('NEWUSDT')).length;
    let after330 = -1;
    const sleep = simulatedSleep(src, (cycle) => {
      if (cycle === 330) {
        after330 = fullWithNew();
        src.now += DAY - 330 * MINUTE; // a day after the first backfill
      }
      if (cycle === 340) abort.abort();
    });
    await runScheduler(light, src, silentLogger, options(['AAAUSDT', 'NEWUSDT'], sleep), abort.signal);
    // 330 minutes: the first cycle's backfill of both entrants, then only the hourly archive checks.
    assert.equal(after330, 1);
    assert.deepEqual(backfills.slice(0, 6), [
      { symbols: ['AAAUSDT', 'NEWUSDT'], archiveOnly: false },
      ...Array.from({ length: 5 }, () => ({ symbols: ['AAAUSDT', 'NEWUSDT'], archiveOnly: true })),
    ]);
    assert.equal(fullWithNew(), 2, 'tried once more when the day was over');
  });

  test('a followed symbol with no candles - its first archive file, once listed, is loaded by the hourly check', async () => {
    const day = parseTime('2020-02-10');
    src.symbols.set('NEWUSDT', { listedAt: day + 5 * HOUR });
    src.now = day + 30_000; // before its listing: the backfill finds nothing
    const abort = new AbortController();
    const light = lightStore();
    const s = { exchange: 'binance', symbol: 'NEWUSDT', interval: H1 };
    let emptyAt30 = false;
    const sleep = simulatedSleep(src, async (cycle) => {
      if (cycle === 30) {
        emptyAt30 = (await light.seriesStats(s)) === null;
        // The next day, less than a day after the first backfill: the day's file is listed.
        src.now = day + DAY + 20 * MINUTE;
        src.files.set('NEWUSDT', [{ key: 'data/spot/daily/klines/NEWUSDT/1h/NEWUSDT-1h-2020-02-10.zip', period: 'daily', start: day, end: day + DAY, size: 900, lastModified: day + DAY + 600_000 }]);
      }
      if (cycle === 80) abort.abort(); // before the next hourly check
    });
    await runScheduler(light, src, silentLogger, options(['NEWUSDT'], sleep), abort.signal);
    assert.ok(emptyAt30);
    assert.equal(light.jobsStarted.get('backfill'), 1 + 1, 'the first backfill and the hourly check that found the file');
    const stats = await light.seriesStats(s);
    assert.equal(stats?.first, day + 5 * HOUR);
    assert.deepEqual(await light.countBySource(s, day, day + DAY), { archive: 19, rest: 0, stream: 0 });
  });

  test('a backfill runs beside the minute sync of the other symbols, which skips the symbol being backfilled', async () => {
    src.symbols.set('AAAUSDT', { listedAt: JAN });
    src.files.set('AAAUSDT', monthlyFiles('AAAUSDT', H1, JAN, 2));
    const abort = new AbortController();
    const first = new AbortController();
    // AAAUSDT alone first, so that it has data.
    await runScheduler(store, src, silentLogger, options(['AAAUSDT'], simulatedSleep(src, (c) => c === 2 && first.abort())), first.signal);
    src.symbols.set('BIGUSDT', { listedAt: JAN });
    src.files.set('BIGUSDT', monthlyFiles('BIGUSDT', H1, JAN, 2));
    src.loadDelayMs = 800;
    let backfillRunning = false;
    let syncsDuringBackfill = 0;
    const syncedSymbols = new Set<string>();
    let backfillDone = false;
    const watched = watchJobs(
      store,
      (kind, params) => {
        if (kind === 'backfill') backfillRunning = true;
        if (kind === 'sync' && backfillRunning && !backfillDone) {
          syncsDuringBackfill++;
          for (const s of params.symbols as string[]) syncedSymbols.add(s);
        }
      },
      (kind) => {
        if (kind === 'backfill' && backfillRunning) backfillDone = true;
      },
    );
    await runScheduler(watched, src, silentLogger, options(['AAAUSDT', 'BIGUSDT'], simulatedSleep(src, () => {
      if (backfillDone) abort.abort();
    }, 20)), abort.signal);
    assert.ok(syncsDuringBackfill >= 3, `${syncsDuringBackfill} syncs while BIGUSDT was backfilled`);
    assert.deepEqual([...syncedSymbols], ['AAAUSDT']);
    assert.equal((await store.seriesStats({ exchange: 'binance', symbol: 'BIGUSDT', interval: H1 }))?.first, JAN);
  });

  test('abort - reaches a running backfill, which stops within seconds with every file whole; a rerun completes it', async () => {
    src.files.set('BIGUSDT', monthlyFiles('BIGUSDT', H1, parseTime('2019-01-01'), 10));
    src.symbols.set('BIGUSDT', { listedAt: parseTime('2019-01-01') });
    src.loadDelayMs = 150;
    const abort = new AbortController();
    let abortedAt = 0;
    const sleep = simulatedSleep(src, () => {
      if (src.calls.loadsFinished >= 3 && abortedAt === 0) {
        abortedAt = Date.now();
        abort.abort();
      }
    }, 10);
    await runScheduler(store, src, silentLogger, options(['BIGUSDT'], sleep), abort.signal);
    const stoppedMs = Date.now() - abortedAt;
    assert.ok(stoppedMs < 2000, `stopped ${stoppedMs} ms after the abort`);
    const files = src.files.get('BIGUSDT') ?? [];
    const manifest = await store.listManifest('data/spot/monthly/');
    assert.ok(manifest.length < files.length, `stopped part way: ${manifest.length} of ${files.length}`);
    for (const f of files) {
      const c = await store.countBySource({ exchange: 'binance', symbol: 'BIGUSDT', interval: H1 }, f.start, f.end);
      const whole = manifest.some((m) => m.key === f.key) ? (f.end - f.start) / HOUR : 0;
      assert.equal(c.archive + c.rest, whole, `${f.key} whole or absent`);
    }
    src.loadDelayMs = 0;
    const again = new AbortController();
    const done = async (): Promise<void> => {
      if ((await store.listManifest('data/spot/monthly/')).length === files.length) again.abort();
    };
    await runScheduler(store, src, silentLogger, options(['BIGUSDT'], simulatedSleep(src, done, 10)), again.signal);
    assert.equal((await store.listManifest('data/spot/monthly/')).length, files.length);
  });

  test('reconcile - an archive file published for days the sync fetched over REST replaces them, logging how many differed', async () => {
    src.symbols.set('AAAUSDT', { listedAt: JAN });
    src.restVersion = 1; // REST rows that disagree with the archive's
    const abort = new AbortController();
    let published = false;
    const feb = monthlyFiles('AAAUSDT', H1, parseTime('2020-02-01'), 1);
    const sleep = simulatedSleep(src, (cycle) => {
      if (cycle === 3) {
        src.files.set('AAAUSDT', feb); // February appears in the listing
        published = true;
      }
      if (cycle === 130) abort.abort();
    });
    await runScheduler(store, src, silentLogger, options(['AAAUSDT'], sleep), abort.signal);
    assert.ok(published);
    const febRows = (parseTime('2020-03-01') - parseTime('2020-02-01')) / HOUR;
    const s = { exchange: 'binance', symbol: 'AAAUSDT', interval: H1 };
    assert.deepEqual(await store.countBySource(s, parseTime('2020-02-01'), parseTime('2020-03-01')), { archive: febRows, rest: 0, stream: 0 });
    assert.equal((await store.countBySource(s, JAN, parseTime('2020-02-01'))).rest, 31 * 24, 'January has no archive file: REST rows stay');
    const logs: string[] = [];
    for (const j of (await store.listJobs(1000)).filter((x) => x.kind === 'backfill')) {
      for (const t of (await store.getJob(j.id))?.tasks ?? []) logs.push(...t.logs.map((l) => l.message));
    }
    assert.ok(logs.includes(`reconciled: ${febRows} REST rows replaced by the verified archive, ${febRows} of them differed`), logs.join('\n'));
  });

  test('afterSync - called after every cycle\'s sync with its now and the rows it wrote; its error is logged and the loop goes on', async () => {
    src.symbols.set('AAAUSDT', { listedAt: JAN });
    src.files.set('AAAUSDT', monthlyFiles('AAAUSDT', H1, JAN, 2));
    src.now = parseTime('2020-03-01T00:00:30Z');
    const abort = new AbortController();
    const calls: Array<{ now: number; rows: number; last: number | undefined }> = [];
    const light = lightStore();
    const sleep = simulatedSleep(src, (cycle) => cycle === 130 && abort.abort());
    await runScheduler(light, src, silentLogger, {
      ...options(['AAAUSDT'], sleep),
      afterSync: async (now, sync) => {
        calls.push({ now, rows: sync.rows, last: (await light.seriesStats({ exchange: 'binance', symbol: 'AAAUSDT', interval: H1 }))?.last });
        if (calls.length === 3) throw new Error('an evaluation failed');
      },
    }, abort.signal);
    assert.equal(calls.length, 130, 'one call a cycle, the failing one included');
    assert.deepEqual(calls.map((c) => c.now).slice(0, 3), [0, 1, 2].map((i) => src.now - (130 - i) * MINUTE));
    // An hour closes every 60 cycles: the syncs after 01:00 and 02:00 wrote one bar each, seen stored by the hook.
    const wrote = calls.filter((c) => c.rows > 0);
    assert.deepEqual(wrote.map((c) => [c.now - (c.now % HOUR), c.rows, c.last]), [
      [parseTime('2020-03-01T01:00:00Z'), 1, parseTime('2020-03-01T00:00:00Z')],
      [parseTime('2020-03-01T02:00:00Z'), 1, parseTime('2020-03-01T01:00:00Z')],
    ]);
  });
});
