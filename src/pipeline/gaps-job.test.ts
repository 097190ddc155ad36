import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';
import { parseTime } from '../core/time.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { runGapsJob } from './gaps-job.js';
import type { Sources } from './sources.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const DAY2 = parseTime('2020-01-02');
const NOON2 = parseTime('2020-01-02T12:00:00Z');

function rows(c: CandleColumns, from: number, to: number): CandleColumns {
  const out = allocateColumns(to - from);
  for (let i = from; i < to; i++) {
    const j = out.length++;
    for (const f of CANDLE_FIELDS) out[f][j] = c[f][i] as number;
  }
  return out;
}

test('gaps job - a gap filled later (a partial, then a full publication) leaves no stale open row in the ledger', async () => {
  const store = await DuckDbStore.open(':memory:');
  await store.migrate();
  const never = (): never => {
    throw new Error('not used: the store knows the listing and the job does not repair');
  };
  // The store already knows the listing, and --no-repair asks nothing of REST: only the clock is used.
  const sources: Sources = {
    marketCaps: { topByMarketCap: never },
    exchange: { exchange: 'binance', now: () => parseTime('2020-01-04T00:00:30Z'), instruments: never, firstCandleTime: never, klines: never },
    archive: { listFiles: never, load: never },
  };
  const logger = pino({ level: 'silent' });
  const gaps = (): Promise<unknown> => runGapsJob(store, sources, logger, { symbols: ['BTCUSDT'], interval: '1m', repair: false });
  try {
    await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: parseTime('2020-01-01') }]);
    await store.writeCandles(BTC, btcusdtDay(1), 'archive');
    await store.writeCandles(BTC, btcusdtDay(3), 'archive');
    await gaps();
    const first = await store.listGaps({ symbol: 'BTCUSDT' });
    assert.deepEqual(first.map((g) => [g.from, g.to, g.kind, g.status]), [[DAY2, DAY2 + 1439 * 60_000, 'hole', 'open']]);

    // Half the day arrives (e.g. an archive file published late): the old row is closed, the rest stays open.
    const day2 = btcusdtDay(2);
    await store.writeCandles(BTC, rows(day2, 0, 720), 'archive');
    await gaps();
    const second = await store.listGaps({ symbol: 'BTCUSDT' });
    assert.deepEqual(second.map((g) => [g.from, g.to, g.status]), [
      [DAY2, DAY2 + 1439 * 60_000, 'repaired'],
      [NOON2, DAY2 + 1439 * 60_000, 'open'],
    ]);
    assert.match(second[0]?.note ?? '', /filled since it was recorded/);

    await store.writeCandles(BTC, rows(day2, 720, 1440), 'archive');
    await gaps();
    assert.deepEqual(await store.listGaps({ symbol: 'BTCUSDT', status: 'open' }), [], 'no stale open row remains');
    assert.deepEqual((await store.listGaps({ symbol: 'BTCUSDT' })).map((g) => [g.from, g.status]), [[DAY2, 'repaired'], [NOON2, 'repaired']]);
  } finally {
    await store.close();
  }
});

test('gaps job - without repair, a range the exchange already said it lacks stays an unrepairable outage, not a new open hole', async () => {
  const store = await DuckDbStore.open(':memory:');
  await store.migrate();
  const never = (): never => {
    throw new Error('not used');
  };
  const sources: Sources = {
    marketCaps: { topByMarketCap: never },
    exchange: { exchange: 'binance', now: () => parseTime('2020-01-04T00:00:30Z'), instruments: never, firstCandleTime: never, klines: never },
    archive: { listFiles: never, load: never },
  };
  try {
    await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: parseTime('2020-01-01') }]);
    await store.writeCandles(BTC, btcusdtDay(1), 'archive');
    await store.writeCandles(BTC, btcusdtDay(3), 'archive');
    const outage = { ...BTC, from: DAY2, to: DAY2 + 1439 * 60_000, kind: 'exchange_outage' as const, status: 'unrepairable' as const, detectedAt: 5, note: 'the exchange has no candles here' };
    await store.recordGaps([outage]);
    const s = await runGapsJob(store, sources, pino({ level: 'silent' }), { symbols: ['BTCUSDT'], interval: '1m', repair: false });
    assert.deepEqual(await store.listGaps({ symbol: 'BTCUSDT' }), [outage]);
    assert.equal(s.byKind.exchange_outage, 1);
    assert.equal(s.byKind.hole, 0);
  } finally {
    await store.close();
  }
});

test('gaps job - candles REST fills around an outage count as repaired, as the task log says', async () => {
  const store = await DuckDbStore.open(':memory:');
  await store.migrate();
  const never = (): never => {
    throw new Error('not used');
  };
  // REST serves day 2 except 10:00–10:59 (an exchange outage): a hole of the whole day, filled all but that hour.
  const day2 = btcusdtDay(2);
  const served = rows(day2, 0, 1440);
  const kept = allocateColumns(1440);
  for (let i = 0; i < served.length; i++) {
    if (i >= 600 && i < 660) continue;
    const j = kept.length++;
    for (const f of CANDLE_FIELDS) kept[f][j] = served[f][i] as number;
  }
  const sources: Sources = {
    marketCaps: { topByMarketCap: never },
    exchange: {
      exchange: 'binance', now: () => parseTime('2020-01-04T00:00:30Z'), instruments: never, firstCandleTime: never,
      async *klines(_symbol, _interval, from, to) {
        const page = allocateColumns(kept.length);
        for (let i = 0; i < kept.length; i++) {
          const t = kept.openTime[i] as number;
          if (t < from || t >= to) continue;
          const j = page.length++;
          for (const f of CANDLE_FIELDS) page[f][j] = kept[f][i] as number;
        }
        yield page;
      },
    },
    archive: { listFiles: never, load: never },
  };
  try {
    await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: parseTime('2020-01-01') }]);
    await store.writeCandles(BTC, btcusdtDay(1), 'archive');
    await store.writeCandles(BTC, btcusdtDay(3), 'archive');
    const summary = await runGapsJob(store, sources, pino({ level: 'silent' }), { symbols: ['BTCUSDT'], interval: '1m', repair: true });
    assert.deepEqual([summary.found, summary.byKind.exchange_outage, summary.missingCandles, summary.repairedCandles], [1, 1, 60, 1380]);
    const job = await store.getJob(summary.jobId);
    assert.equal(job?.job.rows, 1380);
  } finally {
    await store.close();
  }
});
