/**
 * Preview of one rule over a year of 1m candles (issue 16's speed goal: < 1 s), on a DuckDB store
 * filled as bench/store/measure-scale.ts fills it: the three real USD-M futures monthly files
 * bundled in fixtures/ (LINKUSDT 2023-02, AVAXUSDT 2024-02, LTCUSDT 2026-02; fixtures/SOURCES.md)
 * time-shifted into the twelve months of 2020, month m from file m mod 3, day d of a month from the
 * file's day d mod 28. Timing data: the values are real candles, the calendar is derived.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandleColumns } from '../../src/core/candle.js';
import { previewRule } from '../../src/alerts/preview.js';
import { parseRuleDraft } from '../../src/alerts/rule-draft.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { readRealMonths, timeShiftedMonth } from '../time-shifted-month.js';

const YEAR = Date.UTC(2020, 0, 1);
const SYMBOL = 'YEARUSDT';

function derivedMonth(sources: readonly CandleColumns[], m: number): CandleColumns {
  return timeShiftedMonth(sources[m % sources.length] as CandleColumns, m, 28);
}

export interface PreviewYearCase {
  expression: string;
  interval: string;
  frequency: string;
  firings: number;
  ms: number;
  cpuMs: number;
}

export async function measurePreviewYear(log: (line: string) => void, rounds = 3): Promise<{ rows: number; cases: PreviewYearCase[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'tickerflow-alerts-bench-'));
  const store = await DuckDbStore.open(join(dir, 'year.duckdb'));
  try {
    await store.migrate();
    await store.upsertInstruments([{ exchange: 'binance', symbol: SYMBOL, base: 'YEAR', quote: 'USDT', status: 'TRADING', listedAt: YEAR }]);
    const sources = readRealMonths();
    let rows = 0;
    for (let m = 0; m < 12; m++) {
      const month = derivedMonth(sources, m);
      rows += await store.writeCandles({ exchange: 'binance', symbol: SYMBOL, interval: '1m' }, month, 'archive');
    }
    log(`bench alerts: store holds ${rows} 1m rows of ${SYMBOL}`);
    const cases: PreviewYearCase[] = [];
    for (const [expression, interval, frequency] of [
      ['rsi:14 < 30 and close > ema:200@4h', '1h', 'once_per_bar_close'],
      ['close crosses_above bbands.upper and volume > 3 * sma:20(volume)', '1h', 'once_per_bar_close'],
      ['rsi:14 < 25', '1m', 'once_per_bar_close'],
      // Evaluated on every minute of each forming hour too: the year of 1m is read, and each minute peeked.
      ['rsi:14 < 30 and close > ema:200@4h', '1h', 'once_per_bar'],
    ] as const) {
      const definition = parseRuleDraft({ expression, scope: { symbol: SYMBOL }, interval, frequency, channels: ['dashboard'] });
      if (definition.kind !== 'bar') throw new Error('a bar rule');
      let best = Infinity;
      let bestCpu = Infinity;
      let firings = 0;
      for (let r = 0; r < rounds; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const result = await previewRule({ store, exchange: 'binance', definition, symbols: [SYMBOL], from: YEAR, to: Date.UTC(2021, 0, 1), now: Date.UTC(2021, 0, 2), graceMinutes: 10, maxFirings: 1000 });
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(c0);
        best = Math.min(best, ms);
        bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
        firings = result.summary.count;
      }
      log(`bench alerts: preview ${interval} ${frequency} ${expression}: ${firings} firings, best ${best.toFixed(0)} ms`);
      cases.push({ expression, interval, frequency, firings, ms: best, cpuMs: bestCpu });
    }
    return { rows, cases };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
