/**
 * The queued form of the scheduler's per-symbol work (what `up` runs in process each cycle), and
 * of its outcome. Both cross process boundaries, so both are parsed with a schema on the way in.
 *
 * One symbol per job: a job's writes are its own series' (each REST page, each archive file one
 * transaction), its lease covers one series' work, a redelivery redoes one symbol, and a worker
 * killed mid-job delays that symbol only. Kinds:
 * - `sync`: top the series up from REST to the cycle's minute (exclusive);
 * - `gaps`: find the series' holes since `since` (or listing) and repair them from REST;
 * - `reconcile`: load the symbol's newly published (or re-published) archive files.
 */
import { z } from 'zod';
import { floorToInterval, INTERVALS } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';

export const SERIES_JOB_KINDS = ['sync', 'gaps', 'reconcile'] as const;
export type SeriesJobKind = (typeof SERIES_JOB_KINDS)[number];

/** Bumped when a field changes meaning; a worker drops a version it does not know as malformed. */
export const SERIES_JOB_VERSION = 1;

export interface SeriesJob {
  v: typeof SERIES_JOB_VERSION;
  kind: SeriesJobKind;
  /** The scheduler run that waits for it (its results subject). */
  run: string;
  /**
   * The scheduler's cycle job in the store, whose params hold `run`: a worker whose store has no
   * such job serves another store, and hands the job back.
   */
  cycleJobId: number;
  series: SeriesKey;
  /** The cycle's minute by the exchange's clock: a sync's end (floored to the interval), and part of the job's id. */
  cycle: number;
  /** Earliest open time kept (gaps, reconcile); null: since listing. */
  since: number | null;
}

export interface SeriesJobOutcome {
  v: typeof SERIES_JOB_VERSION;
  /** The job's id (seriesJobId). */
  id: string;
  /** `done`; `needs backfill` (a sync of a series with nothing stored); `failed` with `error`. */
  status: 'done' | 'needs backfill' | 'failed';
  /** Rows this delivery wrote (sync: fetched; gaps: repaired; reconcile: archive rows). */
  rows: number;
  /** The worker's job in the store that did it. */
  jobId: number;
  error?: string;
}

const seriesSchema = z.strictObject({ exchange: z.string().min(1), symbol: z.string().min(1), interval: z.enum(INTERVALS) });

const jobSchema = z.strictObject({
  v: z.literal(SERIES_JOB_VERSION),
  kind: z.enum(SERIES_JOB_KINDS),
  run: z.string().min(1),
  cycleJobId: z.number().int().positive(),
  series: seriesSchema,
  cycle: z.number().int(),
  since: z.number().int().nullable(),
});

const outcomeSchema = z.strictObject({
  v: z.literal(SERIES_JOB_VERSION),
  id: z.string().min(1),
  status: z.enum(['done', 'needs backfill', 'failed']),
  rows: z.number().int().nonnegative(),
  jobId: z.number().int().positive(),
  error: z.string().optional(),
});

const enc = new TextEncoder();
const dec = new TextDecoder();

export const isSeriesJobKind = (kind: string): kind is SeriesJobKind => (SERIES_JOB_KINDS as readonly string[]).includes(kind);

export const encodeSeriesJob = (job: SeriesJob): Uint8Array => enc.encode(JSON.stringify(job));
export const encodeSeriesJobOutcome = (o: SeriesJobOutcome): Uint8Array => enc.encode(JSON.stringify(o));

/** Throws (ZodError, SyntaxError, or an Error naming the mismatch) on anything but a well-formed job of `kind`, the kind it was queued as. */
export function decodeSeriesJob(kind: string, bytes: Uint8Array): SeriesJob {
  const job = jobSchema.parse(JSON.parse(dec.decode(bytes)));
  if (job.kind !== kind) throw new Error(`a ${job.kind} job queued as ${kind}`);
  return job;
}

export function decodeSeriesJobOutcome(bytes: Uint8Array): SeriesJobOutcome {
  return outcomeSchema.parse(JSON.parse(dec.decode(bytes)));
}

/**
 * The job's id, also its enqueue's de-duplication id: `<kind>:<exchange>:<symbol>:<interval>:<cycle minute>`.
 * Two schedulers on one store (or one restarted within the minute) that queue the same cycle's
 * work store it once, whichever run queued it.
 */
export function seriesJobId(job: Pick<SeriesJob, 'kind' | 'series' | 'cycle'>): string {
  const { exchange, symbol, interval } = job.series;
  return `${job.kind}:${exchange}:${symbol}:${interval}:${isoMinute(floorToInterval(job.cycle, '1m'))}`;
}
