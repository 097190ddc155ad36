/**
 * `replayLake`: runs the stream processors over the Parquet lake instead of the live feeds. The
 * lake's events in the receive-time range are read back in arrival-sequence order (streamed: the
 * reader holds one data chunk per open partition), published on a fresh memory bus and fed to
 * StreamProcessors with their own books (ProcessorBooks), ticked by the events' receive clock
 * exactly as live (EventClockDriver). At the end one tick at `to` + grace emits every bar and
 * window that ended by `to`. Bars (source `stream`) and windows are keyed upserts, so replaying a
 * range twice, or over what the live stream already wrote, rewrites the same rows; they are
 * written in batches (BatchedStreamStore), which changes no value.
 */
import { existsSync, statSync } from 'node:fs';
import { MemoryBus } from '../bus/memory/memory-bus.js';
import { BadInputError, ConfigError } from '../core/errors.js';
import type { MarketEvent, MarketRef } from '../core/market-events.js';
import { readLake } from '../store/lake/index.js';
import type { Store } from '../store/store.js';
import { BatchedStreamStore } from './batched-stream-store.js';
import { readOutages } from './stream-resume.js';
import { DEFAULT_TICK_EVERY_MS, EventClockDriver } from './event-clock-driver.js';
import { ProcessorBooks } from './processor-books.js';
import { StreamProcessors, type StreamProcessorCounts } from './stream-processors.js';
import type { StreamPayload } from './stream-payload.js';

/** The processors' default grace for late events (bars and windows), ms. */
export const DEFAULT_GRACE_MS = 2_000;

export interface ReplayLakeOptions {
  lakeRoot: string;
  /** Receive-time range, epoch ms: from inclusive, to exclusive. */
  from: number;
  to: number;
  /** Markets to replay; every market in the lake when absent. */
  markets?: readonly MarketRef[];
  store: Pick<Store, 'writeCandles' | 'upsertSignals'>;
  windowMs: number;
  /** Grace of bars and windows (default 2 s, as live). */
  graceMs?: number;
  tickEveryMs?: number;
  /** Bars and windows buffered before a store write (default 10 000). */
  batchRows?: number;
  /** Called every `progressEvery` events (default 50 000) with the events read and the last receive time. */
  onProgress?: (events: number, receivedAt: number) => void;
  progressEvery?: number;
  /** Told about each event the processors refuse; the replay goes on. */
  onRejected?: (event: MarketEvent, error: BadInputError) => void;
}

export interface ReplayLakeResult extends StreamProcessorCounts {
  /** Lake rows read (every one is published). */
  read: number;
  /** First and last arrival sequence read (null when none). */
  firstSeq: number | null;
  lastSeq: number | null;
  /** Book events the processors' books refused. */
  booksRefused: number;
}

/** Checks the lake folder and the range before anything is read (or a store opened). */
export function checkReplayQuery(o: Pick<ReplayLakeOptions, 'lakeRoot' | 'from' | 'to'>): void {
  if (!Number.isFinite(o.from) || !Number.isFinite(o.to)) throw new BadInputError(`replay: --from ${o.from} and --to ${o.to} must be times`);
  if (o.from >= o.to) throw new BadInputError(`replay: the range is empty: --from ${new Date(o.from).toISOString()} is not before --to ${new Date(o.to).toISOString()}`);
  if (!existsSync(o.lakeRoot)) throw new ConfigError(`replay: no lake folder at ${o.lakeRoot} (set [stream] lake or pass --lake)`);
  if (!statSync(o.lakeRoot).isDirectory()) throw new ConfigError(`replay: lake path ${o.lakeRoot} is not a folder`);
}

/** Whether the lake at `lakeRoot` holds an event of `markets` (default all) received in [from, to). */
export async function lakeHasEvents(lakeRoot: string, from: number, to: number, markets?: ReplayLakeOptions['markets']): Promise<boolean> {
  for await (const _ of readLake(lakeRoot, { from, to, markets })) return true;
  return false;
}

export async function replayLake(o: ReplayLakeOptions): Promise<ReplayLakeResult> {
  checkReplayQuery(o);
  const graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
  const bus = new MemoryBus<StreamPayload>();
  const books = new ProcessorBooks();
  // Windows over a stream process's outage are marked as the live stream marked them (stream-resume.ts).
  const { outages } = await readOutages(o.lakeRoot);
  const marked: ReplayLakeOptions['store'] = { writeCandles: (...args) => o.store.writeCandles(...args), upsertSignals: (ws) => o.store.upsertSignals(ws.map((w) => outages.mark(w))) };
  const store = new BatchedStreamStore(marked, o.batchRows);
  const processors = new StreamProcessors({ bus, store, books, windows: { windowMs: o.windowMs, graceMs }, barGraceMs: graceMs, onRejected: o.onRejected });
  const driver = new EventClockDriver(bus, processors, o.tickEveryMs ?? DEFAULT_TICK_EVERY_MS);
  const progressEvery = o.progressEvery ?? 50_000;
  let read = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastReceived = -Infinity;
  try {
    for await (const { seq, event } of readLake(o.lakeRoot, { from: o.from, to: o.to, markets: o.markets })) {
      firstSeq ??= seq;
      lastSeq = seq;
      lastReceived = Math.max(lastReceived, event.receivedAt);
      await driver.push(event);
      if (++read % progressEvery === 0) o.onProgress?.(read, event.receivedAt);
    }
    // The clock runs to --to only where the live stream's did: when the lake goes on past it. Where
    // the recording ends first (the stream was stopped), it stops at the last event, as the live
    // one did: no flat bars for minutes nobody recorded, no bar for the minute still open then.
    const livePassedTo = await lakeHasEvents(o.lakeRoot, o.to, o.to + graceMs + 60_000, o.markets);
    await driver.finish(livePassedTo ? o.to + graceMs : Math.min(o.to + graceMs, Number.isFinite(lastReceived) ? lastReceived : o.from));
    await store.flush();
  } finally {
    await bus.close();
  }
  return { ...processors.counts, read, firstSeq, lastSeq, booksRefused: books.refused };
}
