/**
 * Messages/s the Bitvavo and BTCTurk mappers parse and normalise (issue 18 "Speed"), against a bare
 * `JSON.parse` + field map of the same frames (the ceiling). For Bitvavo the ceiling keeps the
 * nanosecond `timestamp` exact too (digits cut from the text, BigInt division), since a ceiling
 * that lets JSON.parse round it would not do the same job.
 *
 * Corpus: the recordings hold a handful of frames (shared SOURCES §11), so the corpus repeats them:
 * Bitvavo the recorded `getBook` answer and two `book` deltas
 * (`bitvavo_ws_v2_server_frames_2026-09-23.jsonl`) plus the documentation's trade example
 * (`docs-examples/bitvavo_docs_examples.jsonl`, not a recording) ×25,000; BTCTurk the recorded 431
 * (3 levels per side, trimmed upstream) and two 432 diffs (`btcturk_ws_server_frames_2026-09-23.jsonl`)
 * ×33,000. Mapper and ceiling run alternately, `rounds` rounds after a warm-up; the best round of
 * each and the median paired ratio are reported (the machine is shared).
 */
import { mapBitvavoFrame } from '../../src/connectors/bitvavo/book-mappers.js';
import { mapBtcturkFrame } from '../../src/connectors/btcturk/orderbook-mappers.js';
import type { RawFrame } from '../../src/connectors/ws/raw-frame.js';
import { readFrameLines } from '../../src/connectors/ws/test-captures.js';
import { median } from './report.js';

type Row = Record<string, unknown>;
const lv = (a: unknown): [number, number][] => (a as [string, string][]).map((l) => [+l[0], +l[1]]);

/** Milliseconds of a Bitvavo nanosecond `timestamp`, exact (cut from the text, BigInt division). */
function exactMs(text: string): number {
  const m = /"timestamp":(\d+)/.exec(text);
  return m === null ? NaN : Number(BigInt(m[1]!) / 1_000_000n);
}

/** The Bitvavo ceiling: JSON.parse and a plain field map to the same fields, no checks. */
export function bareBitvavo(text: string, receivedAt: number): unknown {
  const d = JSON.parse(text) as Row;
  if (d.event === 'book') return { kind: 'book_delta', symbol: d.market, receivedAt, exchangeTime: exactMs(text), bids: lv(d.bids), asks: lv(d.asks), firstSequence: d.nonce, lastSequence: d.nonce };
  if (d.event === 'trade') return { kind: 'trade', symbol: d.market, receivedAt, exchangeTime: d.timestamp, tradeId: d.id, price: +(d.price as string), quantity: +(d.amount as string), takerSide: d.side };
  const r = d.response as Row;
  return { kind: 'book_snapshot', symbol: r.market, receivedAt, exchangeTime: exactMs(text), bids: lv(r.bids), asks: lv(r.asks), sequence: r.nonce };
}

/** The BTCTurk ceiling: JSON.parse and a plain field map (431 snapshot, 432 diff). */
export function bareBtcturk(text: string, receivedAt: number): unknown {
  const [type, d] = JSON.parse(text) as [number, Row];
  const side = (a: unknown): [number, number][] => (a as Row[]).map((l) => [+(l.P as string), l.CP === 3 ? 0 : +(l.A as string)]);
  if (type === 431) return { kind: 'book_snapshot', symbol: d.PS, receivedAt, bids: side(d.BO), asks: side(d.AO), sequence: d.CS };
  return { kind: 'book_delta', symbol: d.PS, receivedAt, bids: side(d.BO), asks: side(d.AO), firstSequence: d.CS, lastSequence: d.CS };
}

export interface FeedParseCase {
  exchange: 'bitvavo' | 'btcturk';
  messages: string;
  count: number;
  /** Best round, messages/s. */
  ceiling: number;
  ours: number;
  /** Median of the per-round ours/ceiling ratios. */
  oursVsCeiling: number;
}

const repeat = (frames: RawFrame[], times: number): RawFrame[] => Array.from({ length: times }, () => frames).flat();

function timeOnce(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

let sink: unknown = null;

function pair(frames: RawFrame[], ceiling: (text: string, at: number) => unknown, ours: (text: string, at: number) => unknown, rounds: number): Pick<FeedParseCase, 'ceiling' | 'ours' | 'oursVsCeiling'> {
  const runCeiling = (): void => frames.forEach((f) => (sink = ceiling(f.text, f.receivedAt)));
  const runOurs = (): void => frames.forEach((f) => (sink = ours(f.text, f.receivedAt)));
  runCeiling();
  runOurs();
  let ceilingMs = Infinity;
  let oursMs = Infinity;
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c = timeOnce(runCeiling);
    const o = timeOnce(runOurs);
    ceilingMs = Math.min(ceilingMs, c);
    oursMs = Math.min(oursMs, o);
    ratios.push(c / o);
  }
  return { ceiling: (frames.length / ceilingMs) * 1000, ours: (frames.length / oursMs) * 1000, oursVsCeiling: median(ratios) };
}

export function measureFeedParseSpeed(rounds: number): FeedParseCase[] {
  const bv = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl');
  const bitvavo = repeat([bv[1]!, bv[2]!, bv[3]!, readFrameLines('docs-examples/bitvavo_docs_examples.jsonl')[3]!], 25_000);
  const bt = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl');
  const btcturk = repeat([bt[2]!, bt[3]!, bt[4]!], 33_000);
  const cases: FeedParseCase[] = [
    { exchange: 'bitvavo', messages: '`getBook` + 2 `book` deltas (recorded) + docs trade, ×25,000', count: bitvavo.length, ...pair(bitvavo, bareBitvavo, mapBitvavoFrame, rounds) },
    { exchange: 'btcturk', messages: '431 + 2×432 (recorded), ×33,000', count: btcturk.length, ...pair(btcturk, bareBtcturk, mapBtcturkFrame, rounds) },
  ];
  void sink;
  return cases;
}
