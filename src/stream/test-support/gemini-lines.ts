/**
 * Test-only decoder of the Gemini market data v2 capture (cryptofeed jsonl, one object per line
 * `{"dir":"recv","ts":<unix s>,"data":{…}}`; ../../../fixtures/ws/, SOURCES.md §2.2, PROTOCOLS.md §5).
 * The real mapper is the Gemini connector's; this one keeps the processors' tests apart from it.
 *
 * A market's first `l2_updates` is its whole book: a snapshot. Its `trades` array (the last 50
 * trades before the subscription) is history and is left out; live `trade` messages become
 * trades with their exchange `timestamp` and taker `side`. `l2_updates` carry no time: their
 * exchange time is null and the receive time is the capture's `ts`.
 * @see https://docs.gemini.com/websocket/market-data/v2
 */
import { readFileSync } from 'node:fs';
import type { BookLevel, MarketEvent } from '../../core/market-events.js';

type Change = [side: string, price: string, quantity: string];

function isChange(x: unknown): x is Change {
  return Array.isArray(x) && x.length === 3 && x.every((v) => typeof v === 'string');
}

export function readGeminiEvents(path: string): MarketEvent[] {
  const out: MarketEvent[] = [];
  const seen = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const rec = JSON.parse(line) as { dir?: unknown; ts?: unknown; data?: Record<string, unknown> };
    if (rec.dir !== 'recv' || typeof rec.ts !== 'number' || rec.data === undefined) continue;
    const d = rec.data;
    const receivedAt = rec.ts * 1000;
    if (d.type === 'l2_updates' && typeof d.symbol === 'string' && Array.isArray(d.changes)) {
      const bids: BookLevel[] = [];
      const asks: BookLevel[] = [];
      for (const c of d.changes) {
        if (!isChange(c) || (c[0] !== 'buy' && c[0] !== 'sell')) throw new Error(`bad l2 change ${JSON.stringify(c)} in ${line.slice(0, 120)}`);
        (c[0] === 'buy' ? bids : asks).push([Number(c[1]), Number(c[2])]);
      }
      const base = { exchange: 'gemini' as const, symbol: d.symbol, receivedAt, exchangeTime: null };
      if (seen.has(d.symbol)) out.push({ ...base, kind: 'book_delta', bids, asks, firstSequence: null, lastSequence: null });
      else out.push({ ...base, kind: 'book_snapshot', bids, asks, sequence: null });
      seen.add(d.symbol);
    } else if (d.type === 'trade') {
      const { symbol, timestamp, price, quantity, side, event_id: id } = d;
      if (typeof symbol !== 'string' || typeof timestamp !== 'number' || typeof price !== 'string' || typeof quantity !== 'string' ||
        (side !== 'buy' && side !== 'sell') || typeof id !== 'number') throw new Error(`bad trade ${line.slice(0, 200)}`);
      out.push({
        kind: 'trade', exchange: 'gemini', symbol, receivedAt, exchangeTime: timestamp, tradeId: String(id), price: Number(price), quantity: Number(quantity), takerSide: side,
      });
    }
  }
  return out;
}
