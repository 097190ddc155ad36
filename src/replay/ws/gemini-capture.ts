/**
 * The recorded Gemini market data v2 `l2` session as a looped capture, by the replay's own code.
 *
 * The recording's first `l2_updates` per symbol is the whole book with the last 50 trades and
 * `auction_events`; later ones are diffs (`[side, price, absolute quantity]`); `trade` and
 * `heartbeat` carry `timestamp` (ms) and trades `event_id`. Gemini v2 has no sequence numbers,
 * so a loop ≥ 1 sends, in place of each symbol's recorded whole book, a derived diff that brings
 * the book at the end of the recording back to that book; trades get `event_id` + k × (id range
 * + 1) and every `timestamp` + k × period. A client subscribing mid-recording gets a derived
 * whole book (same shape as the recorded one) built from the recorded book and diffs so far.
 *
 * @see https://docs.gemini.com/websocket-api/#market-data-version-2
 */
import { BadInputError } from '../../core/errors.js';
import { isRecord, type RecordedMessage } from './capture-readers.js';
import { locate, loopPeriod, type LoopedCapture, type OutFrame } from './looped-capture.js';
import { PriceBook, type BookSideName, type Level } from './price-book.js';

type Json = Record<string, unknown>;

interface Change {
  side: BookSideName;
  level: Level;
}

interface SymbolState {
  symbol: string;
  initialIndex: number;
  initialBook: PriceBook;
  initialTrades: Json[];
  auctionEvents: unknown[];
  /** Diffs after the whole book: message index and changes. */
  diffs: { index: number; changes: Change[] }[];
  /** Live trades: message index and the trade object. */
  trades: { index: number; trade: Json }[];
  resetChanges: Change[];
}

function changes(v: unknown, where: string): Change[] {
  if (!Array.isArray(v)) throw new BadInputError(`${where}: "changes" is not an array`);
  return v.map((c) => {
    if (!Array.isArray(c) || (c[0] !== 'buy' && c[0] !== 'sell') || typeof c[1] !== 'string' || typeof c[2] !== 'string') {
      throw new BadInputError(`${where}: change ${JSON.stringify(c)} is not ["buy"|"sell","price","quantity"]`);
    }
    return { side: c[0] === 'buy' ? 'bids' : 'asks', level: [c[1], c[2]] as const };
  });
}

function applyAll(book: PriceBook, list: readonly Change[]): void {
  for (const c of list) book.apply(c.side, [c.level]);
}

const wire = (c: Change): [string, string, string] => [c.side === 'bids' ? 'buy' : 'sell', c.level[0], c.level[1]];

export class GeminiCapture implements LoopedCapture {
  readonly messages: RecordedMessage[] = [];
  readonly startAt: number;
  readonly loopStartIndex = 0;
  readonly periodMs: number;
  private readonly parsed: Json[] = [];
  private readonly symbols = new Map<string, SymbolState>();
  private readonly eventIdSpan: number;

  constructor(recv: { at: number; data: unknown }[], readonly name: string) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const widen = (t: Json, where: string): void => {
      if (typeof t.event_id !== 'number') throw new BadInputError(`${where}: trade without a numeric event_id`);
      lo = Math.min(lo, t.event_id);
      hi = Math.max(hi, t.event_id);
    };
    recv.forEach(({ at, data }, index) => {
      const where = `${name} message ${index + 1}`;
      if (!isRecord(data) || typeof data.type !== 'string') throw new BadInputError(`${where}: not an object with a "type"`);
      const symbol = typeof data.symbol === 'string' ? data.symbol : '';
      this.messages.push({ at, stream: data.type, text: JSON.stringify(data) });
      this.parsed.push(data);
      if (data.type === 'l2_updates') {
        const list = changes(data.changes, where);
        const s = this.symbols.get(symbol);
        if (!s) {
          const book = new PriceBook();
          applyAll(book, list);
          const trades = Array.isArray(data.trades) ? data.trades.filter(isRecord) : [];
          trades.forEach((t) => widen(t, where));
          const auctionEvents = Array.isArray(data.auction_events) ? data.auction_events : [];
          this.symbols.set(symbol, { symbol, initialIndex: index, initialBook: book, initialTrades: trades, auctionEvents, diffs: [], trades: [], resetChanges: [] });
        } else {
          s.diffs.push({ index, changes: list });
        }
      } else if (data.type === 'trade') {
        widen(data, where);
        this.symbols.get(symbol)?.trades.push({ index, trade: data });
      }
    });
    this.startAt = this.messages[0]?.at ?? 0;
    this.periodMs = loopPeriod(this.messages, 0);
    this.eventIdSpan = Number.isFinite(hi) ? hi - lo + 1 : 0;
    for (const s of this.symbols.values()) {
      const end = s.initialBook.clone();
      for (const d of s.diffs) applyAll(end, d.changes);
      const c = end.changesTo(s.initialBook, () => '0');
      s.resetChanges = [...c.bids.map((level) => ({ side: 'bids' as const, level })), ...c.asks.map((level) => ({ side: 'asks' as const, level }))];
    }
  }

  /** Symbols recorded (exchange spelling, e.g. BTCGBP). */
  symbolNames(): string[] {
    return [...this.symbols.keys()];
  }

  private shiftTrade(t: Json, k: number): Json {
    if (k === 0) return t;
    const out = { ...t };
    if (typeof out.event_id === 'number') out.event_id += k * this.eventIdSpan;
    if (typeof out.timestamp === 'number') out.timestamp += k * this.periodMs;
    return out;
  }

  render(k: number, i: number): OutFrame | null {
    const m = this.messages[i];
    const o = this.parsed[i];
    if (!m || !o) return null;
    const symbol = typeof o.symbol === 'string' ? o.symbol : '';
    if (k === 0) return { stream: m.stream, symbol, text: m.text, derived: null, loop: 0 };
    const s = this.symbols.get(symbol);
    if (o.type === 'l2_updates' && s && s.initialIndex === i) {
      const text = JSON.stringify({ type: 'l2_updates', symbol, changes: s.resetChanges.map(wire) });
      return { stream: m.stream, symbol, text, derived: 'loop-reset', loop: k };
    }
    if (o.type === 'l2_updates') return { stream: m.stream, symbol, text: m.text, derived: 'loop-shift', loop: k };
    if (o.type === 'trade') return { stream: m.stream, symbol, text: JSON.stringify(this.shiftTrade(o, k)), derived: 'loop-shift', loop: k };
    const shifted = { ...o };
    if (typeof shifted.timestamp === 'number') shifted.timestamp += k * this.periodMs;
    return { stream: m.stream, symbol, text: JSON.stringify(shifted), derived: 'loop-shift', loop: k };
  }

  resets(): OutFrame[] {
    return [];
  }

  /**
   * The whole-book `l2_updates` for a client subscribing at capture time `c`, or undefined when
   * the recorded whole book is still to come in this loop (it will be sent as recorded).
   */
  wholeBookAt(symbol: string, c: number): OutFrame | undefined {
    const s = this.symbols.get(symbol);
    if (!s) return undefined;
    const { k, t } = locate(this, c);
    const initialAt = (this.messages[s.initialIndex] as RecordedMessage).at;
    if (k === 0 && t < initialAt) return undefined;
    const book = s.initialBook.clone();
    for (const d of s.diffs) {
      if ((this.messages[d.index] as RecordedMessage).at > t) break;
      applyAll(book, d.changes);
    }
    const live = s.trades.filter((x) => (this.messages[x.index] as RecordedMessage).at <= t).map((x) => x.trade);
    const trades = [...live.reverse(), ...s.initialTrades].slice(0, 50).map((tr) => this.shiftTrade(tr, k));
    const list = [...book.top('bids').map((level) => wire({ side: 'bids', level })), ...book.top('asks').map((level) => wire({ side: 'asks', level }))];
    const text = JSON.stringify({ type: 'l2_updates', symbol, changes: list, trades, auction_events: s.auctionEvents });
    return { stream: 'l2_updates', symbol, text, derived: 'subscribe-book', loop: k };
  }
}
