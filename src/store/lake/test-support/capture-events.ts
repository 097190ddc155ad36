/**
 * A tiny decoder of the recorded Binance spot capture (fixtures/ws/hftbacktest/spot/*.gz, lines
 * `<receive ns> <JSON>`; provenance in fixtures/SOURCES.md) into normalised events, for the lake's
 * tests and benchmark only. It is not the Binance mapper (src/connectors/binance/ws owns that) and
 * maps just enough: `@trade` → trade, `@depth@100ms` → book delta (`U`, `u`, `E`), the REST depth
 * snapshot line → book snapshot; `@bookTicker` has no event kind and is skipped. Field meanings
 * follow shared/docs/PROTOCOLS.md and Binance's WebSocket Streams page
 * (@see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BookLevel, MarketEvent } from '../../../core/market-events.js';

const DIR = fileURLToPath(new URL('../../../../fixtures/ws/hftbacktest/spot/', import.meta.url));

/** The capture files: `btcusdt_20240808`, `btcusdt_20240809`, `ethusdt_…`. */
export type CaptureName = `${'btcusdt' | 'ethusdt'}_${'20240808' | '20240809'}`;

type Json = Record<string, unknown>;

function obj(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`capture: ${what} is not an object`);
  return v as Json;
}

function decimal(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new Error(`capture: ${what} is ${String(v)}, not a decimal string`);
  return n;
}

function int(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v)) throw new Error(`capture: ${what} is ${String(v)}, not an integer`);
  return v as number;
}

function levels(v: unknown, what: string): BookLevel[] {
  if (!Array.isArray(v)) throw new Error(`capture: ${what} is not a list`);
  return v.map((l: unknown, i) => {
    if (!Array.isArray(l)) throw new Error(`capture: ${what}[${i}] is not [price, qty]`);
    return [decimal(l[0], `${what}[${i}][0]`), decimal(l[1], `${what}[${i}][1]`)] as const;
  });
}

/** One capture line as 0 or 1 events. */
export function decodeCaptureLine(line: string, symbol: string): MarketEvent | null {
  const space = line.indexOf(' ');
  const receivedAt = Number(line.slice(0, space)) / 1e6;
  const msg = obj(JSON.parse(line.slice(space + 1)), 'line');
  const base = { exchange: 'binance' as const, symbol, receivedAt };
  if ('lastUpdateId' in msg) {
    return { kind: 'book_snapshot', ...base, exchangeTime: null, sequence: int(msg.lastUpdateId, 'lastUpdateId'), bids: levels(msg.bids, 'bids'), asks: levels(msg.asks, 'asks') };
  }
  const stream = String(msg.stream);
  const d = obj(msg.data, 'data');
  if (stream.endsWith('@trade')) {
    return { kind: 'trade', ...base, exchangeTime: int(d.T, 'T'), tradeId: String(int(d.t, 't')), price: decimal(d.p, 'p'), quantity: decimal(d.q, 'q'), takerSide: d.m === true ? 'sell' : 'buy' };
  }
  if (stream.includes('@depth')) {
    return { kind: 'book_delta', ...base, exchangeTime: int(d.E, 'E'), firstSequence: int(d.U, 'U'), lastSequence: int(d.u, 'u'), bids: levels(d.b, 'b'), asks: levels(d.a, 'a') };
  }
  return null;
}

/** The first `limit` events of one capture file (all when absent). */
export function captureEvents(name: CaptureName, limit = Infinity): MarketEvent[] {
  const symbol = name.slice(0, 7).toUpperCase();
  const out: MarketEvent[] = [];
  for (const line of gunzipSync(readFileSync(`${DIR}${name}.gz`)).toString('utf8').split('\n')) {
    if (out.length >= limit) break;
    if (line === '') continue;
    const e = decodeCaptureLine(line, symbol);
    if (e) out.push(e);
  }
  return out;
}

/** Several captures merged by receive time, as one process would have received them. */
export function mergedCapture(names: readonly CaptureName[], limitEach = Infinity): MarketEvent[] {
  return names.flatMap((n) => captureEvents(n, limitEach)).sort((a, b) => a.receivedAt - b.receivedAt);
}
