/**
 * Pure mappers for Bitvavo websocket v2 frames and the REST order book, each taking the frame's
 * text (for the exact nanosecond timestamp, see exact-time.ts) and the local receive time.
 * @see https://docs.bitvavo.com/docs/websocket-api/book-subscription
 * @see https://docs.bitvavo.com/docs/ws-market-data-pro-api/trades-subscription (trade event example)
 * @see https://docs.bitvavo.com/docs/rest-api/get-order-book/
 *
 * - `{"event":"book","market","nonce","bids","asks","timestamp"}` → BookDeltaEvent with
 *   first = last sequence = `nonce`; size "0" removes a level. Prices may be zero-padded
 *   ("75516.00"): levels are numbers, so "75516" and "75516.00" are one level.
 * - `{"action":"getBook","response":{market,nonce,bids,asks,timestamp}}` (the websocket snapshot)
 *   and the REST body `{market,nonce,bids,asks,timestamp}` → BookSnapshotEvent, sequence `nonce`.
 * - `{"event":"trade","id","amount","price","timestamp"(ms),"market","side"}` → TradeEvent, `side`
 *   being the taker's.
 * - A confirmation carries `subscriptions` (the book page's example even says `"event":"book"`),
 *   so it is told apart by that field, not by `event`. Tickers and other answers map to nothing;
 *   an answer with `errorCode` is the exchange refusing a request.
 */
import { BadInputError } from '../../core/errors.js';
import type { BookDeltaEvent, BookSnapshotEvent, TradeEvent } from '../../core/market-events.js';
import { decimalField, describe, integerField, isObject, levelsField, parseJsonText, stringField, type JsonObject } from '../ws/json-fields.js';
import { bitvavoTimestampMs } from './exact-time.js';

export type BitvavoMessage =
  | BookDeltaEvent
  | BookSnapshotEvent
  | TradeEvent
  | { kind: 'control'; what: string }
  | { kind: 'error'; action: string; code: number; message: string; market: string | null };

const WHAT = 'bitvavo frame';
const IGNORED_EVENTS = new Set(['ticker', 'ticker24h', 'candle']);

export function mapBitvavoFrame(text: string, receivedAt: number): BitvavoMessage {
  const root = parseJsonText(text, WHAT);
  if (!isObject(root)) throw new BadInputError(`${WHAT}: expected a JSON object, got ${describe(root)}`);
  if (root.subscriptions !== undefined) return { kind: 'control', what: 'subscribed' };
  const event = root.event;
  if (event === 'book') return mapBookEvent(root, text, receivedAt);
  if (event === 'trade') return mapBitvavoTrade(root, receivedAt);
  if (typeof event === 'string' && IGNORED_EVENTS.has(event)) return { kind: 'control', what: event };
  const action = root.action;
  if (typeof action === 'string') {
    if (root.errorCode !== undefined) {
      return {
        kind: 'error',
        action,
        code: integerField(root, 'errorCode', `bitvavo ${action} error`),
        message: typeof root.error === 'string' ? root.error : '',
        market: typeof root.market === 'string' ? root.market : null,
      };
    }
    if (action === 'getBook') return mapBookBody(objectOf(root, 'response', 'bitvavo getBook'), text, receivedAt, 'bitvavo getBook response');
    return { kind: 'control', what: action };
  }
  throw new BadInputError(`${WHAT}: neither a known "event" nor an "action" answer (event ${describe(event)})`);
}

function objectOf(o: JsonObject, key: string, what: string): JsonObject {
  const v = o[key];
  if (!isObject(v)) throw new BadInputError(`${what}: field "${key}" should be an object, got ${describe(v)}`);
  return v;
}

function mapBookEvent(root: JsonObject, text: string, receivedAt: number): BookDeltaEvent {
  const market = stringField(root, 'market', 'bitvavo book');
  const what = `bitvavo book for ${market}`;
  const nonce = integerField(root, 'nonce', what);
  return {
    kind: 'book_delta',
    exchange: 'bitvavo',
    symbol: market,
    receivedAt,
    exchangeTime: bitvavoTimestampMs(text, what),
    bids: levelsField(root, 'bids', what),
    asks: levelsField(root, 'asks', what),
    firstSequence: nonce,
    lastSequence: nonce,
  };
}

/** A book body (websocket `getBook` response or REST `GET /{market}/book`); `text` is the whole frame or body. */
export function mapBookBody(body: JsonObject, text: string, receivedAt: number, what: string): BookSnapshotEvent {
  const market = stringField(body, 'market', what);
  const w = `${what} for ${market}`;
  const bids = levelsField(body, 'bids', w);
  const asks = levelsField(body, 'asks', w);
  // Sorted by price (REST page); kept best first whatever the order sent.
  bids.sort((a, b) => b[0] - a[0]);
  asks.sort((a, b) => a[0] - b[0]);
  return {
    kind: 'book_snapshot',
    exchange: 'bitvavo',
    symbol: market,
    receivedAt,
    exchangeTime: bitvavoTimestampMs(text, w),
    bids,
    asks,
    sequence: integerField(body, 'nonce', w),
  };
}

export function mapBitvavoTrade(t: JsonObject, receivedAt: number): TradeEvent {
  const what = 'bitvavo trade';
  const side = t.side;
  if (side !== 'buy' && side !== 'sell') throw new BadInputError(`${what}: field "side" should be "buy" or "sell", got ${describe(side)}`);
  return {
    kind: 'trade',
    exchange: 'bitvavo',
    symbol: stringField(t, 'market', what),
    receivedAt,
    // `timestamp` is ms on trades (documented); `timestampNs` is not needed for ms.
    exchangeTime: integerField(t, 'timestamp', what),
    tradeId: stringField(t, 'id', what),
    price: decimalField(t, 'price', what),
    quantity: decimalField(t, 'amount', what),
    takerSide: side,
  };
}

/** The REST order-book body for `market`; refuses a body about another market. */
export function parseBitvavoBookSnapshot(body: string, market: string, receivedAt: number): BookSnapshotEvent {
  const what = `bitvavo book snapshot for ${market}`;
  const root = parseJsonText(body, what);
  if (!isObject(root)) throw new BadInputError(`${what}: expected a JSON object, got ${describe(root)}`);
  const snap = mapBookBody(root, body, receivedAt, 'bitvavo book snapshot');
  if (snap.symbol !== market) throw new BadInputError(`${what}: body is for market "${snap.symbol}"`);
  return snap;
}
