import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { computeIndicators, parseIndicatorSpecs } from '../indicators/catalog.js';
import { concatRows } from '../store/contract/contract-helpers.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import type { CandleFormat } from './format-candles.js';
import { streamIndicators } from './indicator-export.js';
import { IndicatorStreams } from './indicator-streams.js';
import { streamSink } from './output-sink.js';

const SPECS = 'rsi:14,macd,bbands:20::3,td,sr,adx,stochrsi,vwap,kama,patterns';
const DAY = Date.UTC(2020, 0, 1);
const later = Date.UTC(2021, 0, 1);

async function run(store: Store, interval: '1m' | '1h', from: number, printFrom: number, format: CandleFormat, chunkRows?: number): Promise<string> {
  let text = '';
  const sink = streamSink(new Writable({ write: (c: Buffer, _e, cb) => { text += c.toString(); cb(); } }));
  const w = { exchange: 'binance', symbol: 'BTCUSDT', interval, from, to: DAY + 3 * 86_400_000 };
  await streamIndicators(store, w, printFrom, new IndicatorStreams(parseIndicatorSpecs(SPECS)), { format, closeDecimals: undefined, sink, now: later, chunkRows });
  return text;
}

test('streamIndicators - streamed in small chunks equals the batch computation over the whole window, bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-ind-'));
  // The demo data: the 4,320 real BTCUSDT minutes of 2020-01-01 … 03.
  const store = await openStore(join(dir, 'x.duckdb'));
  try {
    await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, concatRows(btcusdtDay(1), btcusdtDay(2), btcusdtDay(3)), 'archive');
    for (const [interval, printFrom, chunkRows] of [['1h', DAY + 86_400_000, 5], ['1m', DAY + 86_400_000 + 123 * 60_000, 333]] as const) {
      const whole = interval === '1m'
        ? await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval }, DAY, DAY + 3 * 86_400_000)
        : await store.aggregateCandles('binance', 'BTCUSDT', interval, DAY, DAY + 3 * 86_400_000);
      const batch = computeIndicators(parseIndicatorSpecs(SPECS), { open: whole.open, high: whole.high, low: whole.low, close: whole.close, volume: whole.volume, openTime: whole.openTime });
      const first = whole.openTime.findIndex((t) => t >= printFrom);
      const json = JSON.parse(await run(store, interval, DAY, printFrom, 'json', chunkRows)) as { bars: Array<Record<string, number | null | boolean>>; levels: unknown };
      assert.equal(json.bars.length, whole.length - first);
      json.bars.forEach((bar, k) => {
        const i = first + k;
        assert.equal(bar.open_time, whole.openTime[i]);
        assert.equal(bar.close, whole.close[i]);
        assert.equal(bar.complete, true);
        for (const [name, v] of batch.columns) {
          const x = v[i] as number;
          if (bar[name] !== (Number.isFinite(x) ? x : null)) assert.fail(`${interval} ${name} at ${k}: streamed ${bar[name]}, batch ${x}`);
        }
      });
      assert.deepEqual(json.levels, JSON.parse(JSON.stringify(batch.levels)));
      // And the CSV does not depend on the chunking.
      assert.equal(await run(store, interval, DAY, printFrom, 'csv', chunkRows), await run(store, interval, DAY, printFrom, 'csv'));
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
