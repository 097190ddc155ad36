/**
 * Pure mappers from Binance spot REST trade pages to the TradeEvents the stream mappers
 * (stream-mappers.ts) produce for the same trades, so a trade fetched by id after a restart is
 * indistinguishable from the one the websocket would have sent (only its receive time differs).
 *
 * - `GET /api/v3/historicalTrades` row `{id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch}`
 *   is the `trade` stream's `{t, p, q, T, m, M}`: id `id`, time `time`, taker side from `isBuyerMaker`.
 * - `GET /api/v3/aggTrades` row `{a, p, q, f, l, T, m, M}` is the `aggTrade` stream's payload
 *   without `e`, `E` and `s`: id `a`, time `T`, taker side from `m`.
 *
 * A page is taken whole or refused whole (BadInputError naming the row and field): a backfill
 * never feeds half a page. Rows must come in ascending id order, as Binance sends them.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#old-trade-lookup
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#compressedaggregate-trades-list
 */
import { BadInputError } from '../../../core/errors.js';
import type { TradeEvent } from '../../../core/market-events.js';
import { booleanField, decimalField, describe, integerField, isObject, type JsonObject } from '../../ws/json-fields.js';

/** Which REST trade list: `historicalTrades` pages `trade` ids, `aggTrades` pages `aggTrade` ids. */
export type BinanceTradeList = 'historicalTrades' | 'aggTrades';

function rows(body: unknown, what: string): JsonObject[] {
  if (!Array.isArray(body)) throw new BadInputError(`${what}: expected a JSON array of trades, got ${describe(body)}`);
  return body.map((r: unknown, i) => {
    if (!isObject(r)) throw new BadInputError(`${what} row ${i}: expected an object, got ${describe(r)}`);
    return r;
  });
}

function ascending(events: TradeEvent[], what: string): TradeEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (Number((events[i] as TradeEvent).tradeId) <= Number((events[i - 1] as TradeEvent).tradeId)) {
      throw new BadInputError(`${what} row ${i}: id ${(events[i] as TradeEvent).tradeId} does not follow ${(events[i - 1] as TradeEvent).tradeId}`);
    }
  }
  return events;
}

/** The field names of a REST trade page's rows: `historicalTrades` (the `trade` stream's twin) or `aggTrades`. */
interface TradeRowFields {
  endpoint: string;
  time: string;
  id: string;
  price: string;
  quantity: string;
  buyerMaker: string;
}

function mapTradePage(body: unknown, symbol: string, receivedAt: number, f: TradeRowFields): TradeEvent[] {
  const what = `binance ${f.endpoint} ${symbol}`;
  const events = rows(body, what).map((r, i): TradeEvent => {
    const w = `${what} row ${i}`;
    return {
      kind: 'trade',
      exchange: 'binance',
      symbol,
      receivedAt,
      exchangeTime: integerField(r, f.time, w),
      tradeId: String(integerField(r, f.id, w)),
      price: decimalField(r, f.price, w),
      quantity: decimalField(r, f.quantity, w),
      takerSide: booleanField(r, f.buyerMaker, w) ? 'sell' : 'buy',
    };
  });
  return ascending(events, what);
}

/** A `historicalTrades` page of `symbol` as TradeEvents, as `mapTrade` maps the `trade` stream. */
export function mapHistoricalTrades(body: unknown, symbol: string, receivedAt: number): TradeEvent[] {
  return mapTradePage(body, symbol, receivedAt, { endpoint: 'historicalTrades', time: 'time', id: 'id', price: 'price', quantity: 'qty', buyerMaker: 'isBuyerMaker' });
}

/** An `aggTrades` page of `symbol` as TradeEvents, as `mapAggTrade` maps the `aggTrade` stream. */
export function mapAggTradesPage(body: unknown, symbol: string, receivedAt: number): TradeEvent[] {
  return mapTradePage(body, symbol, receivedAt, { endpoint: 'aggTrades', time: 'T', id: 'a', price: 'p', quantity: 'q', buyerMaker: 'm' });
}
