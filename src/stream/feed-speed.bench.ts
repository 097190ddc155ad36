/**
 * Micro-benchmark for the live-feed hot path (not a test, not the bench harness): messages/s the
 * Binance and Gemini mappers parse and normalise on the real captures, against a bare
 * `JSON.parse` + field map of the same lines (the ceiling, issue 17); order-book apply throughput;
 * live books end to end. The machine is shared, so a mapper and its ceiling run alternately, 15
 * rounds each after a warm-up; the best round of each and the median paired ratio are reported.
 * Run: node --import tsx src/stream/feed-speed.bench.ts
 */
import { readCryptofeedFrames, readHftbacktestCapture } from '../connectors/ws/test-captures.js';
import { mapBinanceFrame } from '../connectors/binance/ws/stream-mappers.js';
import { BinanceFeedPolicy } from '../connectors/binance/ws/binance-feed-policy.js';
import { GeminiFeedPolicy } from '../connectors/gemini/gemini-feed-policy.js';
import { parseDepthSnapshot } from '../connectors/binance/ws/depth-snapshot.js';
import { DepthSync } from '../connectors/binance/ws/depth-sync.js';
import type { BookDeltaEvent, BookSnapshotEvent } from '../core/market-events.js';
import { OrderBook } from './order-book.js';
import { LiveBooks } from './live-books.js';

type Row = Record<string, unknown>;
const lv = (a: unknown): [number, number][] => (a as [string, string][]).map((l) => [+l[0], +l[1]]);

/** The ceiling: JSON.parse and a plain field map to the same fields, no checks. */
function bareBinance(text: string, receivedAt: number): unknown {
  const root = JSON.parse(text) as Row;
  const d = root.data as Row;
  switch (d.e) {
    case 'depthUpdate':
      return { kind: 'book_delta', symbol: d.s, receivedAt, exchangeTime: d.E, bids: lv(d.b), asks: lv(d.a), firstSequence: d.U, lastSequence: d.u };
    case 'trade':
      return { kind: 'trade', symbol: d.s, receivedAt, exchangeTime: d.T, tradeId: String(d.t), price: +(d.p as string), quantity: +(d.q as string), takerSide: d.m ? 'sell' : 'buy' };
    default:
      return { kind: 'book_ticker', symbol: d.s, updateId: d.u, bid: [+(d.b as string), +(d.B as string)], ask: [+(d.a as string), +(d.A as string)] };
  }
}

function bareGemini(text: string, receivedAt: number): unknown {
  const d = JSON.parse(text) as Row;
  if (d.type === 'l2_updates') {
    const bids: [number, number][] = [];
    const asks: [number, number][] = [];
    for (const c of d.changes as string[][]) (c[0] === 'buy' ? bids : asks).push([+c[1]!, +c[2]!]);
    return { symbol: d.symbol, receivedAt, bids, asks };
  }
  if (d.type === 'trade') return { symbol: d.symbol, receivedAt, exchangeTime: d.timestamp, tradeId: String(d.event_id), price: +(d.price as string), quantity: +(d.quantity as string), takerSide: d.side };
  return null;
}

function timeOnce(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

function report(label: string, count: number, ms: number): number {
  const rate = (count / ms) * 1000;
  console.log(`${label.padEnd(52)} ${String(Math.round(rate)).padStart(10)} /s  (${count} in ${ms.toFixed(1)} ms)`);
  return rate;
}

function best(label: string, count: number, run: () => void): number {
  run();
  let bestMs = Infinity;
  for (let i = 0; i < 9; i++) bestMs = Math.min(bestMs, timeOnce(run));
  return report(label, count, bestMs);
}

/** Ceiling and candidate alternately, so both see the same machine load; returns candidate/ceiling. */
function pair(ceilingLabel: string, label: string, count: number, ceiling: () => void, run: () => void): void {
  ceiling();
  run();
  let ceilingMs = Infinity;
  let runMs = Infinity;
  const ratios: number[] = [];
  for (let i = 0; i < 15; i++) {
    const c = timeOnce(ceiling);
    const r = timeOnce(run);
    ceilingMs = Math.min(ceilingMs, c);
    runMs = Math.min(runMs, r);
    ratios.push(c / r);
  }
  const c = report(ceilingLabel, count, ceilingMs);
  const r = report(label, count, runMs);
  ratios.sort((a, b) => a - b);
  console.log(`  ratio ${(r / c).toFixed(2)}× the ceiling (best vs best); median of 15 paired rounds ${ratios[7]!.toFixed(2)}×`);
}

const symbols = ['btcusdt', 'ethusdt'];
const binance = symbols.flatMap((s) => readHftbacktestCapture(`${s}_20240808.gz`, `${s}_20240809.gz`)).filter((f) => !f.text.startsWith('{"lastUpdateId"'));
const gemini = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl').filter((f) => !f.text.startsWith('{"type":"heartbeat"'));
let sink: unknown = null;

console.log(`node ${process.version}; ${binance.length} Binance frames (hftbacktest), ${gemini.length} Gemini frames ×20 (cryptofeed)`);
pair(
  'binance bare JSON.parse + field map',
  'binance mapBinanceFrame (checked, normalised)',
  binance.length,
  () => binance.forEach((f) => (sink = bareBinance(f.text, f.receivedAt))),
  () => binance.forEach((f) => (sink = mapBinanceFrame(f.text, f.receivedAt))),
);
const gem20 = Array.from({ length: 20 }, () => gemini).flat();
pair(
  'gemini bare JSON.parse + field map',
  'gemini GeminiFeedPolicy.onFrame',
  gem20.length,
  () => gem20.forEach((f) => (sink = bareGemini(f.text, f.receivedAt))),
  () => {
    const p = new GeminiFeedPolicy();
    gem20.forEach((f) => (sink = p.onFrame(f)));
  },
);

// Order-book apply: the BTCUSDT diffs in sequence, pre-mapped, applied to a 1000-level snapshot book.
const btc = readHftbacktestCapture('btcusdt_20240808.gz', 'btcusdt_20240809.gz');
const sync = new DepthSync('BTCUSDT');
const seq: (BookSnapshotEvent | BookDeltaEvent)[] = [];
for (const f of btc) {
  const step = f.text.startsWith('{"lastUpdateId"') ? sync.onSnapshot(parseDepthSnapshot(f.text, 'BTCUSDT', 0)) : (() => {
    const m = mapBinanceFrame(f.text, 0);
    return m.kind === 'book_delta' ? sync.onDelta(m) : null;
  })();
  if (step?.type === 'apply') seq.push(...step.events);
}
const snapshot = seq[0] as BookSnapshotEvent;
const deltas = seq.slice(1) as BookDeltaEvent[];
const levels = deltas.reduce((n, d) => n + d.bids.length + d.asks.length, 0);
const book = new OrderBook({ exchange: 'binance', symbol: 'BTCUSDT' });
const applyRate = best('order book applyLevels (BTCUSDT diffs, 2k–5k levels)', deltas.length, () => {
  book.applySnapshot(snapshot.bids, snapshot.asks);
  for (const d of deltas) book.applyLevels(d.bids, d.asks);
});
console.log(`  = ${Math.round((applyRate * levels) / deltas.length)} levels/s; ${(levels / deltas.length).toFixed(1)} levels per diff; book ends ${book.depth.bids}+${book.depth.asks} levels`);

const snapshots = new Map(symbols.map((s) => [s.toUpperCase(), readHftbacktestCapture(`${s}_20240808.gz`).find((f) => f.text.startsWith('{"lastUpdateId"'))!.text]));
const merged = [...binance].sort((a, b) => a.receivedAt - b.receivedAt);
best('live books end to end (map + sync + books), frames', merged.length, () => {
  const lb = new LiveBooks({ policy: new BinanceFeedPolicy(), log: () => undefined });
  lb.onConnected();
  let first = true;
  for (const f of merged) {
    sink = lb.onFrame(f);
    if (first) {
      first = false;
      for (const [s, body] of snapshots) lb.onSnapshot(s, body, 0);
    }
  }
});
void sink;
