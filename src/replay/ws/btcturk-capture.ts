/**
 * BTCTurk's websocket feed `obdiff` channel as a looped capture, and the REST order book consistent
 * with it, by the replay's own code.
 *
 * Seven BTCTurk frames were ever recorded (fixtures/SOURCES.md, shared SOURCES §11.2), none with a
 * time: the 991 version frame, join results (100, ok true and false), one 431 book (BTCUSDT,
 * `CS` 3999242, trimmed upstream to 3 levels a side) and two 432 diffs of ETHUSDT from two runs
 * (`CS` 4008255 and 4097621). The capture is built from them alone:
 * - BTCUSDT: the recorded 431, and no diffs (none was recorded), so its book never changes.
 * - ETHUSDT: its two diffs in `CS` order, one every half second, a loop every second; its book is
 *   the one the diffs build (no 431 was recorded for it), one `CS` below the first diff, which keeps
 *   its recorded `CS`; every later diff is numbered on from it with no hole across loops. The diffs
 *   leave that book as it was, so a loop needs no reset frame (a recorded `CP` 1, "new level", is
 *   then resent for a level that exists: diffs carry absolute amounts).
 * - the REST `GET /api/v2/orderbook` body is the documentation example's envelope around the book
 *   the diffs sent so far have made; no frame carries a time, so its `timestamp` is the replay clock.
 *
 * @see https://docs.btcturk.com/websocket-feed/models
 * @see https://docs.btcturk.com/public-endpoints/orderbook
 */
import { BadInputError } from '../../core/errors.js';
import type { RecordedMessage } from './capture-readers.js';
import { locate, type LoopedCapture, type OutFrame } from './looped-capture.js';
import { LoopedBook, applyDiff, type ScheduledDiff } from './looped-book.js';
import { PriceBook, type Level } from './price-book.js';

const BTCTURK_LOOP_MS = 1000;

type Json = Record<string, unknown>;

/** `[type, {…}]` with the body, or a BadInputError naming `where`. */
function parseFrame(text: string, where: string): { type: number; body: Json } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`${where}: not JSON`, { cause: err });
  }
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'object' || v[1] === null || Array.isArray(v[1])) throw new BadInputError(`${where}: not [type, {…}]`);
  return { type: v[0], body: v[1] as Json };
}

function csOf(body: Json, where: string): number {
  if (typeof body.CS !== 'number' || !Number.isSafeInteger(body.CS)) throw new BadInputError(`${where}: "CS" is not an integer`);
  return body.CS;
}

function pairOf(body: Json, where: string): string {
  if (typeof body.PS !== 'string') throw new BadInputError(`${where}: "PS" is not a string`);
  return body.PS;
}

/** `[{A,P}]` (431) or `[{CP,P,A}]` (432) as absolute levels; `CP` 3 removes the level. */
function entries(v: unknown, where: string): Level[] {
  if (!Array.isArray(v)) throw new BadInputError(`${where}: levels are not an array`);
  return v.map((e: unknown) => {
    if (typeof e !== 'object' || e === null) throw new BadInputError(`${where}: level ${JSON.stringify(e)} is not an object`);
    const { P, A, CP } = e as Json;
    if (typeof P !== 'string' || typeof A !== 'string') throw new BadInputError(`${where}: level ${JSON.stringify(e)} has no "P" and "A" strings`);
    return [P, CP === 3 ? '0' : A] as const;
  });
}

interface RecordedBook {
  cs: number;
  book: PriceBook;
  text: string;
}

export class BtcturkCapture implements LoopedCapture {
  readonly messages: RecordedMessage[] = [];
  readonly startAt = 0;
  readonly loopStartIndex = 0;
  readonly periodMs = BTCTURK_LOOP_MS;
  /** The version frame every socket gets first, as recorded. */
  readonly versionFrame: string;
  private readonly diffPairs: { pair: string; j: number; text: string }[] = [];
  private readonly books = new Map<string, LoopedBook>();
  private readonly recordedBooks = new Map<string, RecordedBook>();

  constructor(recorded: readonly string[], readonly name: string) {
    let version: string | undefined;
    const diffs: { pair: string; cs: number; bids: Level[]; asks: Level[]; text: string }[] = [];
    recorded.forEach((text, i) => {
      const where = `${name} line ${i + 1}`;
      const { type, body } = parseFrame(text, where);
      if (type === 991) version = text;
      if (type === 431) {
        const book = new PriceBook();
        applyDiff(book, { bids: entries(body.BO, where), asks: entries(body.AO, where) });
        this.recordedBooks.set(pairOf(body, where), { cs: csOf(body, where), book, text });
      }
      if (type === 432) diffs.push({ pair: pairOf(body, where), cs: csOf(body, where), bids: entries(body.BO, where), asks: entries(body.AO, where), text });
    });
    if (version === undefined) throw new BadInputError(`${name}: no 991 version frame`);
    this.versionFrame = version;
    diffs.sort((a, b) => a.cs - b.cs);
    const step = this.periodMs / Math.max(1, diffs.length);
    const byPair = new Map<string, ScheduledDiff[]>();
    diffs.forEach((d, n) => {
      const list = byPair.get(d.pair) ?? [];
      const at = n * step;
      list.push({ at, bids: d.bids, asks: d.asks });
      byPair.set(d.pair, list);
      this.diffPairs.push({ pair: d.pair, j: list.length - 1, text: d.text });
      this.messages.push({ at, stream: 'obdiff', text: d.text });
    });
    for (const pair of new Set([...this.recordedBooks.keys(), ...byPair.keys()])) {
      const list = byPair.get(pair) ?? [];
      const recordedBook = this.recordedBooks.get(pair);
      let start = recordedBook?.book.clone();
      if (!start) {
        start = new PriceBook();
        for (const d of list) applyDiff(start, d);
      }
      const base = recordedBook?.cs ?? (diffs.find((d) => d.pair === pair)?.cs ?? 1) - 1;
      const looped = new LoopedBook(pair, start, list, base, () => '0');
      // A 432 reset frame would need CP codes no recording shows for such a frame: not built.
      if (looped.hasReset) throw new BadInputError(`${name}: the recorded ${pair} diffs change its book from loop to loop; a loop reset is not built for BTCTurk`);
      this.books.set(pair, looped);
    }
  }

  render(k: number, i: number): OutFrame | null {
    const d = this.diffPairs[i];
    if (!d) return null;
    const cs = (this.books.get(d.pair) as LoopedBook).sequence(k, d.j);
    const text = d.text.replace(/"CS":\d+/, `"CS":${cs}`);
    return { stream: 'obdiff', symbol: d.pair, text, derived: k > 0 ? 'loop-shift' : text === d.text ? null : 'rescheduled', loop: k };
  }

  resets(): OutFrame[] {
    return [];
  }

  /** The 431 a join of `pair` gets at capture time `c`: the recorded one while the book is still it, else derived in its shape. */
  joinBook(pair: string, c: number): OutFrame | undefined {
    const book = this.books.get(pair);
    if (!book) return undefined;
    const { k, t } = locate(this, c);
    const now = book.at(k, t);
    const recordedBook = this.recordedBooks.get(pair);
    if (recordedBook && recordedBook.cs === now.sequence) return { stream: 'obdiff', symbol: pair, text: recordedBook.text, derived: null, loop: k };
    const side = (levels: readonly Level[]): { A: string; P: string }[] => levels.map(([P, A]) => ({ A, P }));
    const body = { CS: now.sequence, PS: pair, AO: side(now.book.top('asks')), BO: side(now.book.top('bids')), channel: 'obdiff', event: pair, type: 431 };
    return { stream: 'obdiff', symbol: pair, text: JSON.stringify([431, body]), derived: 'subscribe-book', loop: k };
  }

  /** `GET /api/v2/orderbook` body for `pair` at capture time `c`, `limit` levels a side, stamped `nowMs`; undefined for an unknown pair. */
  orderbookAt(pair: string, c: number, limit: number, nowMs: number): string | undefined {
    const book = this.books.get(pair);
    if (!book) return undefined;
    const { k, t } = locate(this, c);
    const now = book.at(k, t).book;
    return JSON.stringify({ success: true, message: null, code: 0, data: { timestamp: Math.floor(nowMs), bids: now.top('bids', limit), asks: now.top('asks', limit) } });
  }
}
