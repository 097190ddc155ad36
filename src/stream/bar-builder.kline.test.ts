/**
 * The bar builder against Binance's own klines (fixtures/SOURCES.md): no recorded closed kline is
 * covered by recorded trades, so each market's last in-progress kline of the next minute is used,
 * whose trades (ids k.f..k.L) all arrived as aggregate trades. The bar built from exactly those
 * trades must equal the kline in every field; the trade count is the one field an aggregate
 * cannot give (it counts aggregates), so it is checked as Σ(l − f + 1) beside the builder's count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { BarBuilder } from './bar-builder.js';
import { readAggTradesAndKlines } from './test-support/binance-aggtrade-lines.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/binance-aggtrade-kline-2021.jsonl', import.meta.url));

test('bar builder - equals Binance\'s own kline (spot .US and USD-M futures) built from the same recorded trades', () => {
  const { aggTrades, klines } = readAggTradesAndKlines(FIXTURE);
  assert.equal(klines.filter((k) => k.closed).length, 5, 'the 5 closed klines of the two captures');
  const last = new Map<string, (typeof klines)[number]>();
  for (const k of klines) if (!k.closed) last.set(k.symbol, k);
  const checked: string[] = [];
  for (const k of last.values()) {
    const mine = aggTrades.filter((a) => a.event.symbol === k.symbol && a.firstId >= k.firstId && a.lastId <= k.lastId);
    const covered = mine.reduce((n, a) => n + a.lastId - a.firstId + 1, 0);
    if (covered !== k.candle.trades) continue; // a trade of the kline was not recorded
    const b = new BarBuilder();
    for (const a of mine) assert.deepEqual(b.onTrade(a.event), []);
    const [bar, ...more] = b.tick(k.candle.openTime + 60_000 + 2_000);
    assert.equal(more.length, 0);
    assert.deepEqual({ ...bar?.candle, trades: covered }, k.candle, k.symbol);
    assert.equal(bar?.candle.trades, mine.length, 'one event per aggregate');
    checked.push(`${k.symbol}:${k.candle.trades}`);
  }
  assert.deepEqual(checked.sort(), ['CTKUSDT:36', 'KEEPUSDT:5', 'OMGBUSD:2', 'SUSHIUSDT:18']);
});
