/** zod fields the routes' query strings share: each refusal names what was wrong, the route's error names the field. */
import { z } from 'zod';
import { INTERVALS } from '../core/intervals.js';
import { STREAM_EXCHANGES } from '../core/market-events.js';
import { parseTime } from '../core/time.js';

export const symbolField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2,20}$/, 'expected an exchange symbol such as BTCUSDT'))
  .describe('exchange symbol, e.g. BTCUSDT');

/** A symbol of any streamed exchange: `symbolField`'s, or one with a hyphen (Bitvavo's `BTC-EUR`); the route checks it against the exchange with `isExchangeSymbol`. */
export const marketSymbolField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2,20}$|^[A-Z0-9]{1,10}-[A-Z0-9]{1,10}$/, 'expected an exchange symbol such as BTCUSDT (or BTC-EUR on bitvavo)'))
  .describe('exchange symbol, e.g. BTCUSDT, BTCGBP (gemini), BTC-EUR (bitvavo)');

export const intervalField = z.enum(INTERVALS, { error: `expected one of ${INTERVALS.join(', ')}` });

/** A time as the CLI takes it: epoch ms digits or ISO-8601 UTC. */
export const timeField = z
  .string()
  .transform((s, ctx) => {
    try {
      return parseTime(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  })
  .describe('epoch ms or ISO-8601 UTC, e.g. 2024-01-01T00:00:00Z');

export const exchangeField = z.literal('binance', { error: 'only "binance" is supported' }).default('binance');

/** The exchanges whose candles the store can hold: binance's history, and every streamed exchange's 1m stream bars. */
export const streamExchangeField = z.enum(STREAM_EXCHANGES, { error: `expected one of ${STREAM_EXCHANGES.join(', ')}` }).default('binance');

/** A whole number from a query string in [min, max]. */
export function intField(min: number, max: number): z.ZodCoercedNumber<unknown> {
  return z.coerce.number<unknown>().int(`expected a whole number from ${min} to ${max}`).min(min).max(max);
}

/** `:id` path parameters. */
export const idParams = z.object({ id: intField(1, Number.MAX_SAFE_INTEGER) });
