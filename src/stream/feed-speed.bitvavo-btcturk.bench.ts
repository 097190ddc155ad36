/**
 * Micro-benchmark (not a test, not the bench harness): messages/s the Bitvavo and BTCTurk mappers
 * parse and normalise, against a bare `JSON.parse` + field map of the same frames (the ceiling,
 * issue 18). For Bitvavo the ceiling keeps the nanosecond `timestamp` exact too (digits cut from the
 * text, BigInt division), since a ceiling that lets JSON.parse round it would not do the same job.
 * The recordings are a handful of frames (shared SOURCES §11), so the corpus repeats them: book
 * and getBook frames as recorded, plus the documentation's trade example for Bitvavo (not a
 * recording). Mapper and ceiling run alternately, 15 rounds after a warm-up; best round of each and
 * the median paired ratio are reported (the machine is shared).
 * Run: node --import tsx src/stream/feed-speed.bitvavo-btcturk.bench.ts
 */
import { readFrameLines } from '../connectors/ws/test-captures.js';
import { mapBitvavoFrame } from '../connectors/bitvavo/book-mappers.js';
import { mapBtcturkFrame } from '../connectors/btcturk/orderbook-mappers.js';
import type { RawFrame } from '../connectors/ws/raw-frame.js';

type Row = Record<string, unknown>;
const lv = (a: unknown): [number, number][] => (a as [string, string][]).map((l) => [+l[0], +l[1]]);

function exactMs(text: string): number {
  const m = /"timestamp":(\d+)/.exec(text);
  return m === null ? NaN : Number(BigInt(m[1]!) / 1_000_000n);
}

function bareBitvavo(text: string, receivedAt: number): unknown {
  const d = JSON.parse(text) as Row;
  if (d.event === 'book') return { kind: 'book_delta', symbol: d.market, receivedAt, exchangeTime: exactMs(text), bids: lv(d.bids), asks: lv(d.asks), firstSequence: d.nonce, lastSequence: d.nonce };
  if (d.event === 'trade') return { kind: 'trade', symbol: d.market, receivedAt, exchangeTime: d.timestamp, tradeId: d.id, price: +(d.price as string), quantity: +(d.amount as string), takerSide: d.side };
  const r = d.response as Row;
  return { kind: 'book_snapshot', symbol: r.market, receivedAt, exchangeTime: exactMs(text), bids: lv(r.bids), asks: lv(r.asks), sequence: r.nonce };
}

function bareBtcturk(text: string, receivedAt: number): unknown {
  const [type, d] = JSON.parse(text) as [number, Row];
  const side = (a: unknown): [number, number][] => (a as Row[]).map((l) => [+(l.P as string), l.CP === 3 ? 0 : +(l.A as string)]);
  if (type === 431) return { kind: 'book_snapshot', symbol: d.PS, receivedAt, bids: side(d.BO), asks: side(d.AO), sequence: d.CS };
  return { kind: 'book_delta', symbol: d.PS, receivedAt, bids: side(d.BO), asks: side(d.AO), firstSequence: d.CS, lastSequence: d.CS };
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

const repeat = (frames: RawFrame[], times: number): RawFrame[] => Array.from({ length: times }, () => frames).flat();
const bv = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl');
const bitvavo = repeat([bv[1]!, bv[2]!, bv[3]!, readFrameLines('docs-examples/bitvavo_docs_examples.jsonl')[3]!], 25_000);
const bt = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl');
const btcturk = repeat([bt[2]!, bt[3]!, bt[4]!], 33_000);
let sink: unknown = null;

console.log(`node ${process.version}; ${bitvavo.length} Bitvavo frames (getBook, 2 book deltas, docs trade ×25k), ${btcturk.length} BTCTurk frames (431, 2×432 ×33k)`);
pair(
  'bitvavo bare JSON.parse + field map + exact ns',
  'bitvavo mapBitvavoFrame (checked, normalised)',
  bitvavo.length,
  () => bitvavo.forEach((f) => (sink = bareBitvavo(f.text, f.receivedAt))),
  () => bitvavo.forEach((f) => (sink = mapBitvavoFrame(f.text, f.receivedAt))),
);
pair(
  'btcturk bare JSON.parse + field map',
  'btcturk mapBtcturkFrame (checked, normalised)',
  btcturk.length,
  () => btcturk.forEach((f) => (sink = bareBtcturk(f.text, f.receivedAt))),
  () => btcturk.forEach((f) => (sink = mapBtcturkFrame(f.text, f.receivedAt))),
);
void sink;
