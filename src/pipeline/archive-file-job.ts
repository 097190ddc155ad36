/**
 * The queued form of "load one archive file of one series into the store" (what the backfill
 * does per file in process), and of its outcome. Both cross process boundaries, so both are
 * parsed with a schema on the way in.
 */
import { z } from 'zod';
import { INTERVALS } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import type { IngestReason } from './archive-plan.js';
import type { ArchiveFile } from './sources.js';

export const ARCHIVE_FILE_JOB = 'archive-file';

export interface ArchiveFileJob {
  /** The backfill run that waits for it (its results subject). */
  run: string;
  /**
   * The backfill's job in the store, whose params hold `run`: a worker whose store has no such
   * job serves another store, and hands the job back.
   */
  backfillJobId: number;
  series: SeriesKey;
  file: ArchiveFile;
  /** Rows before this open time are left out (the backfill's window start). */
  keepFrom: number;
  reason: IngestReason;
}

export interface ArchiveFileOutcome {
  key: string;
  /** `loaded` by this delivery; `already loaded` (a redelivery, or a file another run loaded); `rejected` with `error`. */
  status: 'loaded' | 'already loaded' | 'rejected';
  /** Rows of the file in the store (after trimming). */
  rows: number;
  /** Rows this delivery inserted or changed. */
  written: number;
  /** Bytes downloaded. */
  bytes: number;
  error?: string;
}

const jobSchema = z.strictObject({
  run: z.string().min(1),
  backfillJobId: z.number().int().positive(),
  series: z.strictObject({ exchange: z.string().min(1), symbol: z.string().min(1), interval: z.enum(INTERVALS) }),
  file: z.strictObject({
    key: z.string().min(1),
    period: z.enum(['daily', 'monthly']),
    start: z.number().int(),
    end: z.number().int(),
    size: z.number().int().nonnegative().optional(),
    lastModified: z.number().int().optional(),
  }),
  keepFrom: z.number().int(),
  reason: z.enum(['new', 'republished', 'earlier rows wanted']),
});

const outcomeSchema = z.strictObject({
  key: z.string().min(1),
  status: z.enum(['loaded', 'already loaded', 'rejected']),
  rows: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  error: z.string().optional(),
});

const enc = new TextEncoder();
const dec = new TextDecoder();

export const encodeArchiveFileJob = (job: ArchiveFileJob): Uint8Array => enc.encode(JSON.stringify(job));
export const encodeArchiveFileOutcome = (o: ArchiveFileOutcome): Uint8Array => enc.encode(JSON.stringify(o));

/** Throws (ZodError or SyntaxError) on anything but a well-formed job. */
export function decodeArchiveFileJob(bytes: Uint8Array): ArchiveFileJob {
  return jobSchema.parse(JSON.parse(dec.decode(bytes)));
}

export function decodeArchiveFileOutcome(bytes: Uint8Array): ArchiveFileOutcome {
  return outcomeSchema.parse(JSON.parse(dec.decode(bytes)));
}

/** The enqueue's de-duplication id: a publish retried after a lost ack is stored once per run. */
export function archiveFileJobId(job: ArchiveFileJob): string {
  return `${job.run}:${job.file.key}`;
}
