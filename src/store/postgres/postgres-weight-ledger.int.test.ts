import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';
import { PostgresStore } from './postgres-store.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

let db: TempDatabase;
const stores: PostgresStore[] = [];
before(async () => {
  db = await createTempDatabase();
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await db.drop();
});

/** A store with a pool of its own, as another process would have. */
async function processStore(): Promise<PostgresStore> {
  const store = PostgresStore.open(db.url, { maxConnections: 4 });
  stores.push(store);
  await store.migrate();
  return store;
}

test('postgres weight ledger - concurrent reservations from three pools never take a minute past its budget', async () => {
  const ledgers = await Promise.all([processStore(), processStore(), processStore()]).then((s) => s.map((x) => x.weightLedger()));
  const tries = ledgers.flatMap((ledger) => Array.from({ length: 40 }, () => ledger.reserve({ scope: 'race', windowStart: T0, weight: 2, budget: 90, now: T0 })));
  const results = await Promise.all(tries);
  const granted = results.filter((r) => r.used !== null);
  assert.equal(granted.length, 45, '90 / 2 of the 120 tries');
  assert.deepEqual(granted.map((r) => r.used).toSorted((a, b) => (a ?? 0) - (b ?? 0)), Array.from({ length: 45 }, (_, i) => 2 * (i + 1)), 'each grant saw a distinct total');
  assert.ok(results.every((r) => r.pausedUntil === null));
  const [ledger] = ledgers;
  assert.deepEqual(await ledger!.reserve({ scope: 'race', windowStart: T0 + MINUTE, weight: 2, budget: 90, now: T0 + MINUTE }), { used: 2, pausedUntil: null }, 'the next minute starts at 0');
  assert.deepEqual(await ledger!.reserve({ scope: 'other', windowStart: T0, weight: 4, budget: 90, now: T0 }), { used: 4, pausedUntil: null }, 'scopes are apart');
  assert.deepEqual(await ledger!.reserve({ scope: 'big', windowStart: T0, weight: 100, budget: 90, now: T0 }), { used: null, pausedUntil: null }, 'a weight over the budget is refused on an empty minute too');
});

test('postgres weight ledger - a pause refuses every reservation until it ends; a shorter pause does not cut it short', async () => {
  const a = (await processStore()).weightLedger();
  const b = (await processStore()).weightLedger();
  await a.pause('pause', T0 + 30_000);
  await b.pause('pause', T0 + 10_000);
  assert.deepEqual(await b.reserve({ scope: 'pause', windowStart: T0, weight: 2, budget: 90, now: T0 + 29_999 }), { used: null, pausedUntil: T0 + 30_000 });
  assert.deepEqual(await b.reserve({ scope: 'pause', windowStart: T0, weight: 2, budget: 90, now: T0 + 30_000 }), { used: 2, pausedUntil: null });
});

test('postgres weight ledger - raise keeps the larger count; prune deletes the scope\'s minutes before the given start', async () => {
  const ledger = (await processStore()).weightLedger();
  assert.equal(await ledger.raise('sync', T0, 50), 50, 'creates the minute');
  assert.equal(await ledger.raise('sync', T0, 20), 50, 'never lowers it');
  assert.deepEqual(await ledger.reserve({ scope: 'sync', windowStart: T0, weight: 2, budget: 51, now: T0 }), { used: null, pausedUntil: null }, '50 + 2 > 51');
  await ledger.raise('sync', T0 - MINUTE, 7);
  await ledger.raise('keep', T0 - MINUTE, 7);
  assert.equal(await ledger.prune('sync', T0), 1);
  assert.deepEqual(await ledger.reserve({ scope: 'sync', windowStart: T0, weight: 1, budget: 51, now: T0 }), { used: 51, pausedUntil: null }, 'the current minute was kept');
  assert.equal(await ledger.raise('keep', T0 - MINUTE, 0), 7, 'another scope\'s minute was kept');
});
