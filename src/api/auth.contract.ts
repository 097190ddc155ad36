/**
 * The API's sign-in path, run against each store backend (auth.test.ts on DuckDB,
 * auth-postgres.int.test.ts on PostgreSQL): login, sessions that expire and are revoked, API
 * tokens that are shown once and revoked, the login rate limit, roles, ownership of tokens, and no
 * password or token in the logs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../store/store.js';
import { errorOf, PASSWORDS, startHarness, type Harness } from './test-support/api-harness.js';

const T0 = Date.UTC(2024, 0, 1);

export function authContract(backend: string, open: () => Promise<Store>): void {
  const withApi = async (fn: (h: Harness) => Promise<void>, loginsPerMinute?: number): Promise<void> => {
    const store = await open();
    const h = await startHarness(store, { now: T0, ...(loginsPerMinute === undefined ? {} : { deps: { loginsPerMinute } }) });
    try {
      await fn(h);
    } finally {
      await h.close();
      await store.close();
    }
  };

  test(`${backend} api auth - login answers a session that signs in; a wrong password or unknown name is 401 naming body.password`, () =>
    withApi(async (h) => {
      const ok = await h.call('POST', '/api/v1/login', { body: { name: 'bob', password: PASSWORDS.bob } });
      assert.equal(ok.status, 200);
      const { token, user } = ok.body as { token: string; user: { id: number; name: string; role: string; timezone: string } };
      assert.deepEqual(user, { id: h.users.bob, name: 'bob', role: 'user', timezone: 'UTC' });
      const me = await h.call('GET', '/api/v1/me', { token });
      assert.deepEqual(me.body, user);

      const wrong = await h.call('POST', '/api/v1/login', { body: { name: 'bob', password: PASSWORDS.alice } });
      assert.equal(wrong.status, 401);
      assert.deepEqual(errorOf(wrong.body), { code: 'unauthorized', message: 'wrong name or password', field: 'body.password' });
      const nobody = await h.call('POST', '/api/v1/login', { body: { name: 'carol', password: PASSWORDS.bob } });
      assert.deepEqual(errorOf(nobody.body), errorOf(wrong.body));
      const missing = await h.call('POST', '/api/v1/login', { body: { name: 'bob' } });
      assert.equal(missing.status, 400);
      assert.equal(errorOf(missing.body).field, 'body.password');
    }));

  test(`${backend} api auth - missing, malformed, unknown, expired and revoked tokens are 401 naming the header`, () =>
    withApi(async (h) => {
      const none = await h.call('GET', '/api/v1/me');
      assert.equal(none.status, 401);
      assert.equal(errorOf(none.body).field, 'headers.authorization');
      const basic = await h.call('GET', '/api/v1/me', { headers: { authorization: 'Basic Ym9iOnB3' } });
      assert.match(errorOf(basic.body).message ?? '', /Bearer <token>/);
      const malformed = await h.call('GET', '/api/v1/me', { token: 'short!' });
      assert.equal(malformed.status, 401);
      assert.equal(errorOf(malformed.body).message, 'the token is malformed');
      const unknown = await h.call('GET', '/api/v1/me', { token: `tf_${'A'.repeat(43)}` });
      assert.equal(errorOf(unknown.body).message, 'the token is unknown or revoked');

      const session = await h.login('bob');
      // The expiry is part of the hashed text: editing it names no stored token.
      const edited = session.replace(/^tfs_[0-9a-z]+_/, `tfs_${(T0 + 365 * 86_400_000).toString(36)}_`);
      assert.equal(errorOf((await h.call('GET', '/api/v1/me', { token: edited })).body).message, 'the token is unknown or revoked');
      h.clock.now = T0 + 7 * 86_400_000 - 1;
      assert.equal((await h.call('GET', '/api/v1/me', { token: session })).status, 200);
      h.clock.now = T0 + 7 * 86_400_000;
      const expired = await h.call('GET', '/api/v1/me', { token: session });
      assert.equal(expired.status, 401);
      assert.deepEqual(errorOf(expired.body), { code: 'unauthorized', message: 'the session has expired; log in again', field: 'headers.authorization' });

      const other = await h.login('bob');
      assert.equal((await h.call('POST', '/api/v1/logout', { token: other })).status, 204);
      assert.equal(errorOf((await h.call('GET', '/api/v1/me', { token: other })).body).message, 'the token is unknown or revoked');
    }));

  test(`${backend} api auth - an API token is shown once, listed without its text, and revoked by its owner only`, () =>
    withApi(async (h) => {
      const bob = await h.login('bob');
      const alice = await h.login('alice');
      const made = await h.call('POST', '/api/v1/tokens', { token: bob, body: { label: 'script' } });
      assert.equal(made.status, 201);
      const { id, token } = made.body as { id: number; token: string };
      assert.match(token, /^tf_/);
      assert.equal(((await h.call('GET', '/api/v1/me', { token })).body as { name: string }).name, 'bob');
      const listed = await h.call('GET', '/api/v1/tokens', { token: bob });
      assert.ok(!listed.text.includes(token));
      const labels = (listed.body as { tokens: Array<{ id: number; label: string }> }).tokens;
      assert.deepEqual(labels.filter((t) => t.label === 'script').map((t) => t.id), [id]);
      // Alice (even an admin) cannot revoke bob's token: it does not exist for her.
      const foreign = await h.call('DELETE', `/api/v1/tokens/${id}`, { token: alice });
      assert.equal(foreign.status, 404);
      assert.equal(errorOf(foreign.body).field, 'params.id');
      assert.equal((await h.call('GET', '/api/v1/me', { token })).status, 200);
      assert.equal((await h.call('DELETE', `/api/v1/tokens/${id}`, { token: bob })).status, 204);
      const revoked = await h.call('GET', '/api/v1/me', { token });
      assert.equal(revoked.status, 401);
      assert.equal(errorOf(revoked.body).message, 'the token is unknown or revoked');
      // An API token is not a session: logout with it is refused, and it stays as it was.
      const again = (await h.call('POST', '/api/v1/tokens', { token: bob, body: { label: 'second' } })).body as { token: string };
      assert.equal((await h.call('POST', '/api/v1/logout', { token: again.token })).status, 400);
      assert.equal((await h.call('GET', '/api/v1/me', { token: again.token })).status, 200);
    }));

  test(`${backend} api auth - login is limited per address and name: the next attempt is 429, another name is not`, () =>
    withApi(async (h) => {
      for (let i = 0; i < 3; i++) assert.equal((await h.call('POST', '/api/v1/login', { body: { name: 'bob', password: `guess-${i}-xxxxxx` } })).status, 401);
      const limited = await h.call('POST', '/api/v1/login', { body: { name: 'bob', password: PASSWORDS.bob } });
      assert.equal(limited.status, 429);
      assert.equal(errorOf(limited.body).code, 'too_many_requests');
      assert.equal(errorOf(limited.body).field, 'body.name');
      assert.equal((await h.call('POST', '/api/v1/login', { body: { name: 'alice', password: PASSWORDS.alice } })).status, 200);
    }, 3));

  test(`${backend} api auth - the pipeline routes are for admins: 403 for a user, 200 for an admin`, () =>
    withApi(async (h) => {
      const bob = await h.login('bob');
      const alice = await h.login('alice');
      for (const path of ['/api/v1/jobs', '/api/v1/gaps', '/api/v1/coverage?symbol=BTCUSDT&days=1', '/api/v1/gaps/summary?symbols=BTCUSDT']) {
        const refused = await h.call('GET', path, { token: bob });
        assert.equal(refused.status, 403, path);
        assert.equal(errorOf(refused.body).code, 'forbidden');
        assert.equal((await h.call('GET', path, { token: alice })).status, 200, path);
      }
    }));

  test(`${backend} api auth - no password or token reaches the log, though every request is logged`, () =>
    withApi(async (h) => {
      const session = await h.login('alice');
      await h.call('POST', '/api/v1/login', { body: { name: 'bob', password: 'not-bobs-password-1' } });
      const made = (await h.call('POST', '/api/v1/tokens', { token: session, body: { label: 'ci' } })).body as { token: string };
      await h.call('GET', '/api/v1/me', { token: made.token });
      await h.call('GET', `/api/v1/me?token=${made.token}`, { token: session });
      await h.call('GET', '/api/v1/me', { token: `tf_${'B'.repeat(43)}` });
      const text = h.logs.join('');
      assert.ok(h.logs.length >= 12, `expected request logs, got ${h.logs.length}`);
      assert.match(text, /"url":"\/api\/v1\/login"/);
      assert.match(text, /\?token=\[redacted\]/);
      for (const secret of [PASSWORDS.alice, PASSWORDS.bob, 'not-bobs-password-1', session, made.token, 'B'.repeat(43)]) {
        assert.ok(!text.includes(secret), `the log holds a secret: ${secret.slice(0, 6)}…`);
      }
    }));
}
