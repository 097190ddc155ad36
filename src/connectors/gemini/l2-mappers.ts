/**
 * Pure mappers for Gemini market data v2 frames, each taking the local receive time.
 * @see https://docs.gemini.com/websocket/market-data/v2 (archived, PROTOCOLS.md §5)
 *
 * - The first `l2_updates` for a symbol on a connection is the whole book: a BookSnapshotEvent,
 *   plus a TradeEvent for each of the last trades it carries (sent newest first; emitted oldest
 *   first). Later `l2_updates` are BookDeltaEvents. Neither carries a time or a sequence (null).
 * - `trade` → TradeEvent with Gemini's `timestamp` (ms) as exchange time, `side` as the taker's
 *   side, and `tid` as id where sent, else `event_id` (the recorded frames carry no `tid`).
 * - `heartbeat` → nothing (the feed counts it for staleness).
 * Which `l2_updates` is "first" is connection state, so the caller says (`isFirst`).
 */
import { BadInputError } from '../../core/errors.js';
import type { BookLevel, BookDeltaEvent, BookSnapshotEvent, TradeEvent } from '../../core/market-events.js';
import { toDecimal, describe, decimalField, integerField, isObject, stringField, type JsonObject } from '../ws/json-fields.js';

export type GeminiMessage =
  | { type: 'l2_updates'; symbol: string; data: JsonObject }
  | { type: 'trade'; event: TradeEvent }
  | { type: 'heartbeat' };

const WHAT = 'gemini frame';

/** Classifies a parsed frame; `l2_updates` are mapped by `mapL2Updates` once the caller knows whether it is the symbol's first. */
export function classifyGeminiFrame(root: unknown, receivedAt: number): GeminiMessage {
  if (!isObject(root)) throw new BadInputError(`${WHAT}: expected a JSON object`);
  const type = root.type;
  if (type === 'l2_updates') return { type, symbol: stringField(root, 'symbol', 'gemini l2_updates'), data: root };
  if (type === 'trade') return { type, event: mapGeminiTrade(root, receivedAt, 'gemini trade') };
  if (type === 'heartbeat') return { type };
  throw new BadInputError(`${WHAT}: unknown type ${describe(type)}`);
}

export function mapGeminiTrade(t: JsonObject, receivedAt: number, what: string): TradeEvent {
  const side = t.side;
  if (side !== 'buy' && side !== 'sell') throw new BadInputError(`${what}: field "side" should be "buy" or "sell", got ${describe(side)}`);
  return {
    kind: 'trade',
    exchange: 'gemini',
    symbol: stringField(t, 'symbol', what),
    receivedAt,
    exchangeTime: integerField(t, 'timestamp', what),
    tradeId: String(t.tid !== undefined ? integerField(t, 'tid', what) : integerField(t, 'event_id', what)),
    price: decimalField(t, 'price', what),
    quantity: decimalField(t, 'quantity', what),
    takerSide: side,
  };
}

/** `what` is built only for an error message: this runs for every l2_updates frame. */
function splitChanges(d: JsonObject, whatOf: () => string): { bids: BookLevel[]; asks: BookLevel[] } {
  const changes = d.changes;
  if (!Array.isArray(changes)) throw new BadInputError(`${whatOf()}: field "changes" should be an array, got ${describe(changes)}`);
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < changes.length; i++) {
    const c: unknown = changes[i];
    if (!Array.isArray(c) || c.length !== 3) throw new BadInputError(`${whatOf()}: changes[${i}] should be [side, price, quantity], got ${describe(c)}`);
    const price = toDecimal(c[1]);
    const quantity = toDecimal(c[2]);
    if (!(price > 0) || !(quantity >= 0)) {
      const [j, bad]: [number, unknown] = !(price > 0) ? [1, c[1]] : [2, c[2]];
      throw new BadInputError(`${whatOf()}: field "changes[${i}][${j}]" should be a ${j === 1 ? 'positive' : 'non-negative'} decimal string, got ${describe(bad)}`);
    }
    const level: BookLevel = [price, quantity];
    if (c[0] === 'buy') bids.push(level);
    else if (c[0] === 'sell') asks.push(level);
    else throw new BadInputError(`${whatOf()}: changes[${i}][0] should be "buy" or "sell", got ${describe(c[0])}`);
  }
  return { bids, asks };
}

/** The symbol's first `l2_updates` since connect: the whole book and its recent trades, oldest first. */
export function mapL2Snapshot(symbol: string, d: JsonObject, receivedAt: number): { snapshot: BookSnapshotEvent; trades: TradeEvent[] } {
  const what = `gemini l2_updates snapshot for ${symbol}`;
  const { bids, asks } = splitChanges(d, () => what);
  bids.sort((a, b) => b[0] - a[0]);
  asks.sort((a, b) => a[0] - b[0]);
  const rawTrades = d.trades ?? [];
  if (!Array.isArray(rawTrades)) throw new BadInputError(`${what}: field "trades" should be an array, got ${describe(rawTrades)}`);
  const trades: TradeEvent[] = [];
  for (let i = rawTrades.length - 1; i >= 0; i--) {
    const t: unknown = rawTrades[i];
    if (!isObject(t)) throw new BadInputError(`${what}: trades[${i}] should be an object, got ${describe(t)}`);
    trades.push(mapGeminiTrade(t, receivedAt, `${what} trades[${i}]`));
  }
  return {
    snapshot: { kind: 'book_snapshot', exchange: 'gemini', symbol, receivedAt, exchangeTime: null, bids, asks, sequence: null },
    trades,
  };
}

export function mapL2Delta(symbol: string, d: JsonObject, receivedAt: number): BookDeltaEvent {
  const { bids, asks } = splitChanges(d, () => `gemini l2_updates for ${symbol}`);
  return { kind: 'book_delta', exchange: 'gemini', symbol, receivedAt, exchangeTime: null, bids, asks, firstSequence: null, lastSequence: null };
}
