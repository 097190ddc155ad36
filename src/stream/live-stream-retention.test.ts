/**
 * `[stream] lake_retention_days`: a running stream deletes the lake's partitions of days before
 * the retention (by receive date) when it starts, and keeps the recent ones; 0 keeps everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../core/config.js';
import { parseMarketRef, type MarketEvent } from '../core/market-events.js';
import { utcDate } from '../core/time.js';
import { startReplayServer } from '../replay/index.js';
import { LakeWriter } from '../store/lake/lake-writer.js';
import { mergedCapture } from '../store/lake/test-support/capture-events.js';
import { openStore } from '../store/open-store.js';
import { LiveStream } from './live-stream.js';
import { liveStreamOptions } from './live-stream-config.js';

const DAY_MS = 86_400_000;

/** The events moved so that the first one was received at `at`, their order and spacing kept. */
function receivedFrom(events: readonly MarketEvent[], at: number): MarketEvent[] {
  const shift = at - (events[0] as MarketEvent).receivedAt;
  return events.map((e) => ({ ...e, receivedAt: e.receivedAt + shift }));
}

test('live stream - applies the lake retention at start: partitions older than the retention go, recent ones stay', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-lake-retention-'));
  const lake = join(dir, 'lake');
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const store = await openStore(join(dir, 'store.duckdb'));
  try {
    const now = Date.now();
    const capture = mergedCapture(['btcusdt_20240808'], 40).filter((e) => e.kind === 'trade');
    const writer = await LakeWriter.open(lake);
    for (const e of [...receivedFrom(capture.slice(0, 10), now - 40 * DAY_MS), ...receivedFrom(capture.slice(10, 20), now - DAY_MS)]) await writer.write(e);
    await writer.close();
    const partition = (t: number): string => join(lake, 'kind=trade', 'exchange=binance', 'symbol=BTCUSDT', `date=${utcDate(t)}`);
    assert.ok(existsSync(partition(now - 40 * DAY_MS)) && existsSync(partition(now - DAY_MS)), 'both days written');

    const config = configSchema.parse({ stream: { lake, markets: ['gemini:FILUSD'] } });
    assert.equal(liveStreamOptions(configSchema.parse({ stream: { lake_retention_days: 0 } }), store, () => undefined).lakeRetentionDays, null, '0 keeps everything');
    const lines: string[] = [];
    const options = liveStreamOptions(config, store, (l) => lines.push(l));
    assert.equal(options.lakeRetentionDays, 30, 'the default');
    const stream = await LiveStream.start({ ...options, markets: [parseMarketRef('gemini:FILUSD')], urls: { ...options.urls, geminiWs: replay.urls.geminiWs } });
    await stream.stop();
    await stream.done;
    assert.equal(existsSync(partition(now - 40 * DAY_MS)), false, 'the day 40 days back is deleted');
    assert.ok(existsSync(partition(now - DAY_MS)), 'yesterday is kept');
    assert.ok(lines.some((l) => /lake retention 30 days: deleted 1 partitions \(kind=trade\/exchange=binance\/symbol=BTCUSDT\/date=/.test(l)), lines.join('\n'));
  } finally {
    await store.close();
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
