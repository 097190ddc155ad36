/**
 * Preview on a real DuckDB store holding ETHUSDT's real 1h klines of January 2023
 * (fixtures/binance-rest/klines, finom/static-klines): forward returns and the summary are
 * checked against the recorded closes directly.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CandleColumns } from '../core/candle.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { restKlines } from '../store/test-support/fixture-candles.js';
import { previewRule, type Horizon } from './preview.js';
import { parseRuleDraft, type BarRuleDefinition } from './rule-draft.js';

const EX = 'binance';
const HOUR = 3_600_000;
const JAN = Date.UTC(2023, 0, 1);
const END = Date.UTC(2023, 1, 1);
let store: DuckDbStore;
let eth: CandleColumns;

before(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.migrate();
  await store.upsertInstruments([{ exchange: EX, symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', status: 'TRADING', listedAt: JAN }]);
  eth = restKlines('ETHUSDT', '1h', '2023-01-01.json');
  await store.writeCandles({ exchange: EX, symbol: 'ETHUSDT', interval: '1h' }, eth, 'rest');
});
after(async () => {
  await store.close();
});

function define(expression: string, interval: string): BarRuleDefinition {
  const d = parseRuleDraft({ expression, scope: { symbol: 'ETHUSDT' }, interval, channels: ['dashboard'] });
  assert.ok(d.kind === 'bar');
  return d;
}

const HORIZON_MS: Record<Horizon, number> = { '1h': HOUR, '4h': 4 * HOUR, '1d': 24 * HOUR };

test('preview - forward returns are close to close from the firing bar, null past the stored data; the summary is their statistics', async () => {
  const closeAt = new Map(Array.from(eth.openTime, (t, i) => [t + HOUR, eth.close[i] as number]));
  for (const interval of ['1h', '4h']) {
    const len = interval === '1h' ? HOUR : 4 * HOUR;
    const dataEnd = (eth.openTime[eth.length - 1] as number) + HOUR;
    const result = await previewRule({ store, exchange: EX, definition: define('rsi:14 > 55 or close < sma:24', interval), symbols: ['ETHUSDT'], from: dataEnd - 25 * 86_400_000, to: dataEnd, now: dataEnd + 86_400_000, graceMinutes: 0 });
    assert.ok(result.firings.length > 10, interval);
    let nulls = 0;
    for (const f of result.firings) {
      const close = f.openTime + len;
      assert.equal(f.close, closeAt.get(close), 'the firing bar close is the close of its last hour');
      for (const h of ['1h', '4h', '1d'] as const) {
        const later = closeAt.get(close + HORIZON_MS[h]);
        assert.equal(f.returns[h], later === undefined ? null : later / f.close - 1, `${interval} ${h} at ${new Date(f.openTime).toISOString()}`);
        if (later === undefined) nulls++;
      }
    }
    assert.ok(nulls > 0, 'firings in the last day have no 1d return');
    for (const h of ['1h', '4h', '1d'] as const) {
      const rs = result.firings.map((f) => f.returns[h]).filter((r): r is number => r !== null).sort((a, b) => a - b);
      const mid = rs.length >> 1;
      assert.equal(result.summary.median[h], rs.length % 2 ? rs[mid] : ((rs[mid - 1] as number) + (rs[mid] as number)) / 2);
      assert.equal(result.summary.worst[h], rs[0]);
      assert.equal(result.summary.positive[h], rs.filter((r) => r > 0).length / rs.length);
    }
    assert.equal(result.summary.count, result.firings.length);
  }
});

test('preview - bars not yet closed at now are not evaluated; maxFirings lists the first firings only', async () => {
  const def = define('close > 0', '1h');
  const now = Date.UTC(2023, 0, 20, 5, 30);
  const r = await previewRule({ store, exchange: EX, definition: def, symbols: ['ETHUSDT'], from: Date.UTC(2023, 0, 20), to: END, now, graceMinutes: 0, maxFirings: 3 });
  assert.equal(r.summary.count, 5, 'hours 00:00 to 04:00 have closed by 05:30');
  assert.deepEqual(r.firings.map((f) => f.openTime), [0, 1, 2].map((h) => Date.UTC(2023, 0, 20, h)));
});
