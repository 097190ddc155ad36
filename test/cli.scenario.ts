/**
 * The README's promise, checked as a user would: `tickerflow demo`, then `tickerflow candles` prints
 * the 4,320 archive candles exactly, higher intervals equal Binance's own klines, and
 * `tickerflow indicators` prints TD Sequential and support/resistance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDLE_FIELDS } from '../src/core/candle.js';
import { archiveDay } from './support/archive-days.js';
import { runCli } from './support/run-cli.js';
import { recordedKlines } from './support/rest-klines.js';

export function cliScenario(backend: string, makeDb: () => Promise<{ db: string; drop(): Promise<void> }>): void {
  test(`cli on ${backend} - demo, then candles, aggregates and indicators from the stored data`, async () => {
    const { db, drop } = await makeDb();
    try {
      const first = runCli(['--db', db, 'demo', '--no-serve']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /backfill BTCUSDT +3 archive files \(4320 rows\)/);
      assert.match(first.stdout, /4320 candles stored, 4320 added by this run/);
      const second = runCli(['--db', db, 'demo', '--no-serve']);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /4320 candles stored, 0 added by this run/);

      const csv = runCli(['--db', db, 'candles', 'BTCUSDT', '--interval', '1m', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-04T00:00:00Z', '--format', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const lines = csv.stdout.trim().split('\n');
      assert.equal(lines[0], 'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote,complete');
      assert.equal(lines.length, 4321);
      let row = 1;
      for (const day of ['2020-01-01', '2020-01-02', '2020-01-03'] as const) {
        const a = archiveDay(day);
        for (let i = 0; i < a.length; i++, row++) {
          const cells = (lines[row] as string).split(',').map(Number);
          CANDLE_FIELDS.forEach((f, j) => assert.equal(cells[j], a[f][i], `${day} row ${i} ${f}`));
        }
      }

      // The 1d aggregate of the stored 1m candles equals Binance's own 1d klines (recorded REST response).
      const daily = runCli(['--db', db, 'candles', 'BTCUSDT', '--interval', '1d', '--from', '2020-01-01', '--to', '2020-01-04', '--format', 'json']);
      assert.equal(daily.code, 0, daily.stderr);
      const got: unknown = JSON.parse(daily.stdout);
      const recorded = recordedKlines(new URL('../fixtures/binance-rest/klines/BTCUSDT/1d/2020-01-01.json', import.meta.url));
      assert.ok(Array.isArray(got) && got.length === 3);
      got.forEach((g: Record<string, number>, i) => {
        for (const f of CANDLE_FIELDS) assert.equal(g[f], recorded[f][i], `1d candle ${i} ${f}`);
      });

      const ind = runCli(['--db', db, 'indicators', 'BTCUSDT', '--interval', '1h', '--from', '2020-01-02', '--to', '2020-01-04', '--ind', 'rsi:14,td,sr']);
      assert.equal(ind.code, 0, ind.stderr);
      assert.equal(ind.stderr, '', 'complete 1m history under the bars: no note');
      const [header = '', ...rows] = ind.stdout.split('\n');
      for (const col of ['rsi14', 'td_buy_setup', 'td_sell_countdown', 'td_buy_perfected', 'td_tdst_resistance', 'sr_support', 'sr_resistance']) assert.ok(header.includes(col), col);
      assert.equal(rows.filter((r) => /^2020-01-0[23] /.test(r)).length, 48);
      assert.match(ind.stdout, /support\/resistance levels at 2020-01-03 23:00/);
      // Two days before 2020-01-02 of warm-up make the 9 of the buy setup at 2020-01-02 03:00 visible.
      assert.match(ind.stdout, /2020-01-02 03:00 +7129\.61 +\d+\.\d+ +9 /);
      // Each column has one number of decimals (7180.00 beside 7242.98, not 7180 beside 7242.9800).
      const ends = [...header.matchAll(/\S+/g)].map((m) => (m.index ?? 0) + m[0].length);
      const bars = rows.filter((r) => /^2020-01-0[23] /.test(r));
      ends.slice(1).forEach((end, j) => {
        const decimals = new Set(bars.map((r) => r.slice(ends[j]!, end).trim()).filter((cell) => cell !== '').map((cell) => cell.split('.')[1]?.length ?? 0));
        assert.ok(decimals.size <= 1, `column ${j + 1}: decimals ${[...decimals].join(', ')}`);
      });
      assert.match(ind.stdout, /2020-01-02 01:00 +7190\.99 /);

      // Two specs writing one column: refused before anything is printed, naming both.
      const clash = runCli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-02', '--to', '2020-01-04', '--ind', 'macd,rsi,macd:5:35:5']);
      assert.equal(clash.code, 1);
      assert.equal(clash.stdout, '');
      assert.match(clash.stderr, /macd: macd:12:26:9 and macd:5:35:5 both write column macd_macd/);
      // Warm-up candles stored, none in the window: said, not an empty table alone.
      const empty = runCli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-05', '--to', '2020-01-06']);
      assert.equal(empty.code, 0, empty.stderr);
      assert.equal(empty.stdout, 'open_time  close  rsi14\n0 bars in the window\n');
      const none = runCli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2025-01-02', '--to', '2025-01-03']);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no 1h candles of BTCUSDT stored from 2024-11-21 08:00 \(--from less --warmup 1000 bars\) to 2025-01-03 00:00 UTC; run backfill first/);
    } finally {
      await drop();
    }
  });
}
