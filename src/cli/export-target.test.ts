import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Instrument } from '../core/instrument.js';
import type { Store } from '../store/store.js';
import { tableDecimals } from './export-target.js';

const btc: Instrument = { exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: null, tickSize: '0.01000000', stepSize: '0.00001000' };
const storeOf = (instruments: Instrument[]) => ({ listInstruments: async () => instruments }) as unknown as Store;

test('tableDecimals - from the stored tick and step sizes; absent for a symbol without them', async () => {
  assert.deepEqual(await tableDecimals(storeOf([btc]), 'binance', 'BTCUSDT'), { price: 2, volume: 5 });
  assert.deepEqual(await tableDecimals(storeOf([{ ...btc, tickSize: null, stepSize: undefined }]), 'binance', 'BTCUSDT'), {});
  assert.deepEqual(await tableDecimals(storeOf([btc]), 'binance', 'ETHUSDT'), {});
});
