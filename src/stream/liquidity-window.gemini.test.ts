/**
 * The liquidity windows over the recorded Gemini capture (fixtures/ws/cryptofeed_GEMINI.ws.1.0_v2_
 * marketdata_2021-06-24.jsonl: 10 symbols, 31 s, 655 l2_updates, 16 trades; SOURCES.md §2), against
 * DuckDB computing every field from the raw lines with its own SQL: its own JSON reading, exact
 * DECIMAL sums, and the book at each window's end as the last size set per price before the end.
 * No code is shared with the processor or the test decoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { MarketEvent } from '../core/market-events.js';
import { LiquidityWindows, type LiquidityWindow } from './liquidity-window.js';
import { readGeminiEvents } from './test-support/gemini-lines.js';
import { MapBook } from './test-support/map-book.js';

const CAPTURE = fileURLToPath(new URL('../../fixtures/ws/cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl', import.meta.url));

// Rows are numbered in file order (one thread, insertion order kept): a market's first l2_updates
// is its snapshot, and the last size set for a price wins.
const sql = (windowMs: number): string => `
WITH lines AS (
  SELECT row_number() OVER () AS ord, line::JSON AS j
  FROM read_csv($1, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false, max_line_size = 10000000)
), recv AS (
  SELECT ord, (j->>'$.ts')::DOUBLE AS ts, j->>'$.data.type' AS type, j->>'$.data.symbol' AS symbol, j->'$.data' AS d FROM lines WHERE j->>'$.dir' = 'recv'
), l2 AS (
  SELECT ord, symbol, ts * 1000 AS t, ord = min(ord) OVER (PARTITION BY symbol) AS is_snapshot, from_json(d->'$.changes', '["VARCHAR[]"]') AS cs
  FROM recv WHERE type = 'l2_updates'
), changes AS (
  SELECT ord, symbol, t, is_snapshot, unnest(cs) AS c, generate_subscripts(cs, 1) AS i FROM l2
), levels AS (
  SELECT ord, i, symbol, t, is_snapshot, (floor(t / ${windowMs}) * ${windowMs})::BIGINT AS ws, c[1] AS side, c[2]::DECIMAL(18, 10) AS p, c[3]::DECIMAL(18, 10) AS q FROM changes
), w_delta AS (
  SELECT symbol, ws, count(DISTINCT ord) AS events, count(*) FILTER (WHERE side = 'buy') AS bid_levels, count(*) FILTER (WHERE side = 'sell') AS ask_levels,
         coalesce(sum(p * q) FILTER (WHERE side = 'buy'), 0) AS bid_n, coalesce(sum(p * q) FILTER (WHERE side = 'sell'), 0) AS ask_n
  FROM levels WHERE NOT is_snapshot GROUP BY ALL
), trades AS (
  SELECT symbol, (d->>'$.timestamp')::BIGINT // ${windowMs} * ${windowMs} AS ws, (d->>'$.quantity')::DECIMAL(18, 10) AS q, d->>'$.side' AS side FROM recv WHERE type = 'trade'
), w_trade AS (
  SELECT symbol, ws, count(*) AS n, coalesce(sum(q) FILTER (WHERE side = 'buy'), 0) AS buy, coalesce(sum(q) FILTER (WHERE side = 'sell'), 0) AS sell FROM trades GROUP BY ALL
), wins AS (
  SELECT symbol, ws FROM w_delta UNION SELECT symbol, ws FROM w_trade
), book AS (
  SELECT w.symbol, w.ws, l.side, l.p, arg_max(l.q, l.ord * 100000 + l.i) AS q
  FROM wins w JOIN levels l ON l.symbol = w.symbol AND l.t < w.ws + ${windowMs} GROUP BY ALL
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY symbol, ws, side ORDER BY CASE WHEN side = 'buy' THEN -p ELSE p END) AS r FROM book WHERE q > 0
), top AS (
  SELECT symbol, ws, sum(p * q) FILTER (WHERE side = 'buy' AND r <= 10) AS bb, sum(p * q) FILTER (WHERE side = 'sell' AND r <= 10) AS ba,
         max(p) FILTER (WHERE side = 'buy' AND r = 1) AS best_bid, min(p) FILTER (WHERE side = 'sell' AND r = 1) AS best_ask
  FROM ranked GROUP BY ALL
), v AS (
  SELECT symbol, ws,
         coalesce(bid_n, 0)::VARCHAR::DOUBLE AS bid, coalesce(ask_n, 0)::VARCHAR::DOUBLE AS ask, coalesce(bb, 0)::VARCHAR::DOUBLE AS bb, coalesce(ba, 0)::VARCHAR::DOUBLE AS ba,
         coalesce(buy, 0)::VARCHAR::DOUBLE AS buy, coalesce(sell, 0)::VARCHAR::DOUBLE AS sell, best_bid::VARCHAR::DOUBLE AS best_bid, best_ask::VARCHAR::DOUBLE AS best_ask,
         coalesce(events, 0) AS events, coalesce(bid_levels, 0) AS bid_levels, coalesce(ask_levels, 0) AS ask_levels, coalesce(n, 0) AS n
  FROM wins LEFT JOIN w_delta USING (symbol, ws) LEFT JOIN w_trade USING (symbol, ws) LEFT JOIN top USING (symbol, ws)
)
SELECT symbol, ws, bid, ask, CASE WHEN ask = 0 THEN NULL ELSE bid / ask END, bb, ba, CASE WHEN ba = 0 THEN NULL ELSE bb / ba END,
       buy, sell, CASE WHEN buy + sell = 0 THEN NULL ELSE (buy - sell) / (buy + sell) END, best_bid, best_ask, best_ask - best_bid, (best_ask + best_bid) / 2,
       events, bid_levels, ask_levels, n
FROM v ORDER BY symbol, ws`;

const num = (x: unknown): number | null => (x === null ? null : Number(x));

async function duckdbWindows(windowMs: number): Promise<LiquidityWindow[]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    const rows = (await conn.runAndReadAll(sql(windowMs), [CAPTURE])).getRows();
    return rows.map((r) => {
      const n = r.map(num);
      return {
        exchange: 'gemini', symbol: String(r[0]), windowStart: n[1] as number, windowMs,
        bidDeltaNotional: n[2] as number, askDeltaNotional: n[3] as number, deltaRatio: n[4] ?? null,
        topLevels: 10, bookBidNotional: n[5] ?? null, bookAskNotional: n[6] ?? null, bookRatio: n[7] ?? null,
        takerBuyQuantity: n[8] as number, takerSellQuantity: n[9] as number, tradeImbalance: n[10] ?? null,
        bestBid: n[11] ?? null, bestAsk: n[12] ?? null, spread: n[13] ?? null, mid: n[14] ?? null,
        deltaEvents: n[15] as number, bidLevels: n[16] as number, askLevels: n[17] as number, trades: n[18] as number, incomplete: false,
      };
    });
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

function processorWindows(events: readonly MarketEvent[], windowMs: number): { windows: LiquidityWindow[]; late: number } {
  const books = new Map<string, MapBook>();
  const p = new LiquidityWindows({ windowMs, bookFor: (ref) => books.get(ref.symbol) });
  const out: LiquidityWindow[] = [];
  for (const e of events) {
    out.push(...p.onEvent(e));
    if (e.kind === 'book_snapshot' || e.kind === 'book_delta') {
      let book = books.get(e.symbol);
      if (book === undefined) books.set(e.symbol, (book = new MapBook()));
      book.apply(e);
    }
  }
  out.push(...p.tick(Number.MAX_SAFE_INTEGER));
  out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.windowStart - b.windowStart));
  return { windows: out, late: p.late };
}

for (const windowMs of [60_000, 10_000]) {
  test(`liquidity window - recorded Gemini l2 and trades, ${windowMs / 1000} s windows: every field equals DuckDB's computation from the raw capture`, async () => {
    const events = readGeminiEvents(CAPTURE);
    assert.equal(events.filter((e) => e.kind === 'book_delta').length, 645, '655 l2_updates, the first of each of 10 symbols a snapshot');
    const { windows, late } = processorWindows(events, windowMs);
    const expected = await duckdbWindows(windowMs);
    assert.equal(late, 0);
    assert.ok(expected.length >= 10, `windows: ${expected.length}`);
    assert.ok(expected.some((w) => w.trades > 0 && w.tradeImbalance !== null && w.deltaRatio !== null && w.bookRatio !== null), 'the capture exercises every field');
    assert.deepEqual(windows, expected);
  });
}
