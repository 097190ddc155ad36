/**
 * The pipeline, for admins only (it spans every user's symbols and shows the jobs' logs): job runs,
 * one run with its tasks and log lines, the gap ledger, and per-day coverage.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isInterval, type Interval } from '../../core/intervals.js';
import { parseTime, utcDate } from '../../core/time.js';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { coverageDays } from '../coverage-days.js';
import { gapCountsSchema, gapListRowSchema, gapSchema, jobSchema, taskSchema } from '../pipeline-schemas.js';
import { gapListRows } from '../../pipeline/gap-list-rows.js';
import { followedSymbols } from '../../pipeline/universe-job.js';
import { exchangeField, idParams, intervalField, intField, symbolField, timeField } from '../query-fields.js';

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
    '/gaps/summary',
    {
      config: admin,
      schema: {
        summary: 'per symbol: candles stored and expected since listing (or since), first and last candle, open and unrepairable gaps by kind — what `tickerflow gaps --list` prints (admin)',
        tags: ['pipeline'],
        querystring: z
          .object({
            symbols: z.string().max(2000).optional().describe('comma-separated; default: the followed symbols'),
            since: timeField.optional(),
            interval: intervalField.optional(),
            exchange: exchangeField,
          })
          .strict(),
        response: { 200: z.object({ rows: z.array(gapListRowSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.now();
      const symbols = q.symbols === undefined ? await followedSymbols(deps.store, q.exchange, utcDate(now), deps.config.universe.symbols) : parseSymbols(q.symbols);
      const since = q.since ?? (deps.config.history.since === undefined ? undefined : parseTime(deps.config.history.since));
      return { rows: await gapListRows(deps.store, q.exchange, symbols, q.interval ?? storedInterval(deps), since, now) };
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
        response: { 200: z.object({ symbols: z.array(z.object({ symbol: z.string(), days: z.array(z.object({ date: z.string(), stored: z.number(), expected: z.number(), gaps: gapCountsSchema })) })) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const now = deps.now();
      const interval = q.interval ?? storedInterval(deps);
      const symbols = q.symbol !== undefined ? [q.symbol] : await followedSymbols(deps.store, q.exchange, utcDate(now), deps.config.universe.symbols);
      const out = [];
      for (const symbol of symbols) out.push({ symbol, days: await coverageDays(deps.store, q.exchange, symbol, interval, q.days, now) });
      return { symbols: out };
    },
  );
}

/** The interval the pipeline stores (`[history] interval`). */
function storedInterval(deps: RouteDeps): Interval {
  const i = deps.config.history.interval;
  return isInterval(i) ? i : '1m';
}

function parseSymbols(text: string): string[] {
  return text.split(',').map((s, i) => {
    const parsed = symbolField.safeParse(s.trim());
    if (!parsed.success) throw new ApiError(400, `query.symbols: "${s}" (item ${i + 1}) is not an exchange symbol such as BTCUSDT`, { field: 'query.symbols' });
    return parsed.data;
  });
}
