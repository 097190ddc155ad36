/**
 * The `complete` flag of every bar of a streamed read (the CLI's column, the alerts' bar-close rule), by the one rule in core/bar-complete.ts.
 * The gap ledger's outages are read once; missing minutes are asked of the store only for a chunk
 * that has bars short of minutes (one query per such chunk, never one per bar).
 */
import { isBarComplete, type MinuteRange } from '../core/bar-complete.js';
import { intervalMs, MINUTE_MS, type Interval } from '../core/intervals.js';
import type { CandleChunk, MissingRange, Store } from './store.js';

export class ChunkCompleteness {
  private constructor(
    private readonly store: Store,
    private readonly exchange: string,
    private readonly symbol: string,
    private readonly len: number,
    private readonly now: number,
    /** The ledger's exchange outages, by the interval of the series they were found in. */
    private readonly outages: ReadonlyMap<Interval, readonly MinuteRange[]>,
  ) {}

  static async load(store: Store, exchange: string, symbol: string, interval: Interval, now: number): Promise<ChunkCompleteness> {
    const outages = new Map<Interval, MinuteRange[]>();
    for (const g of await store.listGaps({ exchange, symbol })) {
      if (g.kind !== 'exchange_outage') continue;
      const list = outages.get(g.interval) ?? [];
      list.push({ from: g.from, to: g.to });
      outages.set(g.interval, list);
    }
    return new ChunkCompleteness(store, exchange, symbol, intervalMs(interval), now, outages);
  }

  /** 1 for each complete bar of the chunk, 0 for the others. */
  async flags(chunk: CandleChunk): Promise<Uint8Array> {
    const { candles: c, minutes } = chunk;
    const len = this.len;
    const need = len / MINUTE_MS;
    const out = new Uint8Array(c.length);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < c.length; i++) {
      const open = c.openTime[i] as number;
      if (open + len > this.now) continue;
      if ((minutes[i] as number) >= need) out[i] = 1;
      else {
        if (open < lo) lo = open;
        if (open + len > hi) hi = open + len;
      }
    }
    if (lo === Infinity) return out;
    // Missing runs and outages of the series the bars were built from (1m, or 1h for a coin followed at 1h).
    const missing: MissingRange[] = await this.store.missingRanges({ exchange: this.exchange, symbol: this.symbol, interval: chunk.source }, lo, hi);
    const outages = this.outages.get(chunk.source) ?? [];
    const sourceMs = intervalMs(chunk.source);
    // Runs and bars both ascend: one walk pairs each short bar with the runs inside it.
    let r = 0;
    const inBar: MissingRange[] = [];
    for (let i = 0; i < c.length; i++) {
      const open = c.openTime[i] as number;
      if (out[i] === 1 || open + len > this.now) continue;
      while (r < missing.length && (missing[r] as MissingRange).to < open) r++;
      inBar.length = 0;
      for (let k = r; k < missing.length && (missing[k] as MissingRange).from < open + len; k++) inBar.push(missing[k] as MissingRange);
      out[i] = isBarComplete({ openTime: open, intervalMs: len, storedMinutes: minutes[i] as number, sourceMs }, this.now, inBar, outages) ? 1 : 0;
    }
    return out;
  }
}
