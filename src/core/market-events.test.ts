import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError } from './errors.js';
import { parseMarketRef } from './market-events.js';

test('market refs - exchange:symbol spelled as the exchange spells its markets, refused otherwise naming the form', () => {
  assert.deepEqual(parseMarketRef('binance:BTCUSDT'), { exchange: 'binance', symbol: 'BTCUSDT' });
  assert.deepEqual(parseMarketRef('bitvavo:BTC-EUR'), { exchange: 'bitvavo', symbol: 'BTC-EUR' });
  assert.deepEqual(parseMarketRef('gemini:BTCGBP'), { exchange: 'gemini', symbol: 'BTCGBP' });
  assert.deepEqual(parseMarketRef('btcturk:BTCTRY'), { exchange: 'btcturk', symbol: 'BTCTRY' });
  for (const [bad, why] of [
    ['kraken:BTCUSD', /is not <exchange>:<symbol> with exchange one of binance, gemini, bitvavo, btcturk/],
    ['binance:', /is not <exchange>:<symbol>/],
    // These crashed the stream with a stack trace once it started.
    ['binance:BTC-USDT', /"binance:BTC-USDT": binance spells its markets in letters and digits, e\.g\. binance:BTCUSDT/],
    ['binance:btc/usdt', /binance spells its markets in letters and digits/],
    ['bitvavo:BTCEUR', /"bitvavo:BTCEUR": bitvavo spells its markets BASE-QUOTE, e\.g\. bitvavo:BTC-EUR/],
  ] as const) {
    assert.throws(() => parseMarketRef(bad), (err: unknown) => err instanceof BadInputError && why.test(err.message), bad);
  }
});
