/** The JSON shapes of the pipeline routes: the routes validate their answers with them, the CLI reads them back through them. */
import { z } from 'zod';

const runStatus = z.enum(['running', 'ok', 'failed', 'partial', 'abandoned']);
export const jobSchema = z.object({ id: z.number().int(), kind: z.string(), params: z.record(z.string(), z.unknown()), status: runStatus, startedAt: z.number(), finishedAt: z.number().nullable(), rows: z.number(), summary: z.string().nullable() });
export const taskSchema = z.object({
  id: z.number().int(),
  jobId: z.number().int(),
  name: z.string(),
  status: runStatus,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  rows: z.number(),
  error: z.string().nullable(),
  logs: z.array(z.object({ taskId: z.number().int(), at: z.number(), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() })),
});
const gapKind = z.enum(['not_published', 'before_listing', 'exchange_outage', 'hole']);
export const gapSchema = z.object({ exchange: z.string(), symbol: z.string(), interval: z.string(), from: z.number(), to: z.number(), kind: gapKind, status: z.enum(['open', 'repaired', 'unrepairable']), detectedAt: z.number(), note: z.string().nullable() });
export const gapCountsSchema = z.object({ hole: z.number(), exchange_outage: z.number(), not_published: z.number(), before_listing: z.number() });
const tallies = z.partialRecord(gapKind, z.object({ gaps: z.number(), candles: z.number() }));
export const gapListRowSchema = z.object({ symbol: z.string(), start: z.number().nullable(), first: z.number().nullable(), last: z.number().nullable(), stored: z.number(), expected: z.number(), open: tallies, unrepairable: tallies });
