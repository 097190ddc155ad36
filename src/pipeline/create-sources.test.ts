import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema, type Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { createSources } from './create-sources.js';

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
