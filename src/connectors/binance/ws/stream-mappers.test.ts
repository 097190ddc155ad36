import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCryptofeedFrames, readHftbacktestCapture } from '../../ws/test-captures.js';
import { mapBinanceFrame } from './stream-mappers.js';
import { BadInputError } from '../../../core/errors.js';
import { DepthSync } from './depth-sync.js';

// 31 s of real spot combined streams for 4 symbols, 2021-10-12 (shared SOURCES §2).
const cryptofeed = readCryptofeedFrames('cryptofeed_BINANCE.ws.1.0_spot_streams_2021-10-12.jsonl');

test('binance stream mappers - every recorded cryptofeed frame maps: 177 diffs, 84 book tickers, 2 aggTrades, 2 klines', () => {
  assert.equal(cryptofeed.length, 265);
  const counts: Record<string, number> = {};
  for (const f of cryptofeed) {
    const m = mapBinanceFrame(f.text, f.receivedAt);
    counts[m.kind] = (counts[m.kind] ?? 0) + 1;
  }
  assert.deepEqual(counts, { book_delta: 177, book_ticker: 84, trade: 2, candle: 2 });
});

test('binance stream mappers - aggTrade becomes a trade with the aggregate id, trade time and taker side from m', () => {
  const f = cryptofeed.find((x) => x.text.includes('"nknusdt@aggTrade"'))!;
  assert.deepEqual(mapBinanceFrame(f.text, f.receivedAt), {
    kind: 'trade',
    exchange: 'binance',
    symbol: 'NKNUSDT',
    receivedAt: f.receivedAt,
    exchangeTime: 1633998523963,
    tradeId: '15683430',
    price: 0.3528,
    quantity: 58,
    takerSide: 'buy', // "m":false: the buyer took
  });
});

test('binance stream mappers - kline becomes an open 1m candle with all eleven fields', () => {
  const f = cryptofeed.find((x) => x.text.includes('"nknusdt@kline_1m"'))!;
  assert.deepEqual(mapBinanceFrame(f.text, 1633998523957.25), {
    kind: 'candle',
    exchange: 'binance',
    symbol: 'NKNUSDT',
    receivedAt: 1633998523957.25,
    exchangeTime: 1633998523963,
    interval: '1m',
    closed: false,
    candle: {
      openTime: 1633998480000,
      open: 0.3527,
      high: 0.3528,
      low: 0.3522,
      close: 0.3528,
      volume: 25877,
      closeTime: 1633998539999,
      quoteVolume: 9116.046,
      trades: 30,
      takerBuyBase: 58,
      takerBuyQuote: 20.4624,
    },
  });
});

test('binance stream mappers - trade maps id t, time T, and m true to a sell', () => {
  const [f] = readHftbacktestCapture('btcusdt_20240808.gz').filter((x) => x.text.includes('@trade"'));
  assert.deepEqual(mapBinanceFrame(f!.text, 5), {
    kind: 'trade',
    exchange: 'binance',
    symbol: 'BTCUSDT',
    receivedAt: 5,
    exchangeTime: 1723161255342,
    tradeId: '3735683259',
    price: 61837.63,
    quantity: 0.02,
    takerSide: 'sell',
  });
});

test('binance stream mappers - the recorded diffs of each symbol chain U == previous u + 1', () => {
  const bySymbol = new Map<string, DepthSync>();
  let chained = 0;
  for (const f of cryptofeed) {
    const m = mapBinanceFrame(f.text, f.receivedAt);
    if (m.kind !== 'book_delta') continue;
    const previous = bySymbol.get(m.symbol);
    if (previous !== undefined) {
      assert.equal(m.firstSequence, previous.bookId! + 1, `${m.symbol} U=${m.firstSequence}`);
      chained++;
    }
    const s = new DepthSync(m.symbol);
    s.onDelta(m);
    s.onSnapshot({ kind: 'book_snapshot', exchange: 'binance', symbol: m.symbol, receivedAt: 0, exchangeTime: null, bids: [], asks: [], sequence: m.lastSequence! });
    bySymbol.set(m.symbol, s);
  }
  assert.equal(chained, 177 - 4);
});

test('binance stream mappers - control replies and bad frames', () => {
  assert.deepEqual(mapBinanceFrame('{"result":null,"id":1}', 1), { kind: 'control', receivedAt: 1, control: 'ack', detail: 'id 1' });
  assert.equal(mapBinanceFrame('{"code":2,"msg":"Invalid request","id":3}', 1).kind, 'control');
  const bad: [string, RegExp][] = [
    ['{"stream":"btcusdt@trade","data":{"e":"trade"', /^binance stream frame: not JSON/],
    ['{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"abc","q":"1","T":1,"m":true}}', /^binance trade: field "p" should be a decimal string, got "abc"$/],
    ['{"stream":"x@depth","data":{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1"]],"a":[]}}', /^binance depthUpdate: b\[0\] should be \[price, quantity\]/],
    ['{"stream":"x@depth","data":{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[],"a":[["1.5","-2"]]}}', /^binance depthUpdate: field "a\[0\]\[1\]" should be a non-negative decimal string, got "-2"$/],
    ['{"stream":"x@depth","data":{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["0","1"]],"a":[]}}', /^binance depthUpdate: field "b\[0\]\[0\]" should be a positive decimal string, got "0"$/],
    ['{"stream":"x@kline_1M","data":{"e":"kline","E":1,"s":"X","k":{"i":"1M"}}}', /^binance kline: interval "1M" is not one of/],
    ['{"stream":"x@foo","data":{"e":"foo"}}', /^binance stream frame: unknown event "foo" on stream "x@foo"$/],
    ['[1,2]', /^binance stream frame: expected a JSON object$/],
  ];
  for (const [text, message] of bad) assert.throws(() => mapBinanceFrame(text, 0), (err: unknown) => err instanceof BadInputError && message.test(err.message));
});
