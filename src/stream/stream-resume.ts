/**
 * What a restarted stream process picks up from its lake (issue 18 item 4): per market, the
 * newest trade it holds and the time of the newest event it holds. The stream then
 * - feeds the processors the lake's trades of the bar and window that newest trade falls in (they
 *   were lost with the killed process's memory), so a rebuilt bar is the whole minute's;
 * - fetches the trades it missed by id where the exchange serves them (Binance `historicalTrades`
 *   from the last held id + 1) and feeds them through the lake and the processors before the
 *   live ones, dropping ids already held, so no trade is in the lake twice or counted twice;
 * - marks every window that overlaps the outage (from the newest held event to the first live
 *   one) incomplete: the book updates of that time are gone for good. Each outage is also
 *   appended to `outages.jsonl` in the lake folder, so a replay over the lake marks the same
 *   windows (the lake itself cannot tell a gap in its events from a quiet market).
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MarketEvent, MarketEventKind, MarketRef, TradeEvent } from '../core/market-events.js';
import { lastLakeEvent, readLake } from '../store/lake/index.js';
import type { LiquidityWindow } from '../store/signal-records.js';

/** Fetches up to one page of a market's trades with id ≥ `fromId`, ascending; [] when none happened since. */
export type TradesById = (ref: MarketRef, fromId: number) => Promise<TradeEvent[]>;

export interface MarketResume {
  ref: MarketRef;
  /** The newest trade the lake holds, or null. */
  lastTrade: TradeEvent | null;
  /** Exchange time of the newest event the lake holds that carries one (-Infinity when none does). */
  heldUntil: number;
  /** Receive time of the newest event the lake holds. */
  heldReceivedUntil: number;
}

/**
 * Windows and bars key events by the exchange's time; receive times are this machine's clock,
 * which an outage's bounds must not mix with (a replay's exchange times are years behind it), so
 * only events with an exchange time bound an outage.
 */
const eventTime = (e: MarketEvent): number => e.exchangeTime ?? e.receivedAt;
const marketKey = (ref: MarketRef): string => `${ref.exchange}:${ref.symbol}`;

/** Each market's resume point in the lake at `root`; markets the lake holds nothing of are left out. */
export async function readResumePoints(root: string, markets: readonly MarketRef[], kinds: readonly MarketEventKind[]): Promise<Map<string, MarketResume>> {
  const out = new Map<string, MarketResume>();
  for (const ref of markets) {
    let lastTrade: TradeEvent | null = null;
    let heldUntil = Number.NEGATIVE_INFINITY;
    let heldReceivedUntil = Number.NEGATIVE_INFINITY;
    for (const kind of kinds) {
      const last = await lastLakeEvent(root, kind, ref);
      if (!last) continue;
      if (last.event.exchangeTime !== null) heldUntil = Math.max(heldUntil, last.event.exchangeTime);
      heldReceivedUntil = Math.max(heldReceivedUntil, last.event.receivedAt);
      if (last.event.kind === 'trade') lastTrade = last.event;
    }
    if (heldReceivedUntil > Number.NEGATIVE_INFINITY) out.set(marketKey(ref), { ref, lastTrade, heldUntil, heldReceivedUntil });
  }
  return out;
}

/**
 * The lake's trades of `resume.ref` in the bar and window its newest held trade falls in (exchange
 * time from the earlier of the two starts), oldest first. Receive times only bound the read.
 */
export async function* heldTradesToReplay(root: string, resume: MarketResume, windowMs: number): AsyncGenerator<TradeEvent> {
  const last = resume.lastTrade;
  if (!last) return;
  const t = eventTime(last);
  const from = Math.min(t - (t % 60_000), t - (t % windowMs));
  // Receive time trails exchange time by a steady offset; a minute more covers clock jitter.
  const readFrom = last.receivedAt - (t - from) - 60_000;
  for await (const { event } of readLake(root, { from: readFrom, to: last.receivedAt + 1, kinds: ['trade'], markets: [resume.ref] })) {
    if (event.kind === 'trade' && eventTime(event) >= from) yield event;
  }
}

/** The lake folder's log of outages, one JSON object `{exchange, symbol, from, to}` a line. */
export const OUTAGES_FILE = 'outages.jsonl';

/**
 * Which clock an outage is measured in. Windows key an event by its exchange time, or its receive
 * time where it has none (Gemini and BTCTurk book updates), so an outage has a span in each:
 * a window overlapping either is incomplete. (Live, the two spans nearly coincide; in a replay
 * the exchange times are years behind, and each span marks the windows of its own clock.)
 */
export type OutageClock = 'exchange' | 'receive';

export interface OutageSpan {
  exchange: string;
  symbol: string;
  /** `exchange` when absent (the first log lines had no clock). */
  clock?: OutageClock;
  /** Time of the newest event held before, and of the first live event after, in `clock`. */
  from: number;
  to: number;
}

/** Appends one closed outage to the lake's log (one short line: a crash tears at most that line, which the reader skips). */
export async function appendOutage(lakeRoot: string, span: OutageSpan): Promise<void> {
  await appendFile(join(lakeRoot, OUTAGES_FILE), `${JSON.stringify(span)}\n`);
}

const isSpan = (v: unknown): v is OutageSpan => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.exchange === 'string' && typeof o.symbol === 'string' && Number.isFinite(o.from) && Number.isFinite(o.to) && (o.clock === undefined || o.clock === 'exchange' || o.clock === 'receive');
};

/** The outages logged in the lake folder (none when it has no log); a line that is not one (a torn last line) is skipped and counted. */
export async function readOutages(lakeRoot: string): Promise<{ outages: Outages; skipped: number }> {
  const outages = new Outages();
  let text: string;
  try {
    text = await readFile(join(lakeRoot, OUTAGES_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { outages, skipped: 0 };
    throw err;
  }
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = null;
    }
    if (isSpan(v)) outages.add(v);
    else skipped++;
  }
  return { outages, skipped };
}

/**
 * How far before its newest held event a restarted process marks the windows it emits. Bounded so
 * that a span in one clock cannot reach windows keyed in the other: in a replay the exchange
 * times are years behind the receive times.
 */
const RESTART_LOOKBACK_MS = 86_400_000;

/** Per market, the outage a restart found: from the newest held event until the first live one with an exchange time (open until it arrives). */
export class Outages {
  /** Spans per market, in either clock. */
  readonly #spans = new Map<string, { clock: OutageClock; from: number; to: number; live?: boolean }[]>();

  /**
   * The restarted process's own outage, from its newest held event. Every window it emits that
   * starts before the outage's end is incomplete, even one that ended before the held event (up to
   * a day before): such a window is built from what came back (held trades, events JetStream
   * hands out again, trades by id), never from all its events. (The log and a replay keep the
   * span from the held event on.)
   */
  open(ref: MarketRef, clock: OutageClock, from: number): void {
    const list = this.#spans.get(marketKey(ref)) ?? [];
    list.push({ clock, from, to: Number.POSITIVE_INFINITY, live: true });
    this.#spans.set(marketKey(ref), list);
  }

  /** A closed outage (from the lake's log). */
  add(span: OutageSpan): void {
    const key = `${span.exchange}:${span.symbol}`;
    this.#spans.set(key, [...(this.#spans.get(key) ?? []), { clock: span.clock ?? 'exchange', from: span.from, to: span.to }]);
  }

  /** Closes the market's open outage in `clock` at `to` (the first live event's time in it); the closed span, or null when none was open. */
  close(ref: MarketRef, clock: OutageClock, to: number): OutageSpan | null {
    const open = this.#spans.get(marketKey(ref))?.find((s) => s.clock === clock && s.to === Number.POSITIVE_INFINITY);
    if (!open) return null;
    open.to = Math.max(open.from, to);
    return { exchange: ref.exchange, symbol: ref.symbol, clock, from: open.from, to: open.to };
  }

  /** The window, marked incomplete when it overlaps an outage of its market. */
  mark(w: LiquidityWindow): LiquidityWindow {
    const spans = this.#spans.get(`${w.exchange}:${w.symbol}`);
    if (!spans || w.incomplete) return w;
    const end = w.windowStart + w.windowMs;
    return spans.some((s) => w.windowStart <= s.to && end > (s.live === true ? s.from - RESTART_LOOKBACK_MS : s.from)) ? { ...w, incomplete: true } : w;
  }
}
