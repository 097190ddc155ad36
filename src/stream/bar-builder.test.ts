import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkCandle, type Candle } from '../core/candle.js';
import type { TradeEvent } from '../core/market-events.js';
import { BarBuilder, type StreamBar } from './bar-builder.js';
import { readBinanceTrades } from './test-support/binance-trade-lines.js';

const T0 = Date.UTC(2024, 7, 8, 23, 54); // a minute boundary

function t(n: number, at: number, price: number, quantity: number, takerSide: TradeEvent['takerSide'], exchangeTime: number | null = at): TradeEvent {
  return { kind: 'trade', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: at + 500, exchangeTime, tradeId: String(n), price, quantity, takerSide };
}

test('bar builder - a hand-checked minute: OHLCV, quote volume, trade count, taker-buy sums, closeTime = open + 59999', () => {
  const b = new BarBuilder();
  assert.deepEqual(b.onTrade(t(1, T0 + 1_000, 100, 2, 'buy')), []);
  b.onTrade(t(2, T0 + 20_000, 105, 1, 'sell'));
  b.onTrade(t(3, T0 + 30_000, 95, 0.5, 'buy'));
  b.onTrade(t(4, T0 + 59_999, 101, 1, null));
  const [bar, ...more] = b.onTrade(t(5, T0 + 60_000, 102, 1, 'buy'));
  assert.equal(more.length, 0);
  assert.deepEqual(bar, {
    exchange: 'binance', symbol: 'BTCUSDT',
    candle: {
      openTime: T0, open: 100, high: 105, low: 95, close: 101, volume: 4.5, closeTime: T0 + 59_999,
      quoteVolume: 200 + 105 + 47.5 + 101, trades: 4, takerBuyBase: 2.5, takerBuyQuote: 247.5,
    },
  });
});

test('bar builder - zero-trade minutes are o=h=l=c=previous close with no volume, emitted by a later trade or by the clock after the grace', () => {
  const b = new BarBuilder({ graceMs: 2_000 });
  b.onTrade(t(1, T0 + 10_000, 100, 1, 'buy'));
  b.onTrade(t(2, T0 + 50_000, 99, 1, 'sell'));
  assert.deepEqual(b.tick(T0 + 61_999), [], 'not before the grace has passed');
  const byClock = b.tick(T0 + 62_000);
  assert.deepEqual(byClock.map((x) => [x.candle.openTime, x.candle.close, x.candle.trades]), [[T0, 99, 2]]);
  const flat = (openTime: number): Candle => ({
    openTime, open: 99, high: 99, low: 99, close: 99, volume: 0, closeTime: openTime + 59_999, quoteVolume: 0, trades: 0, takerBuyBase: 0, takerBuyQuote: 0,
  });
  assert.deepEqual(b.tick(T0 + 122_000).map((x) => x.candle), [flat(T0 + 60_000)]);
  const byTrade = b.onTrade(t(3, T0 + 4 * 60_000 + 5, 110, 1, 'buy'));
  assert.deepEqual(byTrade.map((x) => x.candle), [flat(T0 + 120_000), flat(T0 + 180_000)]);
  for (const x of [...byClock, ...byTrade]) assert.equal(checkCandle(x.candle, '1m'), null);
});

test('bar builder - exchange time decides the minute, receive time stands in where there is none; a trade for an emitted minute is dropped and counted', () => {
  const b = new BarBuilder();
  b.onTrade(t(1, T0 + 59_000, 100, 1, 'buy', T0 + 59_000));
  // Received after the minute's end, but the exchange says it happened in it.
  assert.deepEqual(b.onTrade({ ...t(2, T0 + 59_900, 101, 1, 'buy'), receivedAt: T0 + 60_400 }), []);
  const closed = b.onTrade(t(3, T0 + 61_000, 102, 1, 'sell', null)); // receivedAt T0 + 61_500
  assert.deepEqual(closed.map((x) => [x.candle.trades, x.candle.close]), [[2, 101]]);
  assert.deepEqual(b.onTrade(t(4, T0 + 30_000, 50, 1, 'buy')), []);
  assert.equal(b.late, 1);
  const [next] = b.tick(T0 + 200_000);
  assert.deepEqual([next?.candle.open, next?.candle.low, next?.candle.trades], [102, 102, 1], 'the late trade touched nothing');
});

test('bar builder - a silent market gets at most maxFlatBars flat bars; its next trade opens a new bar after the gap', () => {
  const b = new BarBuilder({ maxFlatBars: 2, graceMs: 0 });
  b.onTrade(t(1, T0 + 1_000, 100, 1, 'buy'));
  assert.deepEqual(b.tick(T0 + 10 * 60_000).map((x) => [x.candle.openTime - T0, x.candle.trades]), [[0, 1], [60_000, 0], [120_000, 0]]);
  assert.deepEqual(b.tick(T0 + 20 * 60_000), []);
  const resumed = b.onTrade(t(2, T0 + 30 * 60_000 + 5, 104, 1, 'buy'));
  assert.deepEqual(resumed, [], 'no flat bars are made up for the silent stretch');
  const [next] = b.tick(T0 + 31 * 60_000);
  assert.deepEqual([next?.candle.openTime, next?.candle.open, next?.candle.trades], [T0 + 30 * 60_000, 104, 1]);
  // Under the limit the flat bars come from a trade too, and the count starts over after a traded bar.
  const c = new BarBuilder({ maxFlatBars: 2 });
  c.onTrade(t(1, T0 + 1_000, 100, 1, 'buy'));
  assert.deepEqual(c.onTrade(t(2, T0 + 3 * 60_000, 101, 1, 'buy')).map((x) => x.candle.trades), [1, 0, 0]);
  assert.deepEqual(c.onTrade(t(3, T0 + 6 * 60_000, 102, 1, 'buy')).map((x) => x.candle.trades), [1, 0, 0]);
  assert.deepEqual(c.onTrade(t(4, T0 + 10 * 60_000, 103, 1, 'buy')).map((x) => x.candle.openTime - T0), [360_000, 420_000, 480_000]);
});

test('bar builder - a trade with a non-finite or non-positive price, a negative quantity or no time is refused naming it, and changes no bar', () => {
  const b = new BarBuilder();
  b.onTrade(t(1, T0 + 1_000, 100, 1, 'buy'));
  assert.throws(() => b.onTrade(t(2, T0 + 2_000, Number.NaN, 1, 'buy')), /trade binance:BTCUSDT 2: price NaN, quantity 1/);
  assert.throws(() => b.onTrade(t(3, T0 + 2_000, 0, 1, 'buy')), /trade binance:BTCUSDT 3: price 0/);
  assert.throws(() => b.onTrade(t(4, T0 + 2_000, 101, -1, 'buy')), /quantity -1/);
  assert.throws(() => b.onTrade({ ...t(5, T0 + 2_000, 101, 1, 'buy', null), receivedAt: Number.NaN }), /time NaN/);
  const [bar] = b.tick(T0 + 62_000);
  assert.deepEqual([bar?.candle.trades, bar?.candle.high, bar?.candle.volume], [1, 100, 1]);
});

test('bar builder - markets are kept apart by exchange and symbol', () => {
  const b = new BarBuilder();
  b.onTrade(t(1, T0 + 1_000, 100, 1, 'buy'));
  b.onTrade({ ...t(1, T0 + 2_000, 3_000, 1, 'buy'), symbol: 'ETHUSDT' });
  b.onTrade({ ...t(1, T0 + 3_000, 200, 1, 'buy'), exchange: 'gemini' });
  const bars = b.tick(T0 + 62_000).map((x) => `${x.exchange}:${x.symbol}:${x.candle.open}`).sort();
  assert.deepEqual(bars, ['binance:BTCUSDT:100', 'binance:ETHUSDT:3000', 'gemini:BTCUSDT:200']);
});

// The recorded check: Binance spot trades (hftbacktest captures, fixtures/ws/hftbacktest/spot/,
// shared/data/SOURCES.md) through the builder, against DuckDB's own GROUP BY over the same raw
// lines with its own JSON parsing and exact DECIMAL sums read back as decimal text (no code
// shared with the builder).
const GROUP_BY = `
WITH raw AS (
  SELECT line[strpos(line, ' ') + 1:] AS j FROM read_csv($1, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false, compression = 'gzip')
  WHERE line LIKE '%@trade"%'
), tr AS (
  SELECT (j->>'$.data.t')::BIGINT AS id, (j->>'$.data.T')::BIGINT AS ts, (j->>'$.data.p')::DECIMAL(38, 8) AS p, (j->>'$.data.q')::DECIMAL(38, 8) AS q,
         (j->>'$.data.m')::BOOLEAN AS buyer_maker
  FROM raw WHERE j->>'$.data.s' = $2
), m AS (
  SELECT ts // 60000 * 60000 AS open_time, arg_min(p, id) AS o, max(p) AS h, min(p) AS l, arg_max(p, id) AS c, sum(q) AS v, sum(p * q) AS qv, count(*) AS n,
         coalesce(sum(q) FILTER (WHERE NOT buyer_maker), 0) AS tbb, coalesce(sum(p * q) FILTER (WHERE NOT buyer_maker), 0) AS tbq
  FROM tr GROUP BY 1
), grid AS (
  SELECT unnest(generate_series((SELECT min(open_time) FROM m), (SELECT max(open_time) FROM m), 60000)) AS open_time
), filled AS (
  SELECT g.open_time, m.o, m.h, m.l, m.c, m.v, m.qv, m.n, m.tbb, m.tbq,
         last_value(m.c IGNORE NULLS) OVER (ORDER BY g.open_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS prev_c
  FROM grid g LEFT JOIN m USING (open_time)
)
SELECT open_time, coalesce(o, prev_c)::VARCHAR, coalesce(h, prev_c)::VARCHAR, coalesce(l, prev_c)::VARCHAR, coalesce(c, prev_c)::VARCHAR,
       coalesce(v, 0)::VARCHAR, open_time + 59999, coalesce(qv, 0)::VARCHAR, coalesce(n, 0), coalesce(tbb, 0)::VARCHAR, coalesce(tbq, 0)::VARCHAR
FROM filled ORDER BY open_time`;

async function duckdbBars(path: string, symbol: string): Promise<Candle[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const rows = (await conn.runAndReadAll(GROUP_BY, [path, symbol])).getRows();
    return rows.map((r) => {
      const n = r.map((x) => Number(x));
      return {
        openTime: n[0] as number, open: n[1] as number, high: n[2] as number, low: n[3] as number, close: n[4] as number, volume: n[5] as number,
        closeTime: n[6] as number, quoteVolume: n[7] as number, trades: n[8] as number, takerBuyBase: n[9] as number, takerBuyQuote: n[10] as number,
      };
    });
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

for (const [symbol, day] of [['BTCUSDT', '20240808'], ['BTCUSDT', '20240809'], ['ETHUSDT', '20240808'], ['ETHUSDT', '20240809']] as const) {
  test(`bar builder - ${symbol.toLowerCase()}_${day}: every 1m bar equals DuckDB's GROUP BY of the same recorded trades, field by field`, async () => {
    const path = fileURLToPath(new URL(`../../fixtures/ws/hftbacktest/spot/${symbol.toLowerCase()}_${day}.gz`, import.meta.url));
    const trades = readBinanceTrades(path);
    const b = new BarBuilder();
    const bars: StreamBar[] = [];
    for (const tr of trades) bars.push(...b.onTrade(tr));
    const last = trades.at(-1);
    assert.ok(last?.exchangeTime);
    bars.push(...b.tick(last.exchangeTime + 60_000 + 2_000));
    const expected = await duckdbBars(path, symbol);
    assert.ok(expected.length >= 5, `expected several minutes, got ${expected.length}`);
    assert.equal(b.late, 0);
    assert.deepEqual(bars.map((x) => x.candle), expected);
    assert.equal(bars.reduce((s, x) => s + x.candle.trades, 0), trades.length);
  });
}
