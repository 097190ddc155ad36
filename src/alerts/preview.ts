/**
 * Preview: a draft rule evaluated over stored history [from, to) with the live engine's runner and
 * seeding, so it fires where the live engine would have (a `once_per_bar` rule minute by minute on
 * its forming bars, the 1m series being one of those read); each firing with its forward returns
 * 1h, 4h and 1d (from the firing's close to the close that far after the firing bar's close) and
 * a summary.
 *
 * History is read in blocks of whole days (about 50,000 bars of the finest series: one block for a
 * year of 1h, 11 for a year of 1m), every series of a block before the next, so memory stays
 * bounded by the block and bars of all intervals still close in order. A block stays in columns:
 * its bars go to the runner merged by close a few thousand at a time (bar-merge.ts), and the
 * closes forward returns need are found by index in a column per symbol.
 */
import { DAY_MS, intervalMs, type Interval } from '../core/intervals.js';
import type { Store } from '../store/store.js';
import { compileDefinition } from './compile-rule.js';
import type { BarRuleDefinition } from './rule-draft.js';
import { mergeByClose, type MergeSeries } from './bar-merge.js';
import { RuleRunner } from './rule-runner.js';
import { seedRunner } from './seed-runner.js';
import { readClosedColumns } from './series-bars.js';

export const HORIZONS = { '1h': 3_600_000, '4h': 14_400_000, '1d': DAY_MS } as const;
export type Horizon = keyof typeof HORIZONS;
const HORIZON_NAMES = Object.keys(HORIZONS) as Horizon[];
/** Bars of the finest series per block: bounds memory, and keeps the queries few (each is a database round trip). */
const BLOCK_BARS = 50_000;

export interface PreviewOptions {
  store: Store;
  exchange: string;
  definition: BarRuleDefinition;
  /** The scope resolved to symbols (resolveScope). */
  symbols: readonly string[];
  from: number;
  to: number;
  /** The present: bars closing later are not read. */
  now: number;
  /** Minutes after its close an incomplete bar is evaluated (the engine's setting). */
  graceMinutes: number;
  /** Most firings listed (the summary covers them all). */
  maxFirings?: number;
}

export interface PreviewFiring {
  symbol: string;
  openTime: number;
  /** When it fired: the bar's close, or for an intrabar firing the close of the minute it fired at. */
  firedAt: number;
  /** Fired on the bar while it formed (`once_per_bar`): `close` and the operands are the bar's at `firedAt`. */
  intrabar: boolean;
  close: number;
  incomplete: boolean;
  operands: Record<string, number | null>;
  /** Forward return as a fraction (0.012 = +1.2 %), null when the later bar is not stored. */
  returns: Record<Horizon, number | null>;
}

export interface PreviewSummary {
  count: number;
  /** Share of firings (with a known return) followed by a positive return. */
  positive: Record<Horizon, number | null>;
  median: Record<Horizon, number | null>;
  worst: Record<Horizon, number | null>;
}

export interface PreviewResult {
  firings: PreviewFiring[];
  summary: PreviewSummary;
}

/** Returns are read from the rule's bars up to 1h, from 1h bars above (every horizon is on their grid). */
function returnsInterval(interval: Interval): Interval {
  return intervalMs(interval) <= HORIZONS['1h'] ? interval : '1h';
}

export async function previewRule(o: PreviewOptions): Promise<PreviewResult> {
  const rule = compileDefinition(0, 0, o.definition);
  const len = intervalMs(rule.interval);
  const start = Math.ceil(o.from / len) * len;
  const runner = new RuleRunner([rule], () => o.symbols);
  const rInterval = returnsInterval(rule.interval);
  const rLen = intervalMs(rInterval);
  for (const s of o.symbols) runner.pool.series(s, rInterval);
  const next = await seedRunner(runner, o.store, o.exchange, start);
  const done = new Set<string>();

  const firings: PreviewFiring[] = [];
  /** Returns still open: each waits for the bar of the returns series that closes at `target`. */
  let pending: Array<{ firing: PreviewFiring; horizon: Horizon; target: number }> = [];
  const readTo = o.to + DAY_MS;
  const graceMs = o.graceMinutes * 60_000;
  let finest = DAY_MS;
  for (const series of runner.pool.all()) finest = Math.min(finest, series.intervalMs);
  const blockMs = Math.max(1, Math.floor((BLOCK_BARS * finest) / DAY_MS)) * DAY_MS;
  for (let block = Math.floor(start / DAY_MS) * DAY_MS; block < readTo; block += blockMs) {
    const blockEnd = Math.min(block + blockMs, readTo);
    const reads: MergeSeries[] = [];
    /** Opens and closes of the bars read in this block: the span whose signal windows are loaded. */
    let spanFrom = Infinity;
    let spanTo = -Infinity;
    /** Per symbol, the close of each bar of the returns series read in this block (NaN: not read), by (openTime − block) / rLen. */
    const closes = new Map<string, Float64Array>();
    for (const series of runner.pool.all()) {
      const key = `${series.symbol}|${series.interval}`;
      const isReturns = series.interval === rInterval;
      const limit = isReturns ? readTo : o.to;
      const from = Math.max(block, next.get(key) ?? block);
      const to = Math.min(blockEnd, limit);
      if (done.has(key) || to <= from) continue;
      const read = await readClosedColumns(o.store, o.exchange, series.symbol, series.interval, from, to, o.now, graceMs);
      series.waitingFrom = read.waitingFrom;
      if (read.waitingFrom !== null) done.add(key);
      spanFrom = Math.min(spanFrom, from);
      spanTo = Math.max(spanTo, to + series.intervalMs);
      reads.push({ symbol: series.symbol, interval: series.interval, read, before: o.to });
      if (!isReturns) continue;
      const column = new Float64Array(Math.ceil((blockEnd - block) / rLen)).fill(NaN);
      closes.set(series.symbol, column);
      for (const chunk of read.chunks) {
        const c = chunk.candles;
        for (let i = 0; i < chunk.count; i++) column[((c.openTime[i] as number) - block) / rLen] = c.close[i] as number;
      }
    }
    await runner.signals.load(o.store, spanFrom, spanTo);
    mergeByClose(reads, graceMs, (bars) => {
      for (const f of runner.advance(bars)) {
        const pf: PreviewFiring = {
          symbol: f.symbol,
          openTime: f.barOpenTime,
          firedAt: f.firedAt,
          intrabar: f.inputs.intrabar,
          close: f.inputs.bar.close,
          incomplete: f.incomplete,
          operands: f.inputs.operands,
          returns: { '1h': null, '4h': null, '1d': null },
        };
        firings.push(pf);
        for (const h of HORIZON_NAMES) pending.push({ firing: pf, horizon: h, target: f.barOpenTime + len + HORIZONS[h] });
      }
    });
    // Resolve the targets whose bar lies in this block (found or not stored); later ones wait.
    const waiting: typeof pending = [];
    for (const p of pending) {
      const open = p.target - rLen;
      if (open >= blockEnd) {
        waiting.push(p);
        continue;
      }
      const close = open >= block ? closes.get(p.firing.symbol)?.[(open - block) / rLen] : undefined;
      p.firing.returns[p.horizon] = close === undefined || Number.isNaN(close) ? null : close / p.firing.close - 1;
    }
    pending = waiting;
  }
  const listed = o.maxFirings === undefined ? firings : firings.slice(0, o.maxFirings);
  return { firings: listed, summary: summarise(firings) };
}

/** Median of an ascending array. */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
}

function summarise(firings: readonly PreviewFiring[]): PreviewSummary {
  const s: PreviewSummary = { count: firings.length, positive: { '1h': null, '4h': null, '1d': null }, median: { '1h': null, '4h': null, '1d': null }, worst: { '1h': null, '4h': null, '1d': null } };
  for (const h of HORIZON_NAMES) {
    const rs = firings.map((f) => f.returns[h]).filter((r): r is number => r !== null).sort((a, b) => a - b);
    if (rs.length === 0) continue;
    s.positive[h] = rs.filter((r) => r > 0).length / rs.length;
    s.median[h] = median(rs);
    s.worst[h] = rs[0] as number;
  }
  return s;
}
