/**
 * Recorded Binance spot streams as a looped capture, and the REST depth snapshots consistent
 * with them, derived by the replay's own code.
 *
 * Loops ≥ 1 start at the last recorded REST snapshot's arrival (`loopStartIndex`). For a symbol
 * with a recorded snapshot, loop k is preceded by one derived `depthUpdate` (U = u = the next
 * update id) that turns the book at the end of the recording back into the book at the loop's
 * start, so a client that keeps its book across the seam holds the same book as one that
 * fetches a new snapshot. Ids are shifted per symbol by whole spans (update ids by
 * S = last u − first looped U + 2, trade ids and aggregate ids by their ranges + 1), times by
 * k × period, so `U` = previous `u` + 1 and trade ids stay contiguous across loops.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book
 */
import { BadInputError } from '../../core/errors.js';
import { isRecord, parseObject, type RecordedMessage, type RecordedSnapshot } from './capture-readers.js';
import { firstAfter, locate, loopPeriod, type LoopedCapture, type OutFrame } from './looped-capture.js';
import { parseLevels, PriceBook, type Level } from './price-book.js';

interface DepthDiff {
  index: number;
  at: number;
  E: number;
  U: number;
  u: number;
  b: Level[];
  a: Level[];
}

interface SymbolState {
  symbol: string;
  depthStream: string | undefined;
  diffs: DepthDiff[];
  snapshot?: { at: number; text: string; lastUpdateId: number; book: PriceBook };
  /** Index in `diffs` of the first diff replayed in loops ≥ 1. */
  firstLooped: number;
  /** Book just before `diffs[firstLooped]`, and after the last diff. */
  loopStartBook?: PriceBook;
  resetChanges?: Record<'bids' | 'asks', Level[]>;
  updateSpan: number;
  tradeIdSpan: number;
  aggIdSpan: number;
  /** The last derived REST book, advanced in place while requests move forward in one loop. */
  memo?: { k: number; next: number; book: PriceBook; lastId: number };
}

type Json = Record<string, unknown>;

function num(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new BadInputError(`${where}: "${key}" is not an integer`);
  return v;
}

/** `symbol` of a stream name: the part before the first `@`, upper-cased. */
export function streamSymbol(stream: string): string {
  return (stream.split('@')[0] ?? '').toUpperCase();
}

const zeroLike = (_side: 'bids' | 'asks', level: Level): string => level[1].replace(/[1-9]/g, '0');

export class BinanceCapture implements LoopedCapture {
  readonly messages: readonly RecordedMessage[];
  readonly startAt: number;
  readonly loopStartIndex: number;
  readonly periodMs: number;
  private readonly symbols = new Map<string, SymbolState>();

  /**
   * @param messages stream messages in arrival order
   * @param snapshots recorded REST depth snapshots, by upper-case symbol
   */
  constructor(messages: RecordedMessage[], snapshots: Map<string, RecordedSnapshot>, readonly name: string) {
    this.messages = messages;
    this.startAt = messages[0]?.at ?? 0;
    const lastSnapshotAt = Math.max(this.startAt, ...[...snapshots.values()].map((s) => s.at));
    this.loopStartIndex = Math.min(firstAfter(messages, lastSnapshotAt - 1), Math.max(0, messages.length - 1));
    const hasKlines = messages.some((m) => m.stream.includes('@kline_'));
    // Klines open on whole minutes: shift their times by whole minutes only.
    this.periodMs = loopPeriod(messages, this.loopStartIndex, hasKlines ? 60_000 : 1);
    this.index(snapshots);
  }

  private state(symbol: string): SymbolState {
    let s = this.symbols.get(symbol);
    if (!s) {
      s = { symbol, depthStream: undefined, diffs: [], firstLooped: 0, updateSpan: 0, tradeIdSpan: 0, aggIdSpan: 0 };
      this.symbols.set(symbol, s);
    }
    return s;
  }

  private index(snapshots: Map<string, RecordedSnapshot>): void {
    const tradeIds = new Map<string, { lo: number; hi: number }>();
    const aggIds = new Map<string, { lo: number; hi: number }>();
    const widen = (m: Map<string, { lo: number; hi: number }>, sym: string, lo: number, hi: number): void => {
      const r = m.get(sym);
      if (!r) m.set(sym, { lo, hi });
      else m.set(sym, { lo: Math.min(r.lo, lo), hi: Math.max(r.hi, hi) });
    };
    this.messages.forEach((m, index) => {
      const sym = streamSymbol(m.stream);
      const s = this.state(sym);
      const kind = m.stream.slice(m.stream.indexOf('@') + 1);
      const where = `${this.name} message ${index + 1} (${m.stream})`;
      if (kind === 'depth' || kind === 'depth@100ms') {
        const o = parseObject(m.text, where);
        s.depthStream = m.stream;
        s.diffs.push({ index, at: m.at, E: num(o, 'E', where), U: num(o, 'U', where), u: num(o, 'u', where), b: parseLevels(o.b, where), a: parseLevels(o.a, where) });
        return;
      }
      if (index < this.loopStartIndex) return;
      if (kind === 'trade') {
        const t = num(parseObject(m.text, where), 't', where);
        widen(tradeIds, sym, t, t);
      } else if (kind === 'aggTrade') {
        const o = parseObject(m.text, where);
        widen(aggIds, sym, num(o, 'a', where), num(o, 'a', where));
        widen(tradeIds, sym, num(o, 'f', where), num(o, 'l', where));
      } else if (kind.startsWith('kline_')) {
        const k = parseObject(m.text, where).k;
        if (!isRecord(k)) throw new BadInputError(`${where}: no "k" object`);
        // f/L are -1 in a kline with no trades yet.
        if (num(k, 'f', where) >= 0) widen(tradeIds, sym, num(k, 'f', where), num(k, 'L', where));
      }
    });
    for (const s of this.symbols.values()) {
      const snap = snapshots.get(s.symbol);
      s.firstLooped = s.diffs.findIndex((d) => d.index >= this.loopStartIndex);
      if (s.firstLooped < 0) s.firstLooped = s.diffs.length;
      const t = tradeIds.get(s.symbol);
      const a = aggIds.get(s.symbol);
      s.tradeIdSpan = t ? t.hi - t.lo + 1 : 0;
      s.aggIdSpan = a ? a.hi - a.lo + 1 : 0;
      const firstU = s.diffs[s.firstLooped]?.U;
      const lastU = s.diffs[s.diffs.length - 1]?.u;
      if (snap && firstU !== undefined && lastU !== undefined) {
        const where = `${this.name} ${s.symbol} depth snapshot`;
        const o = parseObject(snap.text, where);
        const book = new PriceBook();
        book.apply('bids', parseLevels(o.bids, where));
        book.apply('asks', parseLevels(o.asks, where));
        s.snapshot = { at: snap.at, text: snap.text, lastUpdateId: num(o, 'lastUpdateId', where), book };
        s.loopStartBook = this.bookAfter(s, s.firstLooped);
        s.resetChanges = this.bookAfter(s, s.diffs.length).changesTo(s.loopStartBook, zeroLike);
        s.updateSpan = lastU - firstU + 2;
      } else if (firstU !== undefined && lastU !== undefined) {
        s.updateSpan = lastU - firstU + 1;
      }
    }
  }

  /** Loop-0 book: the recorded snapshot with every diff newer than it among `diffs[0, end)`. */
  private bookAfter(s: SymbolState, end: number): PriceBook {
    const snap = s.snapshot;
    if (!snap) throw new Error(`${s.symbol} has no recorded snapshot`);
    const book = snap.book.clone();
    for (let j = 0; j < end; j++) {
      const d = s.diffs[j] as DepthDiff;
      if (d.u <= snap.lastUpdateId) continue;
      book.apply('bids', d.b);
      book.apply('asks', d.a);
    }
    return book;
  }

  /** Symbols with a REST depth snapshot. */
  depthSymbols(): string[] {
    return [...this.symbols.values()].filter((s) => s.snapshot).map((s) => s.symbol);
  }

  /** Stream names recorded. */
  streams(): Set<string> {
    return new Set(this.messages.map((m) => m.stream));
  }

  render(k: number, i: number): OutFrame | null {
    const m = this.messages[i];
    if (!m) return null;
    const symbol = streamSymbol(m.stream);
    if (k === 0) return { stream: m.stream, symbol, text: m.text, derived: null, loop: 0 };
    if (i < this.loopStartIndex) return null;
    const s = this.symbols.get(symbol);
    if (!s) return null;
    const o = parseObject(m.text, `${this.name} message ${i + 1}`);
    const dt = k * this.periodMs;
    const dU = k * s.updateSpan;
    const dTrade = k * s.tradeIdSpan;
    const shift = (obj: Json, key: string, by: number): void => {
      const v = obj[key];
      if (typeof v === 'number') obj[key] = v + by;
    };
    shift(o, 'E', dt);
    shift(o, 'T', dt);
    if (o.e === 'depthUpdate' || !('e' in o)) {
      // depthUpdate and bookTicker share the symbol's update-id sequence.
      shift(o, 'U', dU);
      shift(o, 'u', dU);
    }
    if (o.e === 'trade') shift(o, 't', dTrade);
    if (o.e === 'aggTrade') {
      shift(o, 'a', k * s.aggIdSpan);
      shift(o, 'f', dTrade);
      shift(o, 'l', dTrade);
    }
    if (o.e === 'kline' && isRecord(o.k)) {
      shift(o.k, 't', dt);
      shift(o.k, 'T', dt);
      if (typeof o.k.f === 'number' && o.k.f >= 0) {
        shift(o.k, 'f', dTrade);
        shift(o.k, 'L', dTrade);
      }
    }
    return { stream: m.stream, symbol, text: JSON.stringify(o), derived: 'loop-shift', loop: k };
  }

  resets(k: number): OutFrame[] {
    const out: OutFrame[] = [];
    for (const s of this.symbols.values()) {
      const first = s.diffs[s.firstLooped];
      const last = s.diffs[s.diffs.length - 1];
      if (!s.resetChanges || !s.depthStream || !first || !last) continue;
      const id = last.u + (k - 1) * s.updateSpan + 1;
      const body = { e: 'depthUpdate', E: first.E + k * this.periodMs - 1, s: s.symbol, U: id, u: id, b: s.resetChanges.bids, a: s.resetChanges.asks };
      out.push({ stream: s.depthStream, symbol: s.symbol, text: JSON.stringify(body), derived: 'loop-reset', loop: k });
    }
    return out;
  }

  /**
   * `GET /api/v3/depth` body at capture time `c`: before the recorded snapshot arrived, the
   * recorded snapshot itself; later, the book derived from it and every diff received by then
   * (lastUpdateId = the last applied `u`, shifted like the stream in later loops).
   * Undefined for a symbol without a recorded snapshot.
   */
  depthAt(symbol: string, c: number, limit: number): { body: string; derived: boolean; loop: number } | undefined {
    const s = this.symbols.get(symbol);
    const snap = s?.snapshot;
    if (!s || !snap || !s.loopStartBook) return undefined;
    const { k, t } = locate(this, c);
    if (k === 0 && t < snap.at) {
      const book = snap.book;
      if (book.bids.size <= limit && book.asks.size <= limit) return { body: snap.text, derived: false, loop: 0 };
      return { body: JSON.stringify({ lastUpdateId: snap.lastUpdateId, bids: book.top('bids', limit), asks: book.top('asks', limit) }), derived: true, loop: 0 };
    }
    const last = s.diffs[s.diffs.length - 1] as DepthDiff;
    const memo = s.memo;
    if (!memo || memo.k !== k || (memo.next > 0 && (s.diffs[memo.next - 1] as DepthDiff).at > t)) {
      s.memo =
        k === 0
          ? { k, next: 0, book: snap.book.clone(), lastId: snap.lastUpdateId }
          : { k, next: s.firstLooped, book: s.loopStartBook.clone(), lastId: last.u + (k - 1) * s.updateSpan + 1 };
    }
    const m = s.memo as NonNullable<SymbolState['memo']>;
    for (; m.next < s.diffs.length; m.next++) {
      const d = s.diffs[m.next] as DepthDiff;
      if (d.at > t) break;
      if (k === 0 && d.u <= snap.lastUpdateId) continue;
      m.book.apply('bids', d.b);
      m.book.apply('asks', d.a);
      m.lastId = d.u + k * s.updateSpan;
    }
    const { book, lastId } = m;
    return { body: JSON.stringify({ lastUpdateId: lastId, bids: book.top('bids', limit), asks: book.top('asks', limit) }), derived: true, loop: k };
  }
}
