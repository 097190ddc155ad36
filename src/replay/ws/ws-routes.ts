/**
 * Routes of the replay's websocket side: Binance spot market streams under `/binance`
 * (`/binance/ws`, `/binance/ws/<stream>`, `/binance/stream?streams=a/b`), Gemini market data v2
 * (`/gemini/v2/marketdata`) with the recorded REST symbol list and details ccxt loads markets
 * from (`/gemini/v1/symbols`, `/gemini/v1/symbols/details/<symbol>`), and the control endpoints
 * `POST /_ws/faults` and `GET /_ws/stats`. Register after `@fastify/websocket`.
 */
import type { FastifyInstance } from 'fastify';
import type { ReplayWs } from './replay-ws.js';
import { wsFaultSchema } from './ws-faults.js';

function streamList(q: unknown): string[] {
  const v = typeof q === 'object' && q !== null ? (q as Record<string, unknown>).streams : undefined;
  return typeof v === 'string' ? v.split('/').filter((s) => s !== '') : [];
}

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
