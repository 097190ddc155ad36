/**
 * The live stream for any signed-in user: its books and counters (`/stream/status`, null fields
 * when this server runs no stream) and the liquidity windows it stored (`/signals`). The
 * dashboard polls both; the bars are the candles route's (`exchange`, interval 1m).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';
import { parseMarketRef, type MarketRef } from '../../core/market-events.js';
import { LIQUIDITY_VALUE_FIELDS } from '../../store/signal-records.js';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { intField, timeField } from '../query-fields.js';
import { signedIn } from '../request-auth.js';

/** Most windows one `/signals` answer spans (a week of 60 s windows): the answer is one JSON document. */
export const MAX_SIGNAL_WINDOWS = 10_080;
const DAY_MS = 86_400_000;

const marketField = z
  .string()
  .max(60)
  .transform((s, ctx): MarketRef => {
    try {
      return parseMarketRef(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof BadInputError ? err.message : 'invalid market' });
      return z.NEVER;
    }
  })
  .describe('exchange:symbol as the stream names it, e.g. gemini:BTCGBP');

const windowSchema = z.object({
  windowStart: z.number(),
  ...Object.fromEntries(LIQUIDITY_VALUE_FIELDS.map((f) => [f, z.number().nullable()])),
  incomplete: z.boolean().describe('the window overlaps an outage of the stream process: its values are not the whole window\'s'),
});

const bookSchema = z.object({
  market: z.string(),
  exchange: z.string(),
  symbol: z.string(),
  synced: z.boolean(),
  bids: z.number().int(),
  asks: z.number().int(),
  gaps: z.number().int(),
  resyncs: z.number().int(),
  crossed: z.number().int(),
  malformed: z.number().int(),
  lastBarOpenTime: z.number().nullable().describe('open time of the newest stored 1m bar of the market (any source)'),
});

export function registerStreamRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/stream/status',
    {
      schema: {
        summary: "the live stream's books (synced, gaps, resyncs) and counters; running false when this server streams nothing",
        tags: ['stream'],
        response: {
          200: z.object({
            running: z.boolean(),
            events: z.number().int(),
            bars: z.number().int(),
            windows: z.number().int(),
            lakeFiles: z.number().int(),
            markets: z.array(bookSchema),
          }),
        },
      },
    },
    async (request) => {
      signedIn(request);
      const s = deps.stream?.status() ?? null;
      if (s === null) return { running: false, events: 0, bars: 0, windows: 0, lakeFiles: 0, markets: [] };
      const markets = await Promise.all(
        s.exchanges.flatMap((x) =>
          x.books.map(async (b) => ({
            market: `${x.exchange}:${b.symbol}`,
            exchange: x.exchange,
            symbol: b.symbol,
            synced: b.synced,
            bids: b.bids,
            asks: b.asks,
            gaps: b.gaps,
            resyncs: b.resyncs,
            crossed: b.crossed,
            malformed: b.malformed,
            lastBarOpenTime: await deps.store.lastOpenTime({ exchange: x.exchange, symbol: b.symbol, interval: '1m' }),
          })),
        ),
      );
      return { running: true, events: s.events, bars: s.processors.bars, windows: s.processors.windows, lakeFiles: s.lakeFiles, markets };
    },
  );

  api.get(
    '/signals',
    {
      schema: {
        summary: 'stored liquidity windows of a streamed market (definitions: LiquidityWindow), ascending by window start',
        description: `from ≤ windowStart < to; to defaults to now, from to one day before to; at most ${MAX_SIGNAL_WINDOWS} windows' span.`,
        tags: ['stream'],
        querystring: z
          .object({
            market: marketField,
            from: timeField.optional(),
            to: timeField.optional(),
            window: intField(1000, DAY_MS).default(60_000).describe('window length in ms, as the stream was configured (default 60000)'),
          })
          .strict(),
        response: { 200: z.object({ market: z.string(), windowMs: z.number(), from: z.number(), to: z.number(), windows: z.array(windowSchema) }) },
      },
    },
    async (request) => {
      signedIn(request);
      const q = request.query;
      const to = q.to ?? deps.now();
      const from = q.from ?? to - DAY_MS;
      if (from >= to) throw new ApiError(400, 'to must be after from', { field: 'query.to' });
      if ((to - from) / q.window > MAX_SIGNAL_WINDOWS) {
        throw new ApiError(400, `from..to spans more than ${MAX_SIGNAL_WINDOWS.toLocaleString('en-US')} windows of ${q.window} ms; narrow it`, { field: 'query.from' });
      }
      const rows = await deps.store.readSignals(q.market.exchange, q.market.symbol, q.window, from, to);
      const windows = rows.map((w) => {
        const out: Record<string, number | null> = { windowStart: w.windowStart };
        for (const f of LIQUIDITY_VALUE_FIELDS) out[f] = w[f];
        return { ...(out as { windowStart: number } & Record<(typeof LIQUIDITY_VALUE_FIELDS)[number], number | null>), incomplete: w.incomplete };
      });
      return { market: `${q.market.exchange}:${q.market.symbol}`, windowMs: q.window, from, to, windows };
    },
  );
}
