/**
 * Binance spot REST under `/binance`: `/api/v3/klines`, `/api/v3/exchangeInfo`, `/api/v3/time`,
 * `/api/v3/ping`, `/api/v3/depth` (the websocket replay's books, see `ws/binance-capture.ts`),
 * `/api/v3/historicalTrades` (the replay's recorded trades by id, see `ws/binance-trade-tape.ts`), with REQUEST_WEIGHT accounting on the simulated clock. Every response carries
 * `X-MBX-USED-WEIGHT-1M`; over the limit the answer is 429, and 418 (ban) for a client that
 * keeps sending after a 429, both with `Retry-After` in (simulated) seconds.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#old-trade-lookup
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimClock } from './sim-clock.js';
import type { WeightLimiter } from './weight-limiter.js';
import { isKlineInterval } from './kline-intervals.js';
import type { KlineCatalog } from './kline-catalog.js';
import type { ExchangeInfoDoc } from './exchange-info-doc.js';
import { selectKlines } from './kline-query.js';
import type { DerivedSeries } from './scale/derived-series.js';
import { derivedKlines } from './scale/derived-klines.js';
import { scaleSymbolIndex } from './scale/scale-layout.js';
import { BinanceParamError, invalid, mandatory, single, symbolParam, timestampParam, unsigned } from './binance-params.js';

export interface BinanceRoutesContext {
  clock: SimClock;
  limiter: WeightLimiter;
  klines: KlineCatalog;
  exchangeInfo: ExchangeInfoDoc;
  /** Scale mode's derived symbols, served over REST at 1m from the same rows as their zips. */
  scale?: DerivedSeries | undefined;
  /** `/api/v3/depth` body for a symbol and limit now; undefined when none was recorded. */
  depth?: ((symbol: string, limit: number) => string | undefined) | undefined;
  /** `/api/v3/historicalTrades` body for a symbol now; undefined when no trades of it were recorded. */
  historicalTrades?: ((symbol: string, limit: number, fromId: number | undefined) => string | undefined) | undefined;
}

/** Request weights (rest-api.md, current values; klines and exchangeInfo doubled on 2023-08-25). */
export const WEIGHTS: Record<string, number> = {
  '/api/v3/klines': 2,
  '/api/v3/exchangeInfo': 20,
  '/api/v3/time': 1,
  '/api/v3/ping': 1,
  '/api/v3/historicalTrades': 25,
};
export const DEFAULT_DEPTH_LIMIT = 100;
/** "If limit > 5000, the response will truncate to 5000." */
export const MAX_DEPTH_LIMIT = 5000;

/**
 * `/api/v3/depth` weight by limit: 1–100 → 5, 101–500 → 25, 501–1000 → 50, 1001–5000 → 250. The
 * replay's own copy of the exchange's table, not the client's (capabilities.ts): a client that
 * got it wrong must be caught by the replay's 429s.
 */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

function requestWeight(path: string, query: unknown): number {
  if (path === '/api/v3/depth') {
    const raw = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).limit : undefined;
    const limit = typeof raw === 'string' && /^[0-9]{1,20}$/.test(raw) ? Number(raw) : DEFAULT_DEPTH_LIMIT;
    return depthWeight(Math.min(limit, MAX_DEPTH_LIMIT));
  }
  return WEIGHTS[path] ?? 1;
}
export const DEFAULT_KLINES_LIMIT = 500;
/** `historicalTrades`: "Default 500; max 1000." */
export const DEFAULT_TRADES_LIMIT = 500;
export const MAX_TRADES_LIMIT = 1000;
export const MAX_KLINES_LIMIT = 1000;

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof BinanceParamError) return reply.code(400).type('application/json').send(JSON.stringify(err.body));
  throw err;
}

/** Registers the Binance routes; mount with `{ prefix: '/binance' }`. */
export function binanceRoutes(ctx: BinanceRoutesContext) {
  const { clock, limiter, klines, exchangeInfo, scale, depth, historicalTrades } = ctx;
  const dataSymbols = klines.symbolsWithData();
  const known = (s: string): boolean => exchangeInfo.symbols.has(s) || dataSymbols.has(s);
  const usedWeight = new WeakMap<FastifyRequest, number>();

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.slice('/binance'.length).split('?')[0] ?? '';
      const decision = limiter.charge(clock.now(), requestWeight(path, req.query));
      usedWeight.set(req, decision.usedWeight);
      if (decision.status === 200) return;
      const limit = limiter.limit;
      const msg =
        decision.status === 429
          ? `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`
          : `Way too much request weight used; IP banned until ${clock.now() + decision.retryAfterSec * 1000}. Please use WebSocket Streams for live updates to avoid bans.`;
      reply.code(decision.status).header('Retry-After', String(decision.retryAfterSec)).type('application/json');
      return reply.send(JSON.stringify({ code: -1003, msg }));
    });
    app.addHook('onSend', async (req, reply, payload) => {
      reply.header('X-MBX-USED-WEIGHT-1M', String(usedWeight.get(req) ?? limiter.usedAt(clock.now())));
      return payload;
    });

    app.get('/api/v3/ping', async (_req, reply) => reply.type('application/json').send('{}'));
    app.get('/api/v3/time', async (_req, reply) => reply.type('application/json').send(JSON.stringify({ serverTime: clock.now() })));

    app.get('/api/v3/exchangeInfo', async (req, reply) => {
      try {
        const q = req.query as Record<string, unknown>;
        const one = single(q, 'symbol');
        const many = single(q, 'symbols');
        if (one === undefined && many === undefined) return reply.type('application/json').send(exchangeInfo.body(clock.now()));
        let list: unknown = [one];
        if (many !== undefined) {
          try {
            list = JSON.parse(many);
          } catch {
            throw invalid('symbols');
          }
        }
        if (!Array.isArray(list) || list.length === 0 || !list.every((s): s is string => typeof s === 'string')) throw invalid('symbols');
        for (const s of list) symbolParam({ symbol: s }, (x) => exchangeInfo.symbols.has(x));
        return reply.type('application/json').send(exchangeInfo.bodyFor(list, clock.now()));
      } catch (err) {
        return sendError(reply, err);
      }
    });

    app.get('/api/v3/klines', async (req, reply) => {
      try {
        const q = req.query as Record<string, unknown>;
        const symbol = symbolParam(q, known);
        const interval = mandatory(q, 'interval');
        if (!isKlineInterval(interval)) return sendError(reply, new BinanceParamError({ code: -1120, msg: 'Invalid interval.' }));
        const startTime = timestampParam(q, 'startTime');
        const endTime = timestampParam(q, 'endTime');
        const limit = unsigned(q, 'limit') ?? DEFAULT_KLINES_LIMIT;
        if (limit < 1 || limit > MAX_KLINES_LIMIT) throw invalid('limit');
        // The replay serves UTC candles only; an offset would move the 1d+ grid.
        const tz = single(q, 'timeZone');
        if (tz !== undefined && !/^[+-]?0{1,2}(:00)?$/.test(tz)) throw invalid('timeZone');
        const derived = scale ? scaleSymbolIndex(scale.spec, symbol) : -1;
        if (scale && derived >= 0) {
          // Derived symbols are cut from 1m months; no other interval is derived for them.
          if (interval !== '1m') throw new BinanceParamError({ code: -1120, msg: 'Invalid interval.' });
          return reply.type('application/json').send(`[${derivedKlines(scale, derived, { startTime, endTime, limit, now: clock.now() }).join(',')}]`);
        }
        const table = klines.table(symbol, interval);
        const { from, to } = selectKlines(table.openTime, { startTime, endTime, limit, now: clock.now() });
        return reply.type('application/json').send(`[${table.rows.slice(from, to).join(',')}]`);
      } catch (err) {
        return sendError(reply, err);
      }
    });

    if (depth) {
      app.get('/api/v3/depth', async (req, reply) => {
        try {
          const q = req.query as Record<string, unknown>;
          const symbol = symbolParam(q, known);
          const limit = unsigned(q, 'limit') ?? DEFAULT_DEPTH_LIMIT;
          if (limit < 1) throw invalid('limit');
          const body = depth(symbol, Math.min(limit, MAX_DEPTH_LIMIT));
          // Only depth that was recorded is served; any other symbol is answered as unknown.
          if (body === undefined) throw new BinanceParamError({ code: -1121, msg: 'Invalid symbol.' });
          return reply.type('application/json').send(body);
        } catch (err) {
          return sendError(reply, err);
        }
      });
    }

    if (historicalTrades) {
      app.get('/api/v3/historicalTrades', async (req, reply) => {
        try {
          const q = req.query as Record<string, unknown>;
          const symbol = symbolParam(q, known);
          const limit = unsigned(q, 'limit') ?? DEFAULT_TRADES_LIMIT;
          if (limit < 1 || limit > MAX_TRADES_LIMIT) throw invalid('limit');
          const fromId = unsigned(q, 'fromId');
          // A symbol the exchange lists but the replay recorded no trades of has had none.
          return reply.type('application/json').send(historicalTrades(symbol, limit, fromId) ?? '[]');
        } catch (err) {
          return sendError(reply, err);
        }
      });
    }

    app.setNotFoundHandler(async (_req, reply) => reply.code(404).type('text/html').send('<html><body><h2>404 Not found</h2></body></html>'));
  };
}
