/**
 * Routes of the replay's websocket side: Binance spot market streams under `/binance`
 * (`/binance/ws`, `/binance/ws/<stream>`, `/binance/stream?streams=a/b`), Gemini market data v2
 * (`/gemini/v2/marketdata`) with the recorded REST symbol list and details ccxt loads markets
 * from (`/gemini/v1/symbols`, `/gemini/v1/symbols/details/<symbol>`), Bitvavo websocket API v2
 * (`/bitvavo/v2/`) with its REST order book (`/bitvavo/v2/<market>/book`), BTCTurk's feed
 * (`/btcturk`) with its REST order book (`/btcturk/api/v2/orderbook?pairSymbol=`), and the
 * control endpoints `POST /_ws/faults` and `GET /_ws/stats`. Register after `@fastify/websocket`.
 */
import type { FastifyInstance } from 'fastify';
import type { ReplayWs } from './replay-ws.js';
import { wsFaultSchema } from './ws-faults.js';

function queryText(q: unknown, key: string): string | undefined {
  const v = typeof q === 'object' && q !== null ? (q as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function streamList(q: unknown): string[] {
  return (queryText(q, 'streams') ?? '').split('/').filter((s) => s !== '');
}

/** A positive whole number from a query string, or undefined when absent or anything else. */
function positiveInt(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9]\d{0,5}$/.test(text) ? Number(text) : undefined;
}

/** BTCTurk's most levels a side (PROTOCOLS.md §5: larger limits got 100). */
const BTCTURK_MAX_LEVELS = 100;

export function wsRoutes(ws: ReplayWs) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/binance/ws', { websocket: true }, (socket) => ws.openBinance(socket, false, []));
    // A raw stream's name is the path; ccxt connects to `/ws/<n>` and then SUBSCRIBEs.
    app.get('/binance/ws/*', { websocket: true }, (socket, req) => {
      const name = (req.params as Record<string, string | undefined>)['*'] ?? '';
      ws.openBinance(socket, false, name === '' ? [] : [name]);
    });
    app.get('/binance/stream', { websocket: true }, (socket, req) => ws.openBinance(socket, true, streamList(req.query)));

    app.get('/gemini/v2/marketdata', { websocket: true }, (socket) => ws.openGemini(socket));
    app.get('/gemini/v2/marketdata/', { websocket: true }, (socket) => ws.openGemini(socket));
    app.get('/gemini/v1/symbols', async (_req, reply) => reply.type('application/json').send(ws.geminiRestBody('/v1/symbols')));
    app.get('/gemini/v1/symbols/details/:symbol', async (req, reply) => {
      const symbol = ((req.params as Record<string, string | undefined>).symbol ?? '').toLowerCase();
      const body = ws.geminiRestBody(`/v1/symbols/details/${symbol}`);
      // The recording holds 71 symbols' details; for any other the replay has nothing to say.
      if (body === undefined) return reply.code(404).type('text/plain').send(`replay: no recorded details for symbol "${symbol}"`);
      return reply.type('application/json').send(body);
    });

    app.get('/bitvavo/v2', { websocket: true }, (socket) => ws.openBitvavo(socket));
    app.get('/bitvavo/v2/', { websocket: true }, (socket) => ws.openBitvavo(socket));
    app.get('/bitvavo/v2/:market/book', async (req, reply) => {
      const market = (req.params as Record<string, string | undefined>).market ?? '';
      const body = ws.bitvavoBook(market, positiveInt(queryText(req.query, 'depth')));
      if (body === undefined) return reply.code(404).type('text/plain').send(`replay: no recorded book for market "${market}"`);
      return reply.type('application/json').send(body);
    });

    app.get('/btcturk', { websocket: true }, (socket) => ws.openBtcturk(socket));
    app.get('/btcturk/', { websocket: true }, (socket) => ws.openBtcturk(socket));
    app.get('/btcturk/api/v2/orderbook', async (req, reply) => {
      const given = queryText(req.query, 'pairSymbol') ?? '';
      const limit = Math.min(BTCTURK_MAX_LEVELS, positiveInt(queryText(req.query, 'limit')) ?? BTCTURK_MAX_LEVELS);
      const body = ws.btcturkOrderbook(given.replace('_', ''), limit);
      // The exchange's own answer to an unknown pair (recorded with HTTP 400, shared SOURCES §11.3).
      if (body === undefined) return reply.code(400).type('application/json').send(JSON.stringify({ success: false, message: `Pair ${given} does not exists.`, code: 1037 }));
      return reply.type('application/json').send(body);
    });

    app.post('/_ws/faults', async (req, reply) => {
      const parsed = wsFaultSchema.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply.code(400).send({ error: `fault: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}` });
      }
      return reply.send(ws.inject(parsed.data));
    });
    app.get('/_ws/stats', async (_req, reply) => reply.send(ws.stats()));
  };
}
