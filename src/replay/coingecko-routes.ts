/**
 * CoinGecko `GET /api/v3/coins/markets` under `/coingecko`, served from recorded responses
 * chosen by `vs_currency` and paged honestly: `per_page` 1…250 (default 100), `page` from 1
 * (default 1); a page past the data is `[]`. `order` re-sorts by the documented keys; `ids`
 * filters. Other parameters (sparkline, price_change_percentage, …) are ignored: the
 * recordings were made without them.
 *
 * Errors: 400 with the flat `{"error": "…"}` body. CoinGecko documents 400 "Invalid request"
 * but not its body; `{"error":"invalid vs_currency"}` is the body third parties recorded live,
 * and the other messages here follow that shape without being confirmed.
 *
 * @see https://docs.coingecko.com/reference/coins-markets
 * @see https://docs.coingecko.com/docs/errors-and-rate-limits
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BadInputError } from '../core/errors.js';

const coinSchema = z
  .object({
    id: z.string(),
    market_cap: z.number().nullable(),
    total_volume: z.number().nullable(),
  })
  .passthrough();
type CoinFields = z.infer<typeof coinSchema>;
/** The checked fields used for ordering, and the coin's JSON exactly as recorded (field order kept). */
export interface Coin {
  id: string;
  market_cap: number | null;
  total_volume: number | null;
  json: string;
}

export const MAX_PER_PAGE = 250;
export const DEFAULT_PER_PAGE = 100;
const ORDERS = ['market_cap_desc', 'market_cap_asc', 'volume_desc', 'volume_asc', 'id_asc', 'id_desc'] as const;

/** Loads one recorded `/coins/markets` array (market-cap order, as recorded). */
export function loadMarkets(file: string): Coin[] {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const parsed = z.array(coinSchema).safeParse(raw);
  if (!parsed.success || !Array.isArray(raw)) throw new BadInputError(`${file} is not a /coins/markets body: ${parsed.error?.message ?? ''}`);
  return parsed.data.map((c: CoinFields, i) => ({ id: c.id, market_cap: c.market_cap, total_volume: c.total_volume, json: JSON.stringify(raw[i]) }));
}

function byNumber(key: 'market_cap' | 'total_volume', dir: 1 | -1) {
  // Nulls sort last either way, as an absent cap cannot rank.
  return (a: Coin, b: Coin): number => {
    const x = a[key];
    const y = b[key];
    if (x === null) return y === null ? 0 : 1;
    if (y === null) return -1;
    return dir * (x - y);
  };
}

function sorted(coins: readonly Coin[], order: (typeof ORDERS)[number]): readonly Coin[] {
  switch (order) {
    case 'market_cap_desc':
      return coins;
    case 'market_cap_asc':
      return [...coins].sort(byNumber('market_cap', 1));
    case 'volume_desc':
      return [...coins].sort(byNumber('total_volume', -1));
    case 'volume_asc':
      return [...coins].sort(byNumber('total_volume', 1));
    case 'id_asc':
      return [...coins].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    case 'id_desc':
      return [...coins].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }
}

function bad(reply: FastifyReply, error: string): FastifyReply {
  return reply.code(400).type('application/json').send(JSON.stringify({ error }));
}

function positiveInt(v: unknown, fallback: number): number | null {
  if (v === undefined) return fallback;
  return typeof v === 'string' && /^[0-9]{1,9}$/.test(v) && Number(v) >= 1 ? Number(v) : null;
}

/** Registers the route; `markets` maps a lower-case vs_currency to its recorded coins. */
export function coingeckoRoutes(markets: ReadonlyMap<string, readonly Coin[]>) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // @see https://docs.coingecko.com/reference/ping-server
    app.get('/api/v3/ping', async (_req, reply) => reply.type('application/json').send('{"gecko_says":"(V3) To the Moon!"}'));
    app.get('/api/v3/coins/markets', async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const vs = q.vs_currency;
      if (vs === undefined || vs === '') return bad(reply, 'Missing parameter vs_currency');
      const coins = typeof vs === 'string' ? markets.get(vs.toLowerCase()) : undefined;
      if (!coins) return bad(reply, 'invalid vs_currency');
      const perPage = positiveInt(q.per_page, DEFAULT_PER_PAGE);
      if (perPage === null || perPage > MAX_PER_PAGE) return bad(reply, 'invalid per_page');
      const page = positiveInt(q.page, 1);
      if (page === null) return bad(reply, 'invalid page');
      const order = q.order ?? 'market_cap_desc';
      if (typeof order !== 'string' || !(ORDERS as readonly string[]).includes(order)) return bad(reply, 'invalid order');
      let list = sorted(coins, order as (typeof ORDERS)[number]);
      if (typeof q.ids === 'string' && q.ids !== '') {
        const ids = new Set(q.ids.split(',').map((s) => s.trim().toLowerCase()));
        list = list.filter((c) => ids.has(c.id));
      }
      const from = (page - 1) * perPage;
      return reply.type('application/json; charset=utf-8').send(`[${list.slice(from, from + perPage).map((c) => c.json).join(',')}]`);
    });
  };
}
