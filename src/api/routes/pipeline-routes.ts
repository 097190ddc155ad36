/**
 * The pipeline, for admins only (it spans every user's symbols and shows the jobs' logs): job runs,
 * one run with its tasks and log lines, the gap ledger, and per-day coverage.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isInterval } from '../../core/intervals.js';
import { utcDate } from '../../core/time.js';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { coverageDays } from '../coverage-days.js';
import { exchangeField, idParams, intervalField, intField, symbolField } from '../query-fields.js';

const runStatus = z.enum(['running', 'ok', 'failed', 'partial', 'abandoned']);
const jobSchema = z.object({ id: z.number().int(), kind: z.string(), params: z.record(z.string(), z.unknown()), status: runStatus, startedAt: z.number(), finishedAt: z.number().nullable(), rows: z.number(), summary: z.string().nullable() });
const taskSchema = z.object({
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
const gapSchema = z.object({ exchange: z.string(), symbol: z.string(), interval: z.string(), from: z.number(), to: z.number(), kind: gapKind, status: z.enum(['open', 'repaired', 'unrepairable']), detectedAt: z.number(), note: z.string().nullable() });
const gapCounts = z.object({ hole: z.number(), exchange_outage: z.number(), not_published: z.number(), before_listing: z.number() });

export function registerPipelineRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const admin = { auth: 'admin' as const };

  api.get(
    '/jobs',
    { config: admin, schema: { summary: 'job runs, newest first (admin)', tags: ['pipeline'], querystring: z.object({ limit: intField(1, 1000).default(50) }).strict(), response: { 200: z.object({ jobs: z.array(jobSchema) }) } } },
    async (request) => ({ jobs: await deps.store.listJobs(request.query.limit) }),
  );
  api.get(
    '/jobs/:id',
    { config: admin, schema: { summary: 'one job run with its tasks and their log lines (admin)', tags: ['pipeline'], params: idParams, response: { 200: z.object({ job: jobSchema, tasks: z.array(taskSchema) }) } } },
    async (request) => {
      const found = await deps.store.getJob(request.params.id);
      if (found === null) throw new ApiError(404, `no job run with id ${request.params.id}`, { field: 'params.id' });
      return found;
    },
  );
  api.get(
    '/gaps',
    {
      config: admin,
      schema: {
        summary: 'the gap ledger (admin)',
        tags: ['pipeline'],
        querystring: z.object({ symbol: symbolField.optional(), status: z.enum(['open', 'repaired', 'unrepairable']).optional(), exchange: exchangeField }).strict(),
        response: { 200: z.object({ gaps: z.array(gapSchema) }) },
      },
    },
    async (request) => {
      const { symbol, status, exchange } = request.query;
      return { gaps: await deps.store.listGaps({ exchange, ...(symbol === undefined ? {} : { symbol }), ...(status === undefined ? {} : { status }) }) };
    },
  );
  api.get(
    '/coverage',
    {
      config: admin,
      schema: {
        summary: 'per symbol and UTC day: bars stored, bars expected, and missing bars by gap kind (admin)',
        tags: ['pipeline'],
        querystring: z.object({ symbol: symbolField.optional(), interval: intervalField.optional(), days: intField(1, 366).default(30), exchange: exchangeField }).strict(),
        response: { 200: z.object({ symbols: z.array(z.object({ symbol: z.string(), days: z.array(z.object({ date: z.string(), stored: z.number(), expected: z.number(), gaps: gapCounts })) })) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.now();
      const stored = deps.config.history.interval;
      const interval = q.interval ?? (isInterval(stored) ? stored : '1m');
      let symbols: string[];
      if (q.symbol !== undefined) symbols = [q.symbol];
      else {
        const snapshot = await deps.store.getUniverse(q.exchange, utcDate(now));
        symbols = [...new Set([...(snapshot?.entries ?? []).flatMap((e) => (e.symbol === null ? [] : [e.symbol])), ...deps.config.universe.symbols])];
      }
      const out = [];
      for (const symbol of symbols) out.push({ symbol, days: await coverageDays(deps.store, q.exchange, symbol, interval, q.days, now) });
      return { symbols: out };
    },
  );
}
