import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATCHUP_SCENARIOS, runCatchupScenario } from './rest-catchup.js';

const scenario = (name: string): (typeof CATCHUP_SCENARIOS)[number] => {
  const s = CATCHUP_SCENARIOS.find((x) => x.name.startsWith(name));
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
};

test('rest catch-up - sync of 2020-01-03 at 23:59:30 fetches the 1,439 closed minutes in 2 requests of weight 2', async () => {
  const r = await runCatchupScenario(scenario('BTCUSDT 1m sync'));
  assert.equal(r.restCandles, 1439);
  assert.equal(r.minRequests, 2);
  assert.deepEqual(r.governor, { requests: 2, weight: 4, rateLimited429: 0, banned418: 0, waits: 0, waitedMs: 0 });
  assert.deepEqual(r.server, { requests: 2, weight: 4, rateLimited429: 0, banned418: 0 });
  assert.deepEqual(r.incomplete, []);
});

test('rest catch-up - with a 20-weight limit the shared governor waits for the next windows instead of earning a 429', async () => {
  const r = await runCatchupScenario(scenario('10 symbols 1h, weight limit 20'));
  assert.equal(r.restCandles, 7430);
  assert.equal(r.klinesRequests, 10);
  assert.equal(r.server.rateLimited429, 0);
  assert.equal(r.server.banned418, 0);
  // exchangeInfo (20) fills the first window; 9 klines (18 = 90 % of 20) fit the next; the last waits once more.
  assert.equal(r.governor.waits, 2);
  assert.equal(r.simulatedMs, 90_000);
  assert.equal(r.server.weight, 40);
  assert.deepEqual(r.incomplete, []);
});
