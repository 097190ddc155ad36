/**
 * Test-only decoder of `@aggTrade` and `@kline_1m` lines of the cryptofeed Binance captures (jsonl,
 * `{"dir":"recv","ts":…,"data":{"stream":…,"data":{…}}}`; ../fixtures/SOURCES.md). An aggregate
 * trade is the trades of one taker order at one price (ids `f`..`l`), so it becomes one trade event
 * of the summed quantity; the real mappers are the Binance connector's.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#aggregate-trade-streams
 */
import { readFileSync } from 'node:fs';
import type { Candle } from '../../core/candle.js';
import type { TradeEvent } from '../../core/market-events.js';

export interface AggTrade {
  event: TradeEvent;
  firstId: number;
  lastId: number;
}

/** A kline message as sent, with its first and last trade ids. */
export interface KlineUpdate {
  symbol: string;
  closed: boolean;
  firstId: number;
  lastId: number;
  candle: Candle;
}

const num = (x: unknown, what: string): number => {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x !== '' && !Number.isNaN(Number(x))) return Number(x);
  throw new Error(`${what} is not a number: ${JSON.stringify(x)}`);
};

export function readAggTradesAndKlines(path: string): { aggTrades: AggTrade[]; klines: KlineUpdate[] } {
  const aggTrades: AggTrade[] = [];
  const klines: KlineUpdate[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const rec = JSON.parse(line) as { ts: number; data: { stream: string; data: Record<string, unknown> } };
    const d = rec.data.data;
    if (rec.data.stream.endsWith('@aggTrade')) {
      if (typeof d.s !== 'string' || typeof d.m !== 'boolean') throw new Error(`bad aggTrade ${line.slice(0, 200)}`);
      aggTrades.push({
        event: {
          kind: 'trade', exchange: 'binance', symbol: d.s, receivedAt: rec.ts * 1000, exchangeTime: num(d.T, 'T'), tradeId: String(num(d.a, 'a')),
          price: num(d.p, 'p'), quantity: num(d.q, 'q'), takerSide: d.m ? 'sell' : 'buy',
        },
        firstId: num(d.f, 'f'),
        lastId: num(d.l, 'l'),
      });
    } else if (rec.data.stream.endsWith('@kline_1m')) {
      const k = d.k as Record<string, unknown>;
      if (typeof k.s !== 'string' || typeof k.x !== 'boolean') throw new Error(`bad kline ${line.slice(0, 200)}`);
      klines.push({
        symbol: k.s, closed: k.x, firstId: num(k.f, 'k.f'), lastId: num(k.L, 'k.L'),
        candle: {
          openTime: num(k.t, 'k.t'), open: num(k.o, 'k.o'), high: num(k.h, 'k.h'), low: num(k.l, 'k.l'), close: num(k.c, 'k.c'), volume: num(k.v, 'k.v'),
          closeTime: num(k.T, 'k.T'), quoteVolume: num(k.q, 'k.q'), trades: num(k.n, 'k.n'), takerBuyBase: num(k.V, 'k.V'), takerBuyQuote: num(k.Q, 'k.Q'),
        },
      });
    }
  }
  return { aggTrades, klines };
}
