/**
 * Pure mappers from Binance spot combined-stream frames (`{"stream":…,"data":…}`) to normalised
 * market events, each taking the local receive time (`mapBinanceFrame(text, receivedAt)`).
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 *
 * - `trade` → TradeEvent: id `t`, time `T` (trade time), taker side from `m` (buyer is maker ⇒ sell).
 * - `aggTrade` → TradeEvent too, with the aggregate id `a` as its id and `T` as its time: one
 *   event per taker order filled at one price. Its ids are a different sequence from `t`, which is
 *   why a feed takes one of the two streams per symbol, never both (see `binanceStreamNames`).
 * - `kline` → CandleEvent with `closed = k.x`; `E` is the event time.
 * - `depthUpdate` → BookDeltaEvent with `U`/`u` as first/last sequence; `E` is the event time.
 * - `bookTicker` → a BookTicker (not a core event: no time; its `u` shares the depth sequence,
 *   which makes it the check on a synced book).
 * - `{"result":…,"id":…}` → a control ack; `serverShutdown` → a notice to reconnect now.
 * Anything else, or a known message with a missing or mistyped field, throws BadInputError.
 */
import { BadInputError } from '../../../core/errors.js';
import type { BookDeltaEvent, BookLevel, CandleEvent, MarketEvent, TradeEvent } from '../../../core/market-events.js';
import { INTERVALS, type Interval } from '../../../core/intervals.js';
import {
  booleanField,
  decimalField,
  integerField,
  isObject,
  levelsField,
  objectField,
  parseJsonText,
  stringField,
  type JsonObject,
} from '../../ws/json-fields.js';

export interface BinanceBookTicker {
  kind: 'book_ticker';
  symbol: string;
  receivedAt: number;
  updateId: number;
  bid: BookLevel;
  ask: BookLevel;
}

export interface BinanceControl {
  kind: 'control';
  receivedAt: number;
  /** `ack` for a request's result, `error` for a request Binance refused, `shutdown` before the server goes away. */
  control: 'ack' | 'error' | 'shutdown';
  detail: string;
}

export type BinanceMessage = MarketEvent | BinanceBookTicker | BinanceControl;

const WHAT = 'binance stream frame';

export function mapBinanceFrame(text: string, receivedAt: number): BinanceMessage {
  const root = parseJsonText(text, WHAT);
  if (!isObject(root)) throw new BadInputError(`${WHAT}: expected a JSON object`);
  const data = root.data;
  if (data === undefined) return mapControl(root, receivedAt);
  if (!isObject(data)) throw new BadInputError(`${WHAT}: field "data" should be an object`);
  const e = data.e;
  if (e === 'depthUpdate') return mapDepthUpdate(data, receivedAt);
  if (e === 'trade') return mapTrade(data, receivedAt);
  if (e === 'aggTrade') return mapAggTrade(data, receivedAt);
  if (e === 'kline') return mapKline(data, receivedAt);
  if (e === undefined && data.u !== undefined && data.b !== undefined) return mapBookTicker(data, receivedAt);
  if (e === 'serverShutdown') return { kind: 'control', receivedAt, control: 'shutdown', detail: `serverShutdown at ${String(data.E)}` };
  throw new BadInputError(`${WHAT}: unknown event "${String(e)}" on stream "${String(root.stream)}"`);
}

function mapControl(root: JsonObject, receivedAt: number): BinanceControl {
  if ('result' in root && 'id' in root) return { kind: 'control', receivedAt, control: 'ack', detail: `id ${String(root.id)}` };
  if ('code' in root && 'msg' in root) return { kind: 'control', receivedAt, control: 'error', detail: `${String(root.code)} ${String(root.msg)} (id ${String(root.id)})` };
  if (root.e === 'serverShutdown') return { kind: 'control', receivedAt, control: 'shutdown', detail: `serverShutdown at ${String(root.E)}` };
  throw new BadInputError(`${WHAT}: neither a combined-stream envelope nor a control reply`);
}

export function mapDepthUpdate(d: JsonObject, receivedAt: number): BookDeltaEvent {
  const what = 'binance depthUpdate';
  return {
    kind: 'book_delta',
    exchange: 'binance',
    symbol: stringField(d, 's', what),
    receivedAt,
    exchangeTime: integerField(d, 'E', what),
    bids: levelsField(d, 'b', what),
    asks: levelsField(d, 'a', what),
    firstSequence: integerField(d, 'U', what),
    lastSequence: integerField(d, 'u', what),
  };
}

export function mapTrade(d: JsonObject, receivedAt: number): TradeEvent {
  const what = 'binance trade';
  return {
    kind: 'trade',
    exchange: 'binance',
    symbol: stringField(d, 's', what),
    receivedAt,
    exchangeTime: integerField(d, 'T', what),
    tradeId: String(integerField(d, 't', what)),
    price: decimalField(d, 'p', what),
    quantity: decimalField(d, 'q', what),
    takerSide: booleanField(d, 'm', what) ? 'sell' : 'buy',
  };
}

export function mapAggTrade(d: JsonObject, receivedAt: number): TradeEvent {
  const what = 'binance aggTrade';
  return {
    kind: 'trade',
    exchange: 'binance',
    symbol: stringField(d, 's', what),
    receivedAt,
    exchangeTime: integerField(d, 'T', what),
    tradeId: String(integerField(d, 'a', what)),
    price: decimalField(d, 'p', what),
    quantity: decimalField(d, 'q', what),
    takerSide: booleanField(d, 'm', what) ? 'sell' : 'buy',
  };
}

function isInterval(s: string): s is Interval {
  return (INTERVALS as readonly string[]).includes(s);
}

export function mapKline(d: JsonObject, receivedAt: number): CandleEvent {
  const what = 'binance kline';
  const k = objectField(d, 'k', what);
  const interval = stringField(k, 'i', what);
  if (!isInterval(interval)) throw new BadInputError(`${what}: interval "${interval}" is not one of ${INTERVALS.join(', ')}`);
  return {
    kind: 'candle',
    exchange: 'binance',
    symbol: stringField(d, 's', what),
    receivedAt,
    exchangeTime: integerField(d, 'E', what),
    interval,
    closed: booleanField(k, 'x', what),
    candle: {
      openTime: integerField(k, 't', what),
      open: decimalField(k, 'o', what),
      high: decimalField(k, 'h', what),
      low: decimalField(k, 'l', what),
      close: decimalField(k, 'c', what),
      volume: decimalField(k, 'v', what),
      closeTime: integerField(k, 'T', what),
      quoteVolume: decimalField(k, 'q', what),
      trades: integerField(k, 'n', what),
      takerBuyBase: decimalField(k, 'V', what),
      takerBuyQuote: decimalField(k, 'Q', what),
    },
  };
}

export function mapBookTicker(d: JsonObject, receivedAt: number): BinanceBookTicker {
  const what = 'binance bookTicker';
  return {
    kind: 'book_ticker',
    symbol: stringField(d, 's', what),
    receivedAt,
    updateId: integerField(d, 'u', what),
    bid: [decimalField(d, 'b', what), decimalField(d, 'B', what)],
    ask: [decimalField(d, 'a', what), decimalField(d, 'A', what)],
  };
}
