import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/open-store.js';
import { authContract } from './auth.contract.js';
import { errorOf, startHarness } from './test-support/api-harness.js';

authContract('duckdb', () => openStore(':memory:'));

test('api auth - sessions run on the auth clock: a simulated market clock (the demo\'s, 1200×) moved 8 days on does not expire them', async () => {
  const store = await openStore(':memory:');
  const real = { now: Date.UTC(2024, 0, 1) };
  const h = await startHarness(store, { now: Date.UTC(2023, 2, 20), deps: { authNow: () => real.now } });
  try {
    const session = await h.login('bob');
    h.clock.now += 8 * 86_400_000;
    assert.equal((await h.call('GET', '/api/v1/me', { token: session })).status, 200, 'the market clock does not age a session');
    real.now += 7 * 86_400_000;
    assert.equal(errorOf((await h.call('GET', '/api/v1/me', { token: session })).body).message, 'the session has expired; log in again');
  } finally {
    await h.close();
    await store.close();
  }
});
