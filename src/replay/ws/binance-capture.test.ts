import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SimClock } from '../sim-clock.js';
import { ReplayWs } from './replay-ws.js';
import { LoopCursor, type OutFrame } from './looped-capture.js';
import type { BinanceCapture } from './binance-capture.js';

// The bundled recordings (fixtures/SOURCES.md: ws/hftbacktest/spot, ~11 min of Binance spot
// BTCUSDT/ETHUSDT around 2024-08-09 00:00 UTC, REST snapshots inside the 0808 files).
const WS_DIR = fileURLToPath(new URL('../../../fixtures/ws/', import.meta.url));
const captures = new ReplayWs(new SimClock(0, 0), 0, WS_DIR).binanceData();
const hft = captures[0] as BinanceCapture;
const cryptofeed = captures[1] as BinanceCapture;

interface Parsed {
  e?: string;
  U?: number;
  u?: number;
  t?: number;
  E?: number;
  b?: string | [string, string][];
  a?: string | [string, string][];
  lastUpdateId?: number;
  bids?: [string, string][];
  asks?: [string, string][];
}

const parse = (text: string): Parsed => JSON.parse(text) as Parsed;

test('binance capture - both days of both symbols are one recording, snapshots found for BTCUSDT and ETHUSDT', () => {
  // SOURCES §12.1: 41,249 + 58,325 + 33,618 + 46,126 lines, one of them a snapshot per symbol.
  assert.equal(hft.messages.length, 41_249 + 58_325 + 33_618 + 46_126 - 2);
  assert.deepEqual(hft.depthSymbols().sort(), ['BTCUSDT', 'ETHUSDT']);
  assert.ok(hft.messages.every((m, i) => i === 0 || (hft.messages[i - 1]?.at ?? 0) <= m.at));
});

test('binance capture - loop 0 sends the recorded payloads byte for byte', () => {
  const f = hft.render(0, 0);
  assert.equal(f?.derived, null);
  assert.equal(f?.text.slice(0, 80), '{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":500932392');
});

function framesAcrossSeam(stream: string): OutFrame[] {
  const loopStartAt = hft.messages[hft.loopStartIndex]?.at ?? 0;
  const seam = loopStartAt + hft.periodMs;
  const cursor = new LoopCursor(hft, seam - 30_000, Number.POSITIVE_INFINITY);
  return cursor.take(seam + 30_000).filter((f) => f.stream === stream);
}

test('binance capture - depth update ids continue across the loop seam (U = previous u + 1), the seam frame marked derived', () => {
  const frames = framesAcrossSeam('btcusdt@depth@100ms');
  const kinds = new Set(frames.map((f) => f.derived));
  assert.deepEqual([...kinds], [null, 'loop-reset', 'loop-shift']);
  for (let i = 1; i < frames.length; i++) {
    const prev = parse((frames[i - 1] as OutFrame).text);
    const cur = parse((frames[i] as OutFrame).text);
    assert.equal(cur.U, (prev.u ?? 0) + 1, `frame ${i} (${frames[i]?.derived ?? 'recorded'})`);
  }
  // The recording ends at u 50093696318 (SOURCES §12.1): the seam frame is the next id.
  const reset = frames.find((f) => f.derived === 'loop-reset');
  assert.equal(parse(reset?.text ?? '{}').U, 50_093_696_319);
});

test('binance capture - trade ids continue across the loop seam and event times move by one period', () => {
  const frames = framesAcrossSeam('btcusdt@trade');
  for (let i = 1; i < frames.length; i++) assert.equal(parse((frames[i] as OutFrame).text).t, (parse((frames[i - 1] as OutFrame).text).t ?? 0) + 1);
  const firstLooped = frames.find((f) => f.derived === 'loop-shift');
  const i = hft.messages.findIndex((m, j) => j >= hft.loopStartIndex && m.stream === 'btcusdt@trade');
  assert.equal(parse(firstLooped?.text ?? '{}').E, (parse(hft.messages[i]?.text ?? '{}').E ?? 0) + hft.periodMs);
});

const tickers = new Map<string, Parsed[]>();
function bookTickers(symbol: string): Parsed[] {
  let list = tickers.get(symbol);
  if (!list) {
    list = hft.messages.filter((m) => m.stream === `${symbol.toLowerCase()}@bookTicker`).map((m) => parse(m.text));
    tickers.set(symbol, list);
  }
  return list;
}

/** Best bid/ask of a depth body, against the bookTicker with the highest `u` not after its lastUpdateId. */
function topMatchesBookTicker(body: string, symbol: string): { lastUpdateId: number; bid: string; ticker: string } {
  const d = parse(body);
  let best: Parsed | undefined;
  for (const p of bookTickers(symbol)) if ((p.u ?? 0) <= (d.lastUpdateId ?? 0) && (best === undefined || (p.u ?? 0) > (best.u ?? 0))) best = p;
  const bid = d.bids?.[0]?.[0] ?? '';
  const ask = d.asks?.[0]?.[0] ?? '';
  assert.equal(ask, best?.a, `ask at lastUpdateId ${d.lastUpdateId}`);
  return { lastUpdateId: d.lastUpdateId ?? 0, bid, ticker: typeof best?.b === 'string' ? best.b : '' };
}

test('binance depth - before the recorded snapshot arrived the snapshot itself is served, byte for byte', () => {
  const snapAt = hft.startAt + 100;
  const d = hft.depthAt('BTCUSDT', snapAt, 5000);
  assert.equal(d?.derived, false);
  assert.equal(parse(d?.body ?? '{}').lastUpdateId, 50_093_239_218);
  assert.equal(parse(d?.body ?? '{}').bids?.length, 1000);
});

test('binance depth - derived snapshots carry the last applied u and a top of book equal to the recorded bookTicker', () => {
  for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
    let previous = 0;
    for (const after of [5_000, 60_000, 200_000, 400_000, 640_000]) {
      const d = hft.depthAt(symbol, hft.startAt + after, 100);
      assert.equal(d?.derived, true);
      const { lastUpdateId, bid, ticker } = topMatchesBookTicker(d?.body ?? '{}', symbol);
      assert.equal(bid, ticker, `${symbol} bid at lastUpdateId ${lastUpdateId}`);
      assert.ok(lastUpdateId > previous);
      previous = lastUpdateId;
      // lastUpdateId is the u of a recorded diff.
      assert.ok(hft.messages.some((m) => m.stream === `${symbol.toLowerCase()}@depth@100ms` && parse(m.text).u === lastUpdateId));
    }
  }
});

test('binance depth - in a later loop the book is the loop-start book again, with lastUpdateId shifted like the stream', () => {
  const loopStartAt = hft.messages[hft.loopStartIndex]?.at ?? 0;
  const at = loopStartAt + 60_000;
  const first = parse(hft.depthAt('BTCUSDT', at, 20)?.body ?? '{}');
  const second = parse(hft.depthAt('BTCUSDT', at + hft.periodMs, 20)?.body ?? '{}');
  assert.deepEqual(second.bids, first.bids);
  assert.deepEqual(second.asks, first.asks);
  // One loop's span of update ids: last u − first looped U + 2 (one id for the seam frame).
  const span = (second.lastUpdateId ?? 0) - (first.lastUpdateId ?? 0);
  const looped = hft.messages.slice(hft.loopStartIndex).filter((m) => m.stream === 'btcusdt@depth@100ms');
  assert.equal(span, 50_093_696_318 - (parse(looped[0]?.text ?? '{}').U ?? 0) + 2);
});

test('binance capture - the cryptofeed recording loops on whole minutes so kline open times stay on the grid', () => {
  assert.equal(cryptofeed.periodMs % 60_000, 0);
  const i = cryptofeed.messages.findIndex((m) => m.stream.includes('@kline_1m'));
  const k = (JSON.parse(cryptofeed.render(3, i)?.text ?? '{}') as { k: { t: number } }).k;
  assert.equal(k.t % 60_000, 0);
});
