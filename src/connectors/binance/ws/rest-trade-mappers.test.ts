import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mapAggTradesPage, mapHistoricalTrades } from './rest-trade-mappers.js';
import { mapBinanceFrame } from './stream-mappers.js';
import { BadInputError } from '../../../core/errors.js';

// Recorded REST bodies (fixtures/SOURCES.md: nautilus_trader test resources, 162cc70ec7).
const body = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../../fixtures/binance-rest/${name}`, import.meta.url), 'utf8'));
const historical = body('nautilus_http_spot_market_historical_trades.json');
const agg = body('nautilus_http_spot_market_agg_trades.json');

test('binance REST trades - a recorded historicalTrades page maps to trades with id, time and taker side from isBuyerMaker', () => {
  const events = mapHistoricalTrades(historical, 'BTCUSDT', 42);
  assert.equal(events.length, 10);
  assert.deepEqual(events[0], {
    kind: 'trade', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: 42,
    exchangeTime: 1634943219887, tradeId: '1111471896', price: 60814.78, quantity: 0.00034, takerSide: 'sell',
  });
  assert.equal(events[1]?.takerSide, 'buy');
  assert.deepEqual(events.map((e) => Number(e.tradeId) - 1111471896), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('binance REST trades - a recorded aggTrades page maps with the aggregate id a and trade time T', () => {
  const events = mapAggTradesPage(agg, 'BTCUSDT', 7);
  assert.equal(events.length, 10);
  assert.deepEqual(events[0], {
    kind: 'trade', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: 7,
    exchangeTime: 1634944096633, tradeId: '966492862', price: 60759.6, quantity: 0.00841, takerSide: 'buy',
  });
});

test('binance REST trades - a historicalTrades row and the trade stream frame of the same trade map to the same event', () => {
  // The shape relation the docs state: stream {t,p,q,T,m,M} ↔ REST {id,price,qty,time,isBuyerMaker,isBestMatch}.
  const frame = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
  const row = { id: 3735683259, price: '61837.63000000', qty: '0.02000000', quoteQty: '1236.75260000', time: 1723161255342, isBuyerMaker: true, isBestMatch: true };
  assert.deepEqual(mapHistoricalTrades([row], 'BTCUSDT', 5), [mapBinanceFrame(frame, 5)]);
});

test('binance REST trades - a malformed row or ids out of order refuse the whole page, naming row and field', () => {
  const rows = historical as Record<string, unknown>[];
  assert.throws(() => mapHistoricalTrades({ code: -1121 }, 'BTCUSDT', 0), (e: unknown) => e instanceof BadInputError && /expected a JSON array/.test(e.message));
  assert.throws(() => mapHistoricalTrades([rows[0], { ...rows[1], price: 60814.79 }], 'BTCUSDT', 0), (e: unknown) => e instanceof BadInputError && /row 1: field "price"/.test(e.message));
  assert.throws(() => mapHistoricalTrades([rows[1], rows[0]], 'BTCUSDT', 0), (e: unknown) => e instanceof BadInputError && /row 1: id 1111471896 does not follow 1111471897/.test(e.message));
  assert.throws(() => mapAggTradesPage([{ a: 1, p: '1', q: '1', T: 1 }], 'BTCUSDT', 0), (e: unknown) => e instanceof BadInputError && /row 0: field "m"/.test(e.message));
});
