/**
 * The lake's boundary check: an event is validated before it is buffered, so a bad one is refused
 * with an error naming the field, and never reaches a file (nothing is half-written).
 */
import { BadInputError } from '../../core/errors.js';
import { isInterval } from '../../core/intervals.js';
import { MARKET_EVENT_KINDS, STREAM_EXCHANGES, type BookLevel, type MarketEvent } from '../../core/market-events.js';
import { isSafeSymbol } from './lake-layout.js';

/** Latest receive time a partition date can name (9999-12-31). */
const MAX_TIME = 253_402_300_799_999;

function fail(event: MarketEvent, what: string): never {
  throw new BadInputError(`lake: ${String(event.kind)} event for ${String(event.exchange)}:${String(event.symbol)}: ${what}`);
}

function finite(event: MarketEvent, name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(event, `${name} must be a finite number, got ${String(v)}`);
}

function safeInteger(event: MarketEvent, name: string, v: unknown, nullable: boolean): void {
  if (v === null && nullable) return;
  if (!Number.isSafeInteger(v)) fail(event, `${name} must be a safe integer${nullable ? ' or null' : ''}, got ${String(v)}`);
}

function levels(event: MarketEvent, side: string, list: readonly BookLevel[]): void {
  if (!Array.isArray(list)) fail(event, `${side} must be an array of [price, quantity]`);
  for (let i = 0; i < list.length; i++) {
    const level = list[i];
    // The message is built only on failure: this loop runs for every level of every book event.
    if (!Array.isArray(level) || level.length !== 2 || !Number.isFinite(level[0]) || !Number.isFinite(level[1])) {
      fail(event, `${side}[${i}] must be [price, quantity] of finite numbers, got ${JSON.stringify(level)}`);
    }
  }
}

/** Throws a BadInputError naming the first field that the lake cannot store bit for bit. */
export function validateLakeEvent(event: MarketEvent): void {
  if (!(MARKET_EVENT_KINDS as readonly string[]).includes(event.kind)) fail(event, 'unknown kind');
  if (!(STREAM_EXCHANGES as readonly string[]).includes(event.exchange)) fail(event, 'unknown exchange');
  if (typeof event.symbol !== 'string' || !isSafeSymbol(event.symbol)) fail(event, 'symbol must be 1-64 of A-Z a-z 0-9 _ . - (it is a path segment)');
  finite(event, 'receivedAt', event.receivedAt);
  if (event.receivedAt < 0 || event.receivedAt > MAX_TIME) fail(event, `receivedAt ${event.receivedAt} is outside 1970..9999`);
  if (event.exchangeTime !== null) finite(event, 'exchangeTime', event.exchangeTime);
  switch (event.kind) {
    case 'trade':
      if (typeof event.tradeId !== 'string' || event.tradeId === '') fail(event, 'tradeId must be a non-empty string');
      finite(event, 'price', event.price);
      finite(event, 'quantity', event.quantity);
      if (event.takerSide !== null && event.takerSide !== 'buy' && event.takerSide !== 'sell') fail(event, 'takerSide must be buy, sell or null');
      return;
    case 'book_snapshot':
      levels(event, 'bids', event.bids);
      levels(event, 'asks', event.asks);
      safeInteger(event, 'sequence', event.sequence, true);
      return;
    case 'book_delta':
      levels(event, 'bids', event.bids);
      levels(event, 'asks', event.asks);
      safeInteger(event, 'firstSequence', event.firstSequence, true);
      safeInteger(event, 'lastSequence', event.lastSequence, true);
      return;
    case 'candle': {
      if (typeof event.interval !== 'string' || !isInterval(event.interval)) fail(event, `interval ${String(event.interval)} is not a known interval`);
      if (typeof event.closed !== 'boolean') fail(event, 'closed must be a boolean');
      const c = event.candle;
      for (const f of ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'takerBuyBase', 'takerBuyQuote'] as const) finite(event, `candle.${f}`, c[f]);
      for (const f of ['openTime', 'closeTime', 'trades'] as const) safeInteger(event, `candle.${f}`, c[f], false);
      return;
    }
  }
}
