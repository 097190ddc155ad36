import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema, type Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { createSources } from './create-sources.js';
import { createRateGovernor, defaultRateGovernor } from '../connectors/binance/rate-governor.js';
import { SharedRateGovernor } from '../connectors/binance/shared-rate-governor.js';
import type { WeightLedger, WeightReserveRequest } from '../core/weight-ledger.js';

test('create sources - universe.exchange selects the connector; one it does not have is a ConfigError naming the key', () => {
  const config = configSchema.parse({});
  const sources = createSources(config);
  assert.equal(sources.exchange.exchange, 'binance');
  // A config assembled by hand, past the schema (e.g. in a script).
  const kraken = { ...config, universe: { ...config.universe, exchange: 'kraken' } } as unknown as Config;
  assert.throws(() => createSources(kraken), (e: unknown) => e instanceof ConfigError && e.message === 'universe.exchange: "kraken" is not supported (only "binance")');
});

test('create sources - exchange.now() is the injected local clock until the exchange has answered', () => {
  const sources = createSources(configSchema.parse({}), { clock: () => 1_000 });
  assert.equal(sources.exchange.now(), 1_000);
  sources.serverClock.observe(400, 1_000);
  assert.equal(sources.exchange.now(), 400);
});

test('create sources - with a weight ledger every Binance request is reserved in it, on the exchange\'s minute', async () => {
  const reserved: WeightReserveRequest[] = [];
  const ledger: WeightLedger = {
    reserve: async (r) => (reserved.push(r), { used: r.weight, pausedUntil: null }),
    raise: async (_scope, _start, used) => used,
    pause: async () => undefined,
    prune: async () => 0,
  };
  const local = Date.UTC(2024, 0, 1, 10, 0, 59, 500);
  const sources = createSources(configSchema.parse({}), { clock: () => local, governor: createRateGovernor({ now: () => local }), weightLedger: ledger });
  assert.ok(sources.governor instanceof SharedRateGovernor);
  sources.serverClock.observe(local + 1_000, local); // the exchange is a second ahead: already 10:01
  (await sources.governor.acquire(2)).cancel();
  assert.deepEqual(reserved.map((r) => [r.scope, r.windowStart, r.weight, r.budget]), [['binance', Date.UTC(2024, 0, 1, 10, 1), 2, 5400]]);
  assert.equal(createSources(configSchema.parse({}), { weightLedger: null }).governor, defaultRateGovernor, 'no ledger (DuckDB): the process-wide governor');
});
