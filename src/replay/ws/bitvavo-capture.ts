/**
 * Bitvavo websocket API v2 `book` and `trades` as a looped capture, and the REST order book
 * consistent with it, by the replay's own code.
 *
 * Few Bitvavo frames were ever recorded (fixtures/SOURCES.md, shared SOURCES §11.1): one `getBook`
 * answer (BTC-EUR, nonce 413297445, 01:38:16 UTC) and two `book` events 9 ms apart (XRP-EUR, then
 * BTC-EUR, 01:24:53 UTC, an earlier run), and no trade. The capture is built from them and the
 * documentation's trade example (fixtures/ws/docs-examples/bitvavo_docs_examples.jsonl):
 * - time: the `getBook` answer's time T0; the book events 100 ms later (the standard API batches a
 *   market's updates every 100 ms), 9 ms apart as recorded; the trade at T0 + 500 ms; a loop every
 *   second. A book `timestamp` is nanoseconds: the new millisecond with the recorded sub-ms digits,
 *   written from the digits (above 2^53, a double would round it).
 * - books: BTC-EUR starts from the recorded answer, XRP-EUR (no snapshot recorded) from the book
 *   its one event builds, one nonce below it; nonces follow on from the start book, with no hole
 *   across loops; from loop 1 a derived event first brings BTC-EUR back to the recorded book
 *   (levels the events added set to "0", as recorded deletes are spelled).
 * - trades: the documentation's example (BTC-EUR at 9311.2, a 2019 price: bars of it are flat and
 *   far from the book), its `timestamp` (ms) and `timestampNs` set to when it is sent and its id's
 *   last 12 hex digits + k in loop k.
 *
 * @see https://docs.bitvavo.com/docs/websocket-api/book-subscription
 * @see https://docs.bitvavo.com/docs/ws-market-data-pro-api/trades-subscription
 * @see https://docs.bitvavo.com/docs/rest-api/get-order-book/
 */
import { BadInputError } from '../../core/errors.js';
import { parseObject, type RecordedMessage } from './capture-readers.js';
import { locate, type LoopedCapture, type OutFrame } from './looped-capture.js';
import { LoopedBook, applyDiff, type ScheduledDiff } from './looped-book.js';
import { parseLevels, PriceBook, type Level } from './price-book.js';

const NS_PER_MS = 1_000_000n;
const BITVAVO_LOOP_MS = 1000;
const BOOK_BATCH_MS = 100;
const TRADE_AT_MS = 500;

type Json = Record<string, unknown>;

/** The digits of the first integer `"key":` in `text`: nanosecond times are read as text, never as a double. */
function integerText(text: string, key: string, where: string): string {
  const m = new RegExp(`"${key}":(\\d+)`).exec(text);
  if (!m?.[1]) throw new BadInputError(`${where}: no integer "${key}"`);
  return m[1];
}

function stringOf(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BadInputError(`${where}: "${key}" is not a string`);
  return v;
}

function nonceOf(o: Json, where: string): number {
  const v = o.nonce;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new BadInputError(`${where}: "nonce" is not an integer`);
  return v;
}

interface RecordedBookEvent {
  market: string;
  nonce: number;
  ns: bigint;
  bids: Level[];
  asks: Level[];
}

interface RecordedSnapshot {
  market: string;
  nonce: number;
  ns: bigint;
  book: PriceBook;
  /** The `response` object's text as recorded. */
  text: string;
}

/** What a message of the capture is, beside its text. */
type Entry = { kind: 'book'; market: string; j: number; subMsNs: bigint } | { kind: 'trade'; trade: Json };

/** A decimal as Bitvavo's book answers write it: no trailing zeros ("75516.00" → "75516", "0.00100000" → "0.001"). */
function unpadded(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal;
}

const unpaddedLevels = (levels: readonly Level[]): Level[] => levels.map(([p, q]) => [unpadded(p), unpadded(q)] as const);

/** `{…,"timestamp":<ns>}`: the digits appended as text. */
function bookEventText(market: string, nonce: number, bids: readonly Level[], asks: readonly Level[], ns: bigint): string {
  return `${JSON.stringify({ event: 'book', market, nonce, bids, asks }).slice(0, -1)},"timestamp":${ns}}`;
}

export class BitvavoCapture implements LoopedCapture {
  readonly messages: RecordedMessage[] = [];
  readonly startAt: number;
  readonly loopStartIndex = 0;
  readonly periodMs = BITVAVO_LOOP_MS;
  private readonly entries: Entry[] = [];
  private readonly books = new Map<string, LoopedBook>();
  private readonly snapshots = new Map<string, RecordedSnapshot>();

  /**
   * @param recorded the recorded server frames, one per line (shared SOURCES §11.1)
   * @param docsExamples the documentation examples, one per line (the trade example is used)
   */
  constructor(recorded: readonly string[], docsExamples: readonly string[], readonly name: string) {
    const events: RecordedBookEvent[] = [];
    recorded.forEach((text, i) => {
      const where = `${name} line ${i + 1}`;
      const o = parseObject(text, where);
      if (o.event === 'book') {
        events.push({ market: stringOf(o, 'market', where), nonce: nonceOf(o, where), ns: BigInt(integerText(text, 'timestamp', where)), bids: parseLevels(o.bids, where), asks: parseLevels(o.asks, where) });
      } else if (o.action === 'getBook' && typeof o.response === 'object' && o.response !== null) {
        const r = o.response as Json;
        const book = new PriceBook();
        applyDiff(book, { bids: parseLevels(r.bids, where), asks: parseLevels(r.asks, where) });
        const at = text.indexOf('"response":') + '"response":'.length;
        const market = stringOf(r, 'market', where);
        this.snapshots.set(market, { market, nonce: nonceOf(r, where), ns: BigInt(integerText(text, 'timestamp', where)), book, text: text.slice(at, text.lastIndexOf('}')) });
      }
    });
    const trade = docsExamples.map((t, i) => parseObject(t, `bitvavo docs example ${i + 1}`)).find((o) => o.event === 'trade');
    const first = [...this.snapshots.values()][0];
    if (!first || events.length === 0 || !trade) throw new BadInputError(`${name}: needs a recorded getBook answer, book events and the documentation's trade example`);

    const t0 = Number(first.ns / NS_PER_MS);
    const lastEventMs = Math.max(...events.map((e) => Number(e.ns / NS_PER_MS)));
    const diffs = new Map<string, ScheduledDiff[]>();
    const scheduled: { at: number; entry: Entry }[] = events.map((e) => {
      const recordedMs = Number(e.ns / NS_PER_MS);
      const at = t0 + BOOK_BATCH_MS - (lastEventMs - recordedMs);
      const list = diffs.get(e.market) ?? [];
      list.push({ at, bids: e.bids, asks: e.asks });
      diffs.set(e.market, list);
      return { at, entry: { kind: 'book', market: e.market, j: list.length - 1, subMsNs: e.ns % NS_PER_MS } };
    });
    scheduled.push({ at: t0 + TRADE_AT_MS, entry: { kind: 'trade', trade } });
    scheduled.sort((a, b) => a.at - b.at);
    for (const { at, entry } of scheduled) {
      this.entries.push(entry);
      this.messages.push({ at, stream: entry.kind === 'book' ? 'book' : 'trades', text: '' });
    }
    this.startAt = this.messages[0]?.at ?? t0;
    for (const [market, list] of diffs) {
      const snap = this.snapshots.get(market);
      let start = snap?.book.clone();
      if (!start) {
        start = new PriceBook();
        for (const d of list) applyDiff(start, d);
      }
      // Without a snapshot, the start book is one nonce below the market's first recorded event.
      const base = snap?.nonce ?? Math.min(...events.filter((e) => e.market === market).map((e) => e.nonce)) - 1;
      this.books.set(market, new LoopedBook(market, start, list, base, () => '0'));
    }
  }

  private tradeText(trade: Json, k: number, at: number): string {
    const id = stringOf(trade, 'id', 'bitvavo trade example');
    const tail = id.slice(-12);
    const shifted = k === 0 ? id : `${id.slice(0, -12)}${((BigInt(`0x${tail}`) + BigInt(k)) % (1n << 48n)).toString(16).padStart(12, '0')}`;
    const text = JSON.stringify({ ...trade, id: shifted, timestamp: at, timestampNs: 0 });
    return text.replace('"timestampNs":0', `"timestampNs":${BigInt(at) * NS_PER_MS}`);
  }

  render(k: number, i: number): OutFrame | null {
    const m = this.messages[i];
    const e = this.entries[i];
    if (!m || !e) return null;
    const at = m.at + k * this.periodMs;
    const derived = k === 0 ? 'rescheduled' : 'loop-shift';
    if (e.kind === 'trade') {
      return { stream: 'trades', symbol: stringOf(e.trade, 'market', 'bitvavo trade example'), text: this.tradeText(e.trade, k, at), derived, loop: k };
    }
    const book = this.books.get(e.market) as LoopedBook;
    const d = book.diffs[e.j] as ScheduledDiff;
    const text = bookEventText(e.market, book.sequence(k, e.j), d.bids, d.asks, BigInt(at) * NS_PER_MS + e.subMsNs);
    return { stream: 'book', symbol: e.market, text, derived, loop: k };
  }

  resets(k: number): OutFrame[] {
    const ns = BigInt(this.startAt + k * this.periodMs) * NS_PER_MS;
    return [...this.books.values()]
      .filter((b) => b.hasReset)
      .map((b) => ({ stream: 'book', symbol: b.market, text: bookEventText(b.market, b.resetSequence(k), b.reset.bids, b.reset.asks, ns), derived: 'loop-reset', loop: k }));
  }

  /**
   * `GET /{market}/book` body at capture time `c` (`{market,nonce,bids,asks,timestamp}`, best
   * first, at most `depth` levels a side): the recorded answer itself until the market's first
   * event is sent, later the book the events sent have made, its nonce the newest event's and its
   * time `c`, its decimals unpadded as in the recorded answer (the events pad them). Undefined for
   * a market the capture has no book of.
   */
  bookAt(market: string, c: number, depth = Number.POSITIVE_INFINITY): { body: string; derived: boolean; loop: number } | undefined {
    const book = this.books.get(market);
    if (!book) return undefined;
    const { k, t } = locate(this, c);
    const now = book.at(k, t);
    const snap = this.snapshots.get(market);
    if (snap && k === 0 && now.diffsApplied === 0 && snap.book.bids.size <= depth && snap.book.asks.size <= depth) return { body: snap.text, derived: false, loop: 0 };
    const ns = BigInt(Math.floor(c)) * NS_PER_MS;
    const body = `${JSON.stringify({ market, nonce: now.sequence, bids: unpaddedLevels(now.book.top('bids', depth)), asks: unpaddedLevels(now.book.top('asks', depth)) }).slice(0, -1)},"timestamp":${ns}}`;
    return { body, derived: true, loop: k };
  }
}
