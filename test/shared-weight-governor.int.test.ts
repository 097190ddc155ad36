/**
 * Three governors, each with a PostgreSQL pool of its own as three processes would have, share one
 * weight ledger and hammer the replay server's Binance weight limiter (which answers 429 over its
 * per-minute limit, and 418 to anything sent in the minute after a 429, like Binance).
 * The replay clock runs at SPEED simulated seconds per real second, so a minute lasts 2 s.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { BinanceRestClient } from '../src/connectors/binance/binance-rest-client.js';
import { createRateGovernor, type WeightGovernor } from '../src/connectors/binance/rate-governor.js';
import { SharedRateGovernor } from '../src/connectors/binance/shared-rate-governor.js';
import { startReplayServer, type ReplayServer } from '../src/replay/index.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { createTempDatabase, type TempDatabase } from '../src/store/test-support/temp-postgres.js';

const SPEED = 30;
const LIMIT = 100;
/** 80 of 100: the 20 left cover requests reserved in one minute that reach the server in the next. */
const SAFETY = 0.8;
const MINUTE = 60_000;
const D1 = Date.UTC(2020, 0, 1);
const START = Date.UTC(2020, 0, 5, 0, 0, 1);

let db: TempDatabase;
const stores: PostgresStore[] = [];
before(async () => {
  db = await createTempDatabase();
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await db.drop();
});

/** Waits `ms` of simulated time. */
function simSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.ceil(ms / SPEED)));
}

async function processStore(): Promise<PostgresStore> {
  const store = PostgresStore.open(db.url, { maxConnections: 2 });
  stores.push(store);
  await store.migrate();
  return store;
}

/** One process's governor on the replay's clock: its own local governor and pool, the shared ledger under `scope`. */
async function processGovernor(replay: ReplayServer, scope: string): Promise<SharedRateGovernor> {
  const now = (): number => replay.clock.now();
  const local = createRateGovernor({ weightPerMinute: LIMIT, safety: SAFETY, now, sleep: simSleep });
  return new SharedRateGovernor({ ledger: (await processStore()).weightLedger(), scope, local, now, sleep: simSleep });
}

interface Served {
  requests: number;
  /** The highest X-MBX-USED-WEIGHT-1M the server answered with: its per-minute count. */
  maxHeader: number;
}

/** `callers` concurrent loops, each sending `each` one-page klines requests (weight 2) through `governor`. */
async function hammer(replay: ReplayServer, governor: WeightGovernor, callers: number, each: number, maxAttempts = 3): Promise<Served> {
  const served: Served = { requests: 0, maxHeader: 0 };
  const fetchAndNote: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 200) served.maxHeader = Math.max(served.maxHeader, Number(res.headers.get('x-mbx-used-weight-1m')));
    return res;
  };
  const client = new BinanceRestClient({ baseUrl: replay.urls.binance, governor, fetch: fetchAndNote, maxAttempts });
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let i = 0; i < each; i++) {
      const page = await client.klines({ symbol: 'BTCUSDT', interval: '1m', startTime: D1 + i * MINUTE, limit: 10 });
      assert.equal(page.openTime[0], D1 + i * MINUTE);
      served.requests++;
    }
  }));
  return served;
}

/** The ledger's minutes of `scope` as [start, weight], read over a connection of the test's own. */
async function ledgerWindows(scope: string): Promise<Array<[number, number]>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const res = await client.query<{ window_start: string; used: number }>('SELECT window_start, used FROM weight_windows WHERE scope = $1 ORDER BY window_start', [scope]);
    return res.rows.map((r) => [Number(r.window_start), r.used]);
  } finally {
    await client.end();
  }
}

test('shared weight governor - control: three in-process governors alone overrun the IP limit with a burst', async () => {
  const replay = await startReplayServer({ now: START, speed: SPEED, weightLimit: LIMIT, ws: false });
  try {
    // Each re-syncs from the header, but only once answers come back: 3 × 20 callers start at once,
    // each process believes it may send 80 in the minute, and 120 are in flight before any header.
    // One attempt each: the test only needs the first answers.
    const now = (): number => replay.clock.now();
    const governors = [1, 2, 3].map(() => createRateGovernor({ weightPerMinute: LIMIT, safety: SAFETY, now, sleep: simSleep }));
    const outcomes = await Promise.allSettled(governors.map((g) => hammer(replay, g, 20, 1, 1)));
    assert.ok(replay.stats().binance.rateLimited429 > 0, 'the limiter answered 429 once the IP went over 100');
    assert.ok(outcomes.some((o) => o.status === 'rejected'), 'some caller ran out of attempts');
  } finally {
    await replay.close();
  }
});

test('shared weight governor - three processes on one ledger, bursts of 5 callers each: zero 429s, every minute within the limit, all 90 requests served', async () => {
  const replay = await startReplayServer({ now: START, speed: SPEED, weightLimit: LIMIT, ws: false });
  try {
    const governors = await Promise.all([1, 2, 3].map(() => processGovernor(replay, 'hammer')));
    const served = await Promise.all(governors.map((g) => hammer(replay, g, 5, 6)));
    const st = replay.stats().binance;
    assert.equal(st.rateLimited429, 0);
    assert.equal(st.banned418, 0);
    assert.deepEqual(served.map((s) => s.requests), [30, 30, 30]);
    assert.equal(st.requests, 90);
    assert.equal(st.weight, 180);
    assert.ok(Math.max(...served.map((s) => s.maxHeader)) <= LIMIT, `the server counted at most ${LIMIT} in a minute`);
    // A minute may hold more than its 80 reserved when the header raised it (a request reserved at
    // the end of one minute reaches the server in the next), never more than the server counted.
    const windows = await ledgerWindows('hammer');
    assert.ok(windows.length >= 3, `180 weight at 80 a minute takes at least 3 minutes (got ${JSON.stringify(windows)})`);
    for (const [start, used] of windows) assert.ok(used <= LIMIT, `minute ${new Date(start).toISOString()} holds ${used} > ${LIMIT}`);
    assert.ok(windows.reduce((n, [, used]) => n + used, 0) >= 180, 'the ledger holds at least the weight sent');
    for (const g of governors) {
      const s = g.stats();
      assert.equal(s.ledger.errors, 0);
      assert.equal(s.ledger.reservations, 30);
    }
    assert.ok(governors.some((g) => g.stats().ledger.refusedForBudget > 0), 'someone waited for the next minute');
  } finally {
    await replay.close();
  }
});

test('shared weight governor - a 429 seen by one process pauses the others: no 418, everyone served after the minute', async () => {
  // The first Binance request gets 429 (Retry-After: the 59 s left of the minute); anything sent after it in that minute would get 418.
  const replay = await startReplayServer({ now: START, speed: SPEED, weightLimit: LIMIT, ws: false, faults: { failRateLimit: 1 } });
  try {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => processGovernor(replay, 'pause')));
    const first = hammer(replay, a!, 1, 1);
    const pausesRecorded = async (): Promise<void> => {
      while (a!.stats().rateLimited429 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await a!.flush();
    };
    await pausesRecorded();
    const rest = await Promise.all([b!, c!].map((g) => hammer(replay, g, 2, 5)));
    assert.equal((await first).requests, 1);
    assert.deepEqual(rest.map((s) => s.requests), [10, 10]);
    const st = replay.stats().binance;
    assert.equal(st.rateLimited429, 1);
    assert.equal(st.banned418, 0, 'nobody sent inside the limited minute');
    assert.equal(st.requests, 22, 'the 429, its retry, and 20');
    for (const g of [b!, c!]) assert.ok(g.stats().ledger.refusedForPause >= 1, 'held by the pause another process recorded');
  } finally {
    await replay.close();
  }
});
