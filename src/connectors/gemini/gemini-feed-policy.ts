/**
 * Gemini's feed policy: the first `l2_updates` per symbol after each connect is the book, the rest
 * are changes; no sequence, so no gap can be seen and no snapshot is ever fetched (a reconnect
 * resubscribes and gets the whole book again). That first `l2_updates` also carries the symbol's
 * recent trades: after a reconnect, those this policy already passed on (their ids are among the
 * last 1,000 it passed on for the symbol) are dropped, so a trade is never emitted twice. (The
 * ids are not in order within a book's list, so "at or below the newest" would not do.)
 */
import type { MarketEvent } from '../../core/market-events.js';
import { emptyOutput, type FeedPolicy, type PolicyOutput } from '../ws/feed-policy.js';
import { parseJsonText } from '../ws/json-fields.js';
import type { RawFrame } from '../ws/raw-frame.js';
import { classifyGeminiFrame, mapL2Delta, mapL2Snapshot } from './l2-mappers.js';
import { geminiFrameChannel, geminiStreamCapabilities } from './marketdata-v2.js';

/** Trade ids remembered per symbol: a whole book carries the last 50 trades. */
const RECENT_TRADE_IDS = 1_000;

export class GeminiFeedPolicy implements FeedPolicy {
  readonly exchange = 'gemini' as const;
  readonly capabilities = geminiStreamCapabilities;
  readonly #booked = new Set<string>();
  /** The ids of the last trades passed on, per symbol (at most RECENT_TRADE_IDS, oldest dropped first). */
  readonly #recentTradeIds = new Map<string, Set<string>>();
  heartbeats = 0;
  /** Trades of a reconnect's first `l2_updates` dropped because they had been passed on already. */
  repeatedTrades = 0;

  symbolOfFrame(text: string): string | null {
    return geminiFrameChannel(text);
  }

  onConnected(): PolicyOutput {
    this.#booked.clear();
    return emptyOutput();
  }

  onFrame(frame: RawFrame): PolicyOutput {
    const m = classifyGeminiFrame(parseJsonText(frame.text, 'gemini frame'), frame.receivedAt);
    if (m.type === 'heartbeat') {
      this.heartbeats++;
      return emptyOutput();
    }
    if (m.type === 'trade') {
      this.#isNewTrade(m.event.symbol, m.event.tradeId);
      return { events: [m.event], gaps: [], snapshotsWanted: [] };
    }
    if (this.#booked.has(m.symbol)) return { events: [mapL2Delta(m.symbol, m.data, frame.receivedAt)], gaps: [], snapshotsWanted: [] };
    const { snapshot, trades } = mapL2Snapshot(m.symbol, m.data, frame.receivedAt);
    this.#booked.add(m.symbol);
    const fresh = trades.filter((t) => this.#isNewTrade(m.symbol, t.tradeId));
    this.repeatedTrades += trades.length - fresh.length;
    const events: MarketEvent[] = [snapshot, ...fresh];
    return { events, gaps: [], snapshotsWanted: [] };
  }

  /** False for a trade id among the symbol's recent ones passed on; else true, and it is remembered. */
  #isNewTrade(symbol: string, tradeId: string): boolean {
    let ids = this.#recentTradeIds.get(symbol);
    if (ids === undefined) this.#recentTradeIds.set(symbol, (ids = new Set()));
    if (ids.has(tradeId)) return false;
    ids.add(tradeId);
    if (ids.size > RECENT_TRADE_IDS) ids.delete(ids.values().next().value as string);
    return true;
  }

  onSnapshot(): PolicyOutput {
    return emptyOutput();
  }
}
