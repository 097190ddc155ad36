// A script as a library user writes it: everything from 'tickerflow' (the package's own name,
// resolved through package.json "exports" to dist/). Offline: it starts the bundled replay server,
// backfills BTCUSDT into a DuckDB file of its own, reads the candles back and prints a summary.
// Usage: node backfill-script.mjs <duckdb file>
import {
  configSchema,
  createLogger,
  createReplaySources,
  openStore,
  parseTime,
  rsi,
  runBackfillJob,
  runGapsJob,
  startReplayServer,
} from 'tickerflow';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node backfill-script.mjs <duckdb file>');

const replay = await startReplayServer({ now: '2020-01-04T00:00:30Z', speed: 0, publicationLagMs: 0 });
const store = await openStore(file);
try {
  const config = configSchema.parse({ universe: { top: 0, symbols: ['BTCUSDT'] } });
  const sources = createReplaySources(config, replay);
  const logger = createLogger('warn');
  const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' };
  const { results } = await runBackfillJob(store, sources, logger, { symbols: ['BTCUSDT'], interval: '1m' });
  const gaps = await runGapsJob(store, sources, logger, { symbols: ['BTCUSDT'], interval: '1m', repair: true });

  // Read back and roll each UTC day up by hand (open of its first minute, close of its last).
  const candles = await store.readCandles(series, parseTime('2020-01-01'), parseTime('2020-01-04'));
  const days = [];
  for (let i = 0; i < candles.length; i++) {
    const day = Math.floor(candles.openTime[i] / 86_400_000);
    let d = days.at(-1);
    if (d === undefined || d.day !== day) days.push((d = { day, open: candles.open[i], high: -Infinity, low: Infinity, close: 0, volume: 0, minutes: 0 }));
    d.high = Math.max(d.high, candles.high[i]);
    d.low = Math.min(d.low, candles.low[i]);
    d.close = candles.close[i];
    d.volume += candles.volume[i];
    d.minutes++;
  }
  const closes = candles.close.subarray(0, candles.length);
  const rsi14 = rsi(closes, 14);
  process.stdout.write(`${JSON.stringify({ results, gaps: gaps.found, rows: candles.length, days, lastRsi14: rsi14[rsi14.length - 1] })}\n`);
} finally {
  await store.close();
  await replay.close();
}
