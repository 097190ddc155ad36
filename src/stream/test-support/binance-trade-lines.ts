/**
 * Test-only decoder of the `trade` stream in the hftbacktest captures (lines `<receive ns> <JSON>`
 * of a Binance combined stream, ../../../fixtures/ws/hftbacktest/; PROTOCOLS.md and SOURCES.md).
 * The real mapper is the Binance connector's; this one exists so the stream processors' tests do
 * not depend on it, and it checks just enough to fail loudly on a line it does not understand.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#trade-streams
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TradeEvent } from '../../core/market-events.js';

interface RawTrade {
  e: string;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

function isRawTrade(x: unknown): x is RawTrade {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return r.e === 'trade' && typeof r.s === 'string' && typeof r.t === 'number' && typeof r.p === 'string' && typeof r.q === 'string' &&
    typeof r.T === 'number' && typeof r.m === 'boolean';
}

/** Trade events of every `<symbol>@trade` line of a gzipped capture, in file order. */
export function readBinanceTrades(gzPath: string): TradeEvent[] {
  const out: TradeEvent[] = [];
  const text = gunzipSync(readFileSync(gzPath)).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('@trade"')) continue;
    const space = line.indexOf(' ');
    const msg: unknown = JSON.parse(line.slice(space + 1));
    const data = (msg as { data?: unknown }).data;
    if (!isRawTrade(data)) throw new Error(`not a trade message: ${line.slice(0, 200)}`);
    out.push({
      kind: 'trade', exchange: 'binance', symbol: data.s, receivedAt: Number(line.slice(0, space)) / 1e6, exchangeTime: data.T,
      tradeId: String(data.t), price: Number(data.p), quantity: Number(data.q), takerSide: data.m ? 'sell' : 'buy',
    });
  }
  return out;
}
