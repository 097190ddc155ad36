import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allocateColumns } from '../core/candle.js';
import { parseTime } from '../core/time.js';
import { rsi } from '../indicators/rsi.js';
import { tdSetup } from '../indicators/td-setup.js';
import { ema } from '../indicators/ema.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { errorOf, startHarness, type Harness } from './test-support/api-harness.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const D1 = parseTime('2020-01-01');
/** The API's clock: the end of the three stored days, so every bar is closed. */
const NOW = parseTime('2020-01-04');

let store: Store;
let h: Harness;
let token: string;

before(async () => {
  store = await openStore(':memory:');
  await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1, tickSize: '0.01000000', stepSize: '0.00000100' }]);
  for (const day of [1, 2, 3] as const) await store.writeCandles(BTC, btcusdtDay(day), 'archive');
  await store.saveUniverse({ date: '2020-01-03', exchange: 'binance', entries: [{ rank: 1, coingeckoId: 'bitcoin', coinSymbol: 'btc', marketCap: null, volume: null, symbol: 'BTCUSDT', manual: false }] });
  h = await startHarness(store, { now: NOW });
  token = await h.login('bob');
});
after(async () => {
  await h.close();
  await store.close();
});

interface CandleJson {
  symbol: string;
  interval: string;
  priceDecimals: number | null;
  volumeDecimals: number | null;
  columns: string[];
  rows: Array<[number, number, number, number, number, number, boolean]>;
}

test('api candles - the streamed 1m JSON rows equal Store.readCandles over the window, each bar complete', async () => {
  const from = D1 + 90 * 60_000;
  const to = parseTime('2020-01-03T07:00:00Z');
  const res = await h.call('GET', `/api/v1/candles?symbol=btcusdt&interval=1m&from=${from}&to=2020-01-03T07:00:00Z`, { token });
  assert.equal(res.status, 200);
  const body = res.body as CandleJson;
  assert.deepEqual([body.symbol, body.interval, body.priceDecimals, body.volumeDecimals], ['BTCUSDT', '1m', 2, 6]);
  assert.deepEqual(body.columns, ['openTime', 'open', 'high', 'low', 'close', 'volume', 'complete']);
  const want = await store.readCandles(BTC, from, to);
  assert.equal(body.rows.length, want.length);
  assert.equal(want.length, (to - from) / 60_000); // every minute of the window is stored: a missing row would show
  for (let i = 0; i < want.length; i++) {
    const row = body.rows[i]!;
    assert.deepEqual(row, [want.openTime[i], want.open[i], want.high[i], want.low[i], want.close[i], want.volume[i], true], `row ${i}`);
  }
});

test('api candles - a window of several store chunks and text slices streams whole (40,000 generated minutes, JSON and CSV)', async () => {
  const syn = { exchange: 'binance', symbol: 'SYNUSDT', interval: '1m' as const };
  const n = 40_000;
  const c = allocateColumns(n);
  for (let i = 0; i < n; i++) {
    const t = D1 + i * 60_000;
    const p = 100 + (i % 977) / 100;
    Object.assign(c, { length: i + 1 });
    [c.openTime[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i], c.closeTime[i], c.quoteVolume[i], c.trades[i], c.takerBuyBase[i], c.takerBuyQuote[i]] = [t, p, p + 1, p - 1, p + 0.5, 2 + (i % 7), t + 59_999, 300, 5, 1, 150];
  }
  await store.writeCandles(syn, c, 'rest');
  const to = D1 + n * 60_000;
  h.clock.now = to;
  try {
    // A month after the other tests' login: that session has expired (7 days) on this clock.
    const later = await h.login('bob');
    const json = await h.call('GET', `/api/v1/candles?symbol=SYNUSDT&interval=1m&from=${D1}&to=${to}`, { token: later });
    assert.equal(json.status, 200, json.text.slice(0, 300));
    assert.ok(json.body !== undefined, `not JSON, ${json.text.length} chars, ends ${json.text.slice(-200)}`);
    const rows = (json.body as CandleJson).rows;
    assert.equal(rows.length, n);
    const want = await store.readCandles(syn, D1, to);
    for (const i of [0, 8191, 8192, 16_383, 16_384, 32_768, n - 1]) assert.deepEqual(rows[i], [want.openTime[i], want.open[i], want.high[i], want.low[i], want.close[i], want.volume[i], true], `row ${i}`);
    const csv = await h.call('GET', `/api/v1/candles?symbol=SYNUSDT&interval=1m&from=${D1}&to=${to}&format=csv`, { token: later });
    const lines = csv.text.trimEnd().split('\n');
    assert.equal(lines.length, n + 1);
    assert.equal(lines[n], `${want.openTime[n - 1]},${want.open[n - 1]},${want.high[n - 1]},${want.low[n - 1]},${want.close[n - 1]},${want.volume[n - 1]},true`);
  } finally {
    h.clock.now = NOW;
  }
});

test('api candles - CSV at 1h equals Store.aggregateCandles; columns=all adds every stored field', async () => {
  const res = await h.call('GET', '/api/v1/candles?symbol=BTCUSDT&interval=1h&from=2020-01-01&to=2020-01-04&format=csv', { token });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(res.headers.get('x-price-decimals'), '2');
  const lines = res.text.trimEnd().split('\n');
  assert.equal(lines[0], 'open_time,open,high,low,close,volume,complete');
  const want = await store.aggregateCandles('binance', 'BTCUSDT', '1h', D1, NOW);
  assert.equal(lines.length - 1, 72);
  assert.equal(want.length, 72);
  for (let i = 0; i < want.length; i++) assert.equal(lines[i + 1], `${want.openTime[i]},${want.open[i]},${want.high[i]},${want.low[i]},${want.close[i]},${want.volume[i]},true`);

  const all = await h.call('GET', '/api/v1/candles?symbol=BTCUSDT&interval=1h&from=2020-01-01&to=2020-01-01T02:00:00Z&format=csv&columns=all', { token });
  const allLines = all.text.trimEnd().split('\n');
  assert.equal(allLines[0], 'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote,complete');
  assert.equal(allLines[1], `${want.openTime[0]},${want.open[0]},${want.high[0]},${want.low[0]},${want.close[0]},${want.volume[0]},${want.closeTime[0]},${want.quoteVolume[0]},${want.trades[0]},${want.takerBuyBase[0]},${want.takerBuyQuote[0]},true`);
});

test('api candles - the forming bar is not complete on the API clock', async () => {
  h.clock.now = parseTime('2020-01-03T23:30:00Z');
  try {
    const res = await h.call('GET', '/api/v1/candles?symbol=BTCUSDT&interval=1h&from=2020-01-03T21:00:00Z&to=2020-01-04', { token });
    const rows = (res.body as CandleJson).rows;
    assert.deepEqual(rows.map((r) => r[6]), [true, true, false]);
  } finally {
    h.clock.now = NOW;
  }
});

test('api market - bad input is a 4xx naming the field', async () => {
  const cases: Array<[string, number, string, RegExp]> = [
    ['/api/v1/candles?symbol=BTCUSDT&interval=7m', 400, 'query.interval', /1m, 3m, 5m/],
    ['/api/v1/candles?symbol=DOGEUSDT', 404, 'query.symbol', /no symbol DOGEUSDT on binance/],
    ['/api/v1/candles?symbol=BTC-USD', 400, 'query.symbol', /exchange symbol as binance spells it/],
    // Bitvavo's own spelling passes the field (then this store has no such series); without its hyphen it does not.
    ['/api/v1/candles?symbol=btc-eur&exchange=bitvavo', 404, 'query.symbol', /no symbol BTC-EUR on bitvavo/],
    ['/api/v1/candles?symbol=BTCEUR&exchange=bitvavo', 400, 'query.symbol', /as bitvavo spells it, e\.g\. BTC-EUR/],
    ['/api/v1/candles?symbol=BTCUSDT&from=yesterday', 400, 'query.from', /"yesterday" is not an ISO-8601/],
    ['/api/v1/candles?symbol=BTCUSDT&from=2020-01-03&to=2020-01-02', 400, 'query.to', /to \(2020-01-02T00:00:00.000Z\) must be after from/],
    ['/api/v1/candles?symbol=BTCUSDT&format=xml', 400, 'query.format', /json/],
    ['/api/v1/candles?symbol=BTCUSDT&limit=5', 400, 'query', /limit/],
    ['/api/v1/indicators?symbol=BTCUSDT&ind=rsi:14,foo', 400, 'query.ind', /foo: unknown indicator/],
    ['/api/v1/indicators?symbol=BTCUSDT&ind=rsi:1', 400, 'query.ind', /period must be/],
    ['/api/v1/indicators?symbol=BTCUSDT&interval=1m&from=2000-01-01&to=2020-01-01', 400, 'query.from', /more than 200,000 bars/],
    [`/api/v1/candles?symbol=BTCUSDT&pad=${'x'.repeat(5000)}`, 414, 'query', /longer than 4096/],
    ['/api/v1/nothing-here', 404, '', /no route GET \/api\/v1\/nothing-here/],
  ];
  for (const [path, status, field, message] of cases) {
    const res = await h.call('GET', path, { token });
    assert.equal(res.status, status, `${path}: ${res.text}`);
    const e = errorOf(res.body);
    assert.equal(e.field ?? '', field, path);
    assert.match(e.message ?? '', message, path);
    assert.ok(typeof e.code === 'string', path);
  }
});

test('api - an oversized or malformed body gets the one error shape, naming the body', async () => {
  const big = await h.call('POST', '/api/v1/tokens', { token, body: { label: 'x'.repeat(70_000) } });
  assert.equal(big.status, 413);
  assert.deepEqual(errorOf(big.body), { code: 'bad_request', message: 'request body is larger than the server accepts', field: 'body' });
  const broken = await h.call('POST', '/api/v1/tokens', { token, rawBody: '{"label":', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.status, 400);
  assert.equal(errorOf(broken.body).field, 'body');
  const extra = await h.call('POST', '/api/v1/tokens', { token, body: { label: 'ok', admin: true } });
  assert.equal(extra.status, 400);
  assert.match(errorOf(extra.body).message ?? '', /admin/);
});

test('api indicators - columns over the window, warmed up by the bars before it, null while warming', async () => {
  const res = await h.call('GET', '/api/v1/indicators?symbol=BTCUSDT&interval=1h&from=2020-01-02&to=2020-01-04&ind=rsi:14,ema:5&warmup=10', { token });
  assert.equal(res.status, 200, res.text);
  const body = res.body as { openTime: number[]; columns: Record<string, Array<number | null>> };
  const bars = await store.aggregateCandles('binance', 'BTCUSDT', '1h', parseTime('2020-01-02') - 10 * 3_600_000, NOW);
  assert.equal(bars.length, 58);
  assert.deepEqual(body.openTime, Array.from(bars.openTime.subarray(10)));
  const r = rsi(bars.close, 14);
  const e = ema(bars.close, 5);
  assert.deepEqual(body.columns.rsi14, Array.from(r.subarray(10), (v) => (Number.isNaN(v) ? null : v)));
  assert.deepEqual(body.columns.ema5, Array.from(e.subarray(10)));
  // 10 warm-up bars are fewer than RSI(14) needs: the first 4 printed bars have no value yet.
  assert.deepEqual(body.columns.rsi14!.slice(0, 5).map((v) => v === null), [true, true, true, true, false]);
});

test('api universe - last price, 24 h change, RSI(14) and TD setup from the stored 1h bars', async () => {
  const res = await h.call('GET', '/api/v1/universe', { token });
  assert.equal(res.status, 200, res.text);
  const body = res.body as { asOf: number; symbols: Array<{ symbol: string; rank: number; last: number; change24h: number; rsi14: number; td: { buySetup: number; sellSetup: number }; alertsArmed: number; priceDecimals: number }> };
  assert.equal(body.asOf, NOW);
  assert.equal(body.symbols.length, 1);
  const row = body.symbols[0]!;
  const bars = await store.aggregateCandles('binance', 'BTCUSDT', '1h', D1, NOW);
  const n = bars.length;
  const last = bars.close[n - 1]!;
  const dayBefore = bars.close[n - 25]!;
  const td = tdSetup(bars.close)[n - 1]!;
  assert.deepEqual(row, {
    symbol: 'BTCUSDT',
    rank: 1,
    last,
    change24h: ((last - dayBefore) / dayBefore) * 100,
    rsi14: rsi(bars.close, 14)[n - 1],
    td: { buySetup: td < 0 ? -td : 0, sellSetup: td > 0 ? td : 0 },
    alertsArmed: 0,
    priceDecimals: 2,
  });
});

test('api health - no sign-in needed; names the store', async () => {
  const res = await h.call('GET', '/api/v1/health');
  assert.deepEqual(res.body, { ok: true, store: 'duckdb', version: '0.0.0-test' });
});

test('api coverage - per UTC day, bars stored against bars the day holds, and the ledger\'s gaps by kind (admin)', async () => {
  const admin = await h.login('alice');
  await store.recordGaps([{ ...BTC, from: parseTime('2020-01-02T10:00:00Z'), to: parseTime('2020-01-02T10:09:00Z'), kind: 'exchange_outage', status: 'unrepairable', detectedAt: NOW, note: null }]);
  const res = await h.call('GET', '/api/v1/coverage?symbol=BTCUSDT&days=4', { token: admin });
  assert.equal(res.status, 200, res.text);
  const none = { hole: 0, exchange_outage: 0, not_published: 0, before_listing: 0 };
  assert.deepEqual(res.body, {
    symbols: [
      {
        symbol: 'BTCUSDT',
        days: [
          { date: '2020-01-01', stored: 1440, expected: 1440, gaps: none },
          { date: '2020-01-02', stored: 1440, expected: 1440, gaps: { ...none, exchange_outage: 10 } },
          { date: '2020-01-03', stored: 1440, expected: 1440, gaps: none },
        ],
      },
    ],
  });
});
