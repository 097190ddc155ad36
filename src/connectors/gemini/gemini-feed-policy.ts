/**
 * Gemini's feed policy: the first `l2_updates` per symbol after each connect is the book, the rest
 * are changes; no sequence, so no gap can be seen and no snapshot is ever fetched (a reconnect
 * resubscribes and gets the whole book again).
 */
import type { MarketEvent } from '../../core/market-events.js';
import { emptyOutput, type FeedPolicy, type PolicyOutput } from '../ws/feed-policy.js';
import { parseJsonText } from '../ws/json-fields.js';
import type { RawFrame } from '../ws/raw-frame.js';
import { classifyGeminiFrame, mapL2Delta, mapL2Snapshot } from './l2-mappers.js';
import { geminiFrameChannel, geminiStreamCapabilities } from './marketdata-v2.js';

export class GeminiFeedPolicy implements FeedPolicy {
  readonly exchange = 'gemini' as const;
  readonly capabilities = geminiStreamCapabilities;
  readonly #booked = new Set<string>();
  heartbeats = 0;

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
    if (m.type === 'trade') return { events: [m.event], gaps: [], snapshotsWanted: [] };
    if (this.#booked.has(m.symbol)) return { events: [mapL2Delta(m.symbol, m.data, frame.receivedAt)], gaps: [], snapshotsWanted: [] };
    const { snapshot, trades } = mapL2Snapshot(m.symbol, m.data, frame.receivedAt);
    this.#booked.add(m.symbol);
    const events: MarketEvent[] = [snapshot, ...trades];
    return { events, gaps: [], snapshotsWanted: [] };
  }

  onSnapshot(): PolicyOutput {
    return emptyOutput();
  }
}
