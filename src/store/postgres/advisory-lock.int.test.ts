import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTempDatabase } from '../test-support/temp-postgres.js';
import { AdvisoryLock, advisoryLockKey } from './advisory-lock.js';

const TOKEN = '1000000001:replay-local-token';

test('advisory lock key - 64 bits of the name\'s hash, the same in every process, never the name', () => {
  const key = advisoryLockKey(`telegram getUpdates ${TOKEN}`);
  assert.match(key, /^-?\d{1,19}$/);
  assert.equal(advisoryLockKey(`telegram getUpdates ${TOKEN}`), key);
  assert.notEqual(advisoryLockKey('telegram getUpdates 1000000002:other-token'), key);
  assert.ok(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n);
  assert.equal(key.includes('1000000001'), false);
});

test('advisory lock (PostgreSQL) - one session holds a name; release and a terminated session free it; lost aborts', async () => {
  const temp = await createTempDatabase();
  const a = new AdvisoryLock(temp.url, `telegram getUpdates ${TOKEN}`);
  const b = new AdvisoryLock(temp.url, `telegram getUpdates ${TOKEN}`);
  const other = new AdvisoryLock(temp.url, 'alert evaluation binance');
  const admin = new pg.Client({ connectionString: temp.url });
  await admin.connect();
  try {
    assert.equal(await a.tryAcquire(), true);
    assert.equal(await a.tryAcquire(), true, 'taking a held lock again is a no-op');
    assert.equal(await b.tryAcquire(), false, 'a second session is refused');
    assert.equal(b.held, false);
    assert.equal(await other.tryAcquire(), true, 'another name is another lock');
    assert.equal(await a.check(), true);

    await a.release();
    assert.equal(a.held, false);
    assert.equal(await b.tryAcquire(), true, 'a released lock is taken at the next try');

    // What kill -9 of the holder amounts to on the server: its session ends.
    const lost = b.lost;
    const { rows } = await admin.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tickerflow lock' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = ($1::bigint & 4294967295)::oid)", [b.key]);
    assert.equal(rows[0]?.n, 1, 'the holder\'s session is terminated');
    for (let i = 0; i < 100 && !lost.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(lost.aborted, true, 'the holder is told it lost the lock');
    assert.equal(await b.check(), false);
    assert.equal(b.held, false);
    assert.equal(await a.tryAcquire(), true, 'the lock of a terminated session is free');
  } finally {
    await Promise.all([a.release(), b.release(), other.release()]);
    await admin.end();
    await temp.drop();
  }
});
