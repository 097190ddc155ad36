/**
 * Market data for any signed-in user: the universe table, candles (streamed, JSON or CSV) and
 * indicators over stored bars. Times are epoch ms or ISO-8601 UTC; windows default as the CLI's.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { barWindow } from '../../core/bar-window.js';
import { ConfigError } from '../../core/errors.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import { incrementDecimals } from '../../core/instrument.js';
import { isExchangeSymbol } from '../../core/market-events.js';
import { utcDate } from '../../core/time.js';
import { computeIndicators, parseIndicatorSpecs } from '../../indicators/catalog.js';
import type { Store } from '../../store/store.js';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { candleText } from '../candle-stream.js';
import { exchangeField, intervalField, intField, marketSymbolField, streamExchangeField, symbolField, timeField } from '../query-fields.js';
import { signedIn } from '../request-auth.js';
import { universeRows, universeSymbols } from '../universe-summary.js';
import { armedCounts } from '../armed-rules.js';

/** Most bars one indicators answer computes over (warm-up included): the answer is one JSON document. */
export const MAX_INDICATOR_BARS = 200_000;

const windowQuery = { symbol: symbolField, interval: intervalField.default('1h'), from: timeField.optional(), to: timeField.optional(), exchange: exchangeField };

export const universeRowSchema = z.object({
  symbol: z.string(),
  rank: z.number().int().nullable(),
  last: z.number().nullable(),
  change24h: z.number().nullable(),
  rsi14: z.number().nullable(),
  td: z.object({ buySetup: z.number(), sellSetup: z.number() }).nullable(),
  alertsArmed: z.number().int(),
  priceDecimals: z.number().int().nullable(),
});

const levelSchema = z.object({ price: z.number(), kind: z.enum(['support', 'resistance']), touches: z.number(), strength: z.number(), breaks: z.number(), firstTouchTime: z.number().nullable(), lastTouchTime: z.number().nullable() });

export function registerMarketRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/universe',
    {
      schema: {
        summary: 'the followed symbols with price, 24 h change, RSI(14), TD setup counts and your armed alerts',
        tags: ['market'],
        querystring: z.object({ exchange: exchangeField, interval: intervalField.default('1h') }).strict(),
        response: { 200: z.object({ asOf: z.number(), interval: z.string(), symbols: z.array(universeRowSchema) }) },
      },
    },
    async (request) => {
      const user = signedIn(request);
      const now = deps.now();
      const { exchange, interval } = request.query;
      const symbols = await universeSymbols(deps.store, exchange, deps.config.universe.symbols, utcDate(now));
      const rows = await universeRows(deps.store, exchange, symbols, interval, now);
      const armed = await armedCounts(deps.store, user.id, rows, now);
      return { asOf: now, interval, symbols: rows.map((r) => ({ ...r, alertsArmed: armed.get(r.symbol) ?? 0 })) };
    },
  );

  api.get(
    '/candles',
    {
      schema: {
        summary: 'stored candles of a symbol, streamed; intervals above the stored one are aggregated in the database',
        description: 'JSON `{symbol, interval, priceDecimals, volumeDecimals, columns, rows}` (rows are `[openTime, open, high, low, close, volume, complete]`) or CSV with the same columns. --to is exclusive; from defaults to one day before to at 1m, 500 bars at other intervals.',
        tags: ['market'],
        querystring: z
          .object({
            ...windowQuery,
            // A streamed market's 1m bars are stored under its exchange and its own symbol (`tickerflow stream`).
            symbol: marketSymbolField,
            exchange: streamExchangeField,
            format: z.enum(['json', 'csv']).default('json'),
            columns: z.enum(['chart', 'all']).default('chart').describe('chart: openTime, OHLC, volume, complete; all: every stored field in the archive order (as `tickerflow candles --format csv`), then complete'),
          })
          .strict()
          .superRefine((q, ctx) => {
            if (!isExchangeSymbol(q.exchange, q.symbol)) ctx.addIssue({ code: 'custom', path: ['symbol'], message: `expected an exchange symbol as ${q.exchange} spells it, e.g. ${q.exchange === 'bitvavo' ? 'BTC-EUR' : 'BTCUSDT'}` });
          }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = deps.now();
      const window = queryWindow(q.interval, q.from, q.to, now);
      const instrument = await knownSymbol(deps.store, q.exchange, q.symbol);
      const price = incrementDecimals(instrument?.tickSize);
      const volume = incrementDecimals(instrument?.stepSize);
      const abort = new AbortController();
      // The response's close: the client went away (or the answer is complete, when aborting is moot).
      reply.raw.once('close', () => abort.abort());
      const text = candleText(
        deps.store,
        {
          exchange: q.exchange,
          symbol: q.symbol,
          interval: q.interval,
          ...window,
          priceDecimals: price ?? null,
          volumeDecimals: volume ?? null,
          now,
          columns: q.columns,
        },
        q.format,
        abort.signal,
      );
      reply.type(q.format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8');
      // CSV has no place for them in its body: the CLI's table takes its decimals from these.
      if (price !== undefined) reply.header('x-price-decimals', String(price));
      if (volume !== undefined) reply.header('x-volume-decimals', String(volume));
      return reply.send(Readable.from(text, { objectMode: false }));
    },
  );

  api.get(
    '/indicators',
    {
      schema: {
        summary: 'indicators over stored bars, one column per output (null during warm-up)',
        tags: ['market'],
        querystring: z
          .object({
            ...windowQuery,
            ind: z.string().min(1).max(500).default('rsi:14').describe('comma-separated specs as the CLI takes them: rsi:14,ema:20,macd:12:26:9,td,sr'),
            warmup: intField(0, MAX_INDICATOR_BARS).default(1000).describe('bars before from fed to the indicators first'),
          })
          .strict(),
        response: {
          200: z.object({ symbol: z.string(), interval: z.string(), openTime: z.array(z.number()), columns: z.record(z.string(), z.array(z.number().nullable())), levels: z.array(levelSchema).optional() }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const specs = parseIndicatorSpecs(q.ind);
      const window = queryWindow(q.interval, q.from, q.to, deps.now());
      const len = intervalMs(q.interval);
      const start = window.from - q.warmup * len;
      if ((window.to - start) / len > MAX_INDICATOR_BARS) {
        throw new ApiError(400, `the window with its warm-up spans more than ${MAX_INDICATOR_BARS.toLocaleString('en-US')} bars; narrow from/to or lower warmup`, { field: 'query.from' });
      }
      await knownSymbol(deps.store, q.exchange, q.symbol);
      const bars = await deps.store.aggregateCandles(q.exchange, q.symbol, q.interval, start, window.to);
      const out = computeIndicators(specs, { open: bars.open, high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, openTime: bars.openTime });
      let first = 0;
      while (first < bars.length && (bars.openTime[first] as number) < window.from) first++;
      const columns: Record<string, Array<number | null>> = {};
      for (const [name, values] of out.columns) columns[name] = Array.from(values.subarray(first, bars.length), finiteOrNull);
      const levels = out.levels?.map((l) => ({ price: l.price, kind: l.kind, touches: l.touches, strength: l.strength, breaks: l.breaks, firstTouchTime: finiteOrNull(l.firstTouchTime), lastTouchTime: finiteOrNull(l.lastTouchTime) }));
      return { symbol: q.symbol, interval: q.interval, openTime: Array.from(bars.openTime.subarray(first, bars.length)), columns, ...(levels === undefined ? {} : { levels }) };
    },
  );
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The CLI's window defaults; a window that does not move forward names `query.to`. */
function queryWindow(interval: Interval, from: number | undefined, to: number | undefined, now: number): { from: number; to: number } {
  try {
    return barWindow(interval, from, to, now, { from: 'from', to: 'to' });
  } catch (err) {
    if (err instanceof ConfigError) throw new ApiError(400, err.message, { field: 'query.to' });
    throw err;
  }
}

/** The symbol's instrument; 404 naming `query.symbol` when the store knows nothing of it. */
async function knownSymbol(store: Store, exchange: string, symbol: string): Promise<{ tickSize?: string | null; stepSize?: string | null } | undefined> {
  const instrument = (await store.listInstruments(exchange)).find((i) => i.symbol === symbol);
  if (instrument !== undefined) return instrument;
  for (const interval of ['1m', '1h'] as const) if ((await store.lastOpenTime({ exchange, symbol, interval })) !== null) return undefined;
  throw new ApiError(404, `no symbol ${symbol} on ${exchange} in this store`, { field: 'query.symbol' });
}
