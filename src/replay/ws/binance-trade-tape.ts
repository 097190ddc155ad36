/**
 * The recorded Binance `trade` events of a looped capture as the exchange's trade history:
 * `GET /api/v3/historicalTrades` bodies (trades by id from `fromId`, as many as `limit`, only
 * those that have happened by the replay clock). Loop k ≥ 1 replays the trades from the capture's
 * loop start with ids + k × span and times + k × period, exactly as `BinanceCapture.render` shifts
 * the stream's `t` and `T` (span = looped id range + 1), so the REST ids continue the stream's.
 * Derived from the recording with the replay's own code (it shares nothing with the client).
 *
 * Only `trade` streams are served here: the stream subscribes `<symbol>@trade` by default, and
 * `historicalTrades` is the REST endpoint that pages the same ids. A capture's `aggTrade` events
 * (the cryptofeed recording has 2) are not served over REST.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#old-trade-lookup
 */
import { BadInputError } from '../../core/errors.js';
import { parseObject } from './capture-readers.js';
import { streamSymbol } from './binance-capture.js';
import type { LoopedCapture } from './looped-capture.js';

interface TapeTrade {
  /** Capture time the stream sent it (loop 0). */
  at: number;
  id: number;
  price: string;
  qty: string;
  time: number;
  buyerMaker: boolean;
  bestMatch: boolean;
}

interface SymbolTape {
  /** Every trade of loop 0, by id. */
  all: TapeTrade[];
  /** Index in `all` of the first trade replayed in loops ≥ 1. */
  firstLooped: number;
  /** Looped id range + 1: loop k's ids are loop 1's ids + (k − 1) × span. */
  span: number;
}

function field<T>(o: Record<string, unknown>, key: string, where: string, ok: (v: unknown) => v is T): T {
  const v = o[key];
  if (!ok(v)) throw new BadInputError(`${where}: "${key}" is missing or of the wrong type`);
  return v;
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

/** price × qty exactly, with at least 8 decimals as Binance's quote quantities are written ("2088.24695080"). */
export function quoteQuantity(price: string, qty: string): string {
  const [pi = '0', pf = ''] = price.split('.');
  const [qi = '0', qf = ''] = qty.split('.');
  const scale = pf.length + qf.length;
  const digits = (BigInt(pi + pf) * BigInt(qi + qf)).toString().padStart(scale + 1, '0');
  let frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  frac = frac.padEnd(8, '0');
  return `${digits.slice(0, digits.length - scale)}.${frac}`;
}

/** The first index in `trades[from, to)` whose id is ≥ `id` (ids ascend). */
function firstIdAtLeast(trades: readonly TapeTrade[], id: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((trades[mid] as TapeTrade).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class BinanceTradeTape {
  readonly #symbols = new Map<string, SymbolTape>();

  constructor(private readonly capture: LoopedCapture) {
    capture.messages.forEach((m, index) => {
      if (!m.stream.endsWith('@trade')) return;
      const where = `${m.stream} message ${index + 1}`;
      const o = parseObject(m.text, where);
      const symbol = streamSymbol(m.stream);
      let tape = this.#symbols.get(symbol);
      if (!tape) this.#symbols.set(symbol, (tape = { all: [], firstLooped: -1, span: 0 }));
      const t: TapeTrade = {
        at: m.at,
        id: field(o, 't', where, isInt),
        price: field(o, 'p', where, isText),
        qty: field(o, 'q', where, isText),
        time: field(o, 'T', where, isInt),
        buyerMaker: field(o, 'm', where, isBool),
        bestMatch: field(o, 'M', where, isBool),
      };
      const prev = tape.all.at(-1);
      if (prev && t.id <= prev.id) throw new BadInputError(`${where}: trade id ${t.id} does not follow ${prev.id}`);
      if (index >= capture.loopStartIndex && tape.firstLooped < 0) tape.firstLooped = tape.all.length;
      tape.all.push(t);
    });
    for (const tape of this.#symbols.values()) {
      if (tape.firstLooped < 0) tape.firstLooped = tape.all.length;
      const first = tape.all[tape.firstLooped];
      const last = tape.all.at(-1);
      tape.span = first && last ? last.id - first.id + 1 : 0;
    }
  }

  /** Symbols with recorded trades. */
  symbols(): string[] {
    return [...this.#symbols.keys()];
  }

  /** Trade `j` of the looped part in loop k ≥ 1, shifted like the stream. */
  #looped(tape: SymbolTape, k: number, j: number): TapeTrade {
    const t = tape.all[tape.firstLooped + j] as TapeTrade;
    return { ...t, at: t.at + k * this.capture.periodMs, id: t.id + k * tape.span, time: t.time + k * this.capture.periodMs };
  }

  /** Position (loop, index) of the first trade with id ≥ `id`. */
  #seek(tape: SymbolTape, id: number): { k: number; i: number } {
    const loopLen = tape.all.length - tape.firstLooped;
    const lastLoop0 = tape.all.at(-1);
    if (!lastLoop0 || id <= lastLoop0.id || loopLen === 0) return { k: 0, i: firstIdAtLeast(tape.all, id, 0, tape.all.length) };
    const firstLoopedId = (tape.all[tape.firstLooped] as TapeTrade).id;
    const k = Math.max(1, Math.floor((id - firstLoopedId) / tape.span));
    const j = firstIdAtLeast(tape.all, id - k * tape.span, tape.firstLooped, tape.all.length) - tape.firstLooped;
    return j >= loopLen ? { k: k + 1, i: 0 } : { k, i: j };
  }

  #at(tape: SymbolTape, k: number, i: number): TapeTrade {
    return k === 0 ? (tape.all[i] as TapeTrade) : this.#looped(tape, k, i);
  }

  #next(tape: SymbolTape, k: number, i: number): { k: number; i: number } {
    const len = k === 0 ? tape.all.length : tape.all.length - tape.firstLooped;
    if (i + 1 < len) return { k, i: i + 1 };
    return { k: k + 1, i: 0 };
  }

  /**
   * The `historicalTrades` body for `symbol` at capture time `c`: up to `limit` trades from
   * `fromId` on (or the most recent `limit` without it), none the stream has not sent by `c`.
   * Undefined for a symbol with no recorded trades.
   */
  historicalTrades(symbol: string, c: number, limit: number, fromId: number | undefined): string | undefined {
    const tape = this.#symbols.get(symbol);
    if (!tape || tape.all.length === 0) return undefined;
    const happened = (t: TapeTrade): boolean => t.at <= c;
    const loopLen = tape.all.length - tape.firstLooped;
    let from = fromId;
    if (from === undefined) {
      // The most recent `limit` trades: ids are contiguous in the recording and across loops.
      const newest = this.#newestBy(tape, c);
      if (!newest) return '[]';
      from = this.#at(tape, newest.k, newest.i).id - limit + 1;
    }
    let pos = this.#seek(tape, from);
    const rows: string[] = [];
    if (pos.k > 0 && loopLen === 0) return '[]';
    for (let n = 0; n < limit; n++) {
      if (pos.k === 0 && pos.i >= tape.all.length) pos = { k: 1, i: 0 };
      if (pos.k > 0 && loopLen === 0) break;
      const t = this.#at(tape, pos.k, pos.i);
      if (!happened(t)) break;
      rows.push(
        JSON.stringify({ id: t.id, price: t.price, qty: t.qty, quoteQty: quoteQuantity(t.price, t.qty), time: t.time, isBuyerMaker: t.buyerMaker, isBestMatch: t.bestMatch }),
      );
      pos = this.#next(tape, pos.k, pos.i);
    }
    return `[${rows.join(',')}]`;
  }

  /** The newest trade sent by capture time c, or null when none has been. */
  #newestBy(tape: SymbolTape, c: number): { k: number; i: number } | null {
    const period = this.capture.periodMs;
    const loopLen = tape.all.length - tape.firstLooped;
    const lastIn = (from: number, to: number, limitAt: number): number => {
      let lo = from;
      let hi = to;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((tape.all[mid] as TapeTrade).at <= limitAt) lo = mid + 1;
        else hi = mid;
      }
      return lo - 1;
    };
    if (loopLen > 0) {
      const loopStartAt = this.capture.messages[this.capture.loopStartIndex]?.at ?? this.capture.startAt;
      for (let k = Math.max(1, Math.floor((c - loopStartAt) / period)); k >= 1; k--) {
        const j = lastIn(tape.firstLooped, tape.all.length, c - k * period);
        if (j >= tape.firstLooped) return { k, i: j - tape.firstLooped };
      }
    }
    const i = lastIn(0, tape.all.length, c);
    return i >= 0 ? { k: 0, i } : null;
  }
}
