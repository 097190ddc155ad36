import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreContract } from '../store.contract.js';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';
import { PostgresStore } from './postgres-store.js';
import { redactUrl } from './redact-url.js';

let db: TempDatabase;
before(async () => {
  db = await createTempDatabase();
});
after(() => db.drop());

async function fresh(): Promise<PostgresStore> {
  const store = PostgresStore.open(db.url);
  await store.migrate();
  return store;
}

runStoreContract('postgres', fresh);

test('postgres store - concurrent migrations from several processes apply each version once', async () => {
  const stores = [PostgresStore.open(db.url), PostgresStore.open(db.url), PostgresStore.open(db.url)];
  await Promise.all(stores.map((s) => s.migrate()));
  await Promise.all(stores.map((s) => s.close()));
});

test('postgres store - location and connection errors never show the password', async () => {
  const url = 'postgres://tf_user:s3cr3t-pw@127.0.0.1:1/nodb?password=s3cr3t-pw';
  assert.equal(redactUrl(url), 'postgres://tf_user@127.0.0.1:1/nodb');
  const store = PostgresStore.open(url);
  assert.ok(!store.location.includes('s3cr3t'));
  const err: unknown = await store.migrate().then(() => null, (e: unknown) => e);
  assert.ok(err instanceof Error);
  assert.equal((err as { code?: string }).code, 'STORE');
  assert.ok(!err.message.includes('s3cr3t'), err.message);
  await store.close();
});
