/**
 * Bars of several series read as columns (readClosedColumns), handed to the runner in close-time
 * order in batches that never split one close: the order `RuleRunner.advance` would sort them in,
 * with one short-lived object per bar instead of a block's worth kept alive (the preview reads a
 * year of 1m in blocks of 50,000 bars).
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesBar } from './rule-runner.js';
import { seriesBarAt, type SeriesColumnsRead } from './series-bars.js';

/** Bars handed to the runner at once (more when one close has more). */
const BATCH_BARS = 4096;

/** One series' read, walked bar by bar up to a limit. */
class Cursor {
  private chunk = 0;
  private i = 0;
  private readonly len: number;

  constructor(
    private readonly symbol: string,
    private readonly interval: Interval,
    private readonly read: SeriesColumnsRead,
    private readonly graceMs: number,
    /** Bars opening at or after it are not handed out. */
    private readonly before: number,
  ) {
    this.len = intervalMs(interval);
    this.skipEmpty();
  }

  private skipEmpty(): void {
    while (this.chunk < this.read.chunks.length && this.i >= (this.read.chunks[this.chunk] as SeriesColumnsRead['chunks'][number]).count) {
      this.chunk++;
      this.i = 0;
    }
  }

  /** Close time of the next bar, or Infinity when none is left. */
  nextClose(): number {
    const c = this.read.chunks[this.chunk];
    if (c === undefined) return Infinity;
    const open = c.candles.openTime[this.i] as number;
    return open < this.before ? open + this.len : Infinity;
  }

  take(): SeriesBar {
    const c = this.read.chunks[this.chunk] as SeriesColumnsRead['chunks'][number];
    const sb = seriesBarAt(this.symbol, this.interval, this.len, this.graceMs, c.candles, c.complete, this.i);
    this.i++;
    this.skipEmpty();
    return sb;
  }
}

export interface MergeSeries {
  symbol: string;
  interval: Interval;
  read: SeriesColumnsRead;
  /** Only bars opening before it are handed out. */
  before: number;
}

/** Calls `take` with the bars of every series in close-time order (stable in `series` order), a batch at a time. */
export function mergeByClose(series: readonly MergeSeries[], graceMs: number, take: (bars: SeriesBar[]) => void): void {
  const cursors = series.map((s) => new Cursor(s.symbol, s.interval, s.read, graceMs, s.before));
  let batch: SeriesBar[] = [];
  let last = NaN;
  for (;;) {
    let best: Cursor | null = null;
    let bestClose = Infinity;
    for (const c of cursors) {
      const t = c.nextClose();
      if (t < bestClose) {
        best = c;
        bestClose = t;
      }
    }
    if (best === null) break;
    if (batch.length >= BATCH_BARS && bestClose !== last) {
      take(batch);
      batch = [];
    }
    batch.push(best.take());
    last = bestClose;
  }
  if (batch.length > 0) take(batch);
}
