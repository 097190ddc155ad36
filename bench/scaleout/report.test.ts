import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndToEndFigures } from '../stream/end-to-end.js';
import { median, parseDoneSeconds, scaleOutReport, type ScaleOutFigures } from './report.js';
import { replayUrlsFromBanner } from './workers.js';

const e2e = (p50: number): EndToEndFigures => ({
  speed: 5, seconds: 30, framesSent: 7000, events: 6900, malformed: 0, gaps: 0,
  trades: { count: 6000, p50, p99: p50 * 10, max: p50 * 20 }, bars: { count: 5, p50: 30, p99: 70, max: 70 }, barWrite: { count: 5, p50: 20, p99: 40, max: 40 },
});

function figures(busVsBare: number): ScaleOutFigures {
  return {
    parse: [{ exchange: 'bitvavo', messages: 'm', count: 100_000, ceiling: 300_000, ours: 250_000, oursVsCeiling: 0.83 }],
    parseRounds: 9,
    publish: { events: 20_000, window: 256, rounds: 3, eventBytes: 190, bus: 8_000, bare: 10_000, busVsBare, busAwaited: 2_400, awaitedEvents: 2_000 },
    endToEnd: { memory: e2e(1.2), nats: e2e(48) },
    workers: { size: '4x6', latencyMs: 50, rows: 1_000_000, files: 24, runs: [{ workers: 0, seconds: [10, 12] }, { workers: 1, seconds: [20, 22, 30] }, { workers: 2, seconds: [8] }] },
    load: { parse: 9.04, publish: 8, endToEnd: 7, workers: 6 },
    quick: true,
  };
}

test('scaleout bench - median of odd and even counts, and none is an error', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median of no values/);
});

test('scaleout bench - the backfill time is read from its "done in" line, a missing line is an error quoting the output', () => {
  assert.equal(parseDoneSeconds('backfill job 7 done in 12.5 s (details: tickerflow jobs show 7)\n'), 12.5);
  assert.throws(() => parseDoneSeconds('backfill failed'), /no "done in" line: backfill failed/);
});

test('scaleout bench - the replay URLs are read from the replay server banner', () => {
  const banner = 'replay server listening on http://127.0.0.1:4100 (simulated now …)\n  binance REST   http://127.0.0.1:4100/binance\n  archive data   http://127.0.0.1:4100/vision\n  archive list   http://127.0.0.1:4100/s3\n  coingecko      http://127.0.0.1:4100/coingecko/api/v3\n';
  assert.deepEqual(replayUrlsFromBanner(banner), { binance: 'http://127.0.0.1:4100/binance', archiveData: 'http://127.0.0.1:4100/vision', archiveList: 'http://127.0.0.1:4100/s3', coingecko: 'http://127.0.0.1:4100/coingecko/api/v3' });
  assert.throws(() => replayUrlsFromBanner('replay server listening on http://x\n'), /no "binance REST" line/);
});

test('scaleout bench - the report shows the publish goal met or not, worker medians against the in-process median, and the load', () => {
  const md = scaleOutReport(figures(0.8));
  assert.match(md, /\| bus \/ bare \(goal ≥ 0\.7×\) \| 0\.80× \(met\) \|/);
  assert.match(scaleOutReport(figures(0.65)), /0\.65× \(NOT met\)/);
  // in process median 11 s; 1 worker median 22 s = 0.50×, 45 k candles/s; 2 workers 8 s = 1.38×.
  assert.match(md, /\| in process \(`backfill`, no `--bus`\) \| 10\.0, 12\.0 \| 11\.0 s \| 91 k \| 1\.00× \|/);
  assert.match(md, /\| 1 worker \| 20\.0, 22\.0, 30\.0 \| 22\.0 s \| 45 k \| 0\.50× \|/);
  assert.match(md, /\| 2 workers \| 8\.0 \| 8\.0 s \| 125 k \| 1\.38× \|/);
  assert.match(md, /\| NATS JetStream \| trade frame sent → processors done \| 6,000 \| 48 \| 480 \| 960 \|/);
  assert.match(md, /\| in process \| trade frame sent → processors done \| 6,000 \| 1\.2 \| 12 \| 24 \|/);
  assert.match(md, /parse 9\.0, publish 8\.0/);
  assert.match(md, /\| bitvavo \| m \| 100,000 \| 300 k \| 250 k \| 0\.83× \|/);
});

test('scaleout bench - a report without the in-process baseline is an error', () => {
  const f = figures(1);
  f.workers.runs = [{ workers: 1, seconds: [5] }];
  assert.throws(() => scaleOutReport(f), /no in-process baseline/);
});
