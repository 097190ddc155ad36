/**
 * The live path for the replay tests: each event goes to the lake writer (which gives it its
 * arrival sequence) and onto a memory bus read by StreamProcessors with ProcessorBooks, ticked by
 * the events' receive clock (EventClockDriver) — the way the live runner feeds them, minus the
 * websockets. The recorded events come from the captures (see recordedEvents).
 */
import { fileURLToPath } from 'node:url';
import { MemoryBus } from '../../bus/memory/memory-bus.js';
import type { MarketEvent } from '../../core/market-events.js';
import { LakeWriter, type LakeWriterOptions } from '../../store/lake/index.js';
import { mergedCapture } from '../../store/lake/test-support/capture-events.js';
import type { Store } from '../../store/store.js';
import { EventClockDriver } from '../event-clock-driver.js';
import { ProcessorBooks } from '../processor-books.js';
import { DEFAULT_GRACE_MS } from '../replay-lake.js';
import { StreamProcessors, type StreamProcessorCounts } from '../stream-processors.js';
import type { StreamPayload } from '../stream-payload.js';
import { readGeminiEvents } from './gemini-lines.js';

const GEMINI = fileURLToPath(new URL('../../../fixtures/ws/cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl', import.meta.url));

/**
 * Recorded events in receive order: 5.8 minutes of Binance BTCUSDT and ETHUSDT (trades, depth
 * diffs, the REST snapshots; fixtures/ws/hftbacktest, decoded by the lake's test decoder) after the
 * recorded Gemini v2 session (l2 with null exchange times, trades).
 */
export function recordedEvents(): MarketEvent[] {
  const binance = mergedCapture(['btcusdt_20240808', 'ethusdt_20240808']);
  return [...readGeminiEvents(GEMINI), ...binance].sort((a, b) => a.receivedAt - b.receivedAt);
}

export interface LivePathOptions {
  lakeRoot: string;
  store: Pick<Store, 'writeCandles' | 'upsertSignals'>;
  windowMs: number;
  writer?: LakeWriterOptions;
  /** Called after each event is written and published, with its index in `events`. */
  afterEvent?: (index: number) => Promise<void> | void;
}

/** Runs `events` through the live path; with `finishAt` it ends with the final tick there (as a replay to `finishAt - grace` does). */
export async function runLivePath(events: readonly MarketEvent[], o: LivePathOptions, finishAt?: number): Promise<StreamProcessorCounts> {
  const writer = await LakeWriter.open(o.lakeRoot, o.writer);
  const bus = new MemoryBus<StreamPayload>();
  const processors = new StreamProcessors({ bus, store: o.store, books: new ProcessorBooks(), windows: { windowMs: o.windowMs, graceMs: DEFAULT_GRACE_MS }, barGraceMs: DEFAULT_GRACE_MS });
  const driver = new EventClockDriver(bus, processors);
  try {
    for (const [i, e] of events.entries()) {
      await writer.write(e);
      await driver.push(e);
      await o.afterEvent?.(i);
    }
    await writer.close();
    if (finishAt !== undefined) await driver.finish(finishAt);
    else await processors.stop();
  } finally {
    await bus.close();
  }
  return processors.counts;
}
