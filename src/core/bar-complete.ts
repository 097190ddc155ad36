/**
 * When a bar counts as complete: the one definition the CLI's `complete` column and the alerts'
 * bar-close rule share, so a bar printed as complete is the bar an alert would have fired on.
 */
import { MINUTE_MS } from './intervals.js';

/** Inclusive range of 1m open times (a missing run, or a gap ledger entry). */
export interface MinuteRange {
  from: number;
  to: number;
}

export interface BarMinutes {
  /** Open time of the bar (epoch ms, on its interval's grid). */
  openTime: number;
  /** Length of the bar's interval in ms (60,000 for 1m). */
  intervalMs: number;
  /** Minutes of the stored candles the bar was built from (60 per stored 1h candle). */
  storedMinutes: number;
  /** Length of the stored interval the bar was built from (default 1m): missing runs and outages are open times on its grid. */
  sourceMs?: number;
}

/**
 * A bar is complete when its bucket has ended (`openTime + intervalMs ≤ now`) and every minute of
 * it is either stored or recorded in the gap ledger as an exchange outage, so that a real trading
 * halt does not leave a bucket incomplete forever while a hole we could still fill does.
 *
 * `missing` are the runs of missing minutes inside the bar (as `Store.missingRanges` returns
 * them); it is read only when fewer minutes are stored than the bar spans, so callers may pass
 * `[]` for full bars. `outages` are the ledger's `exchange_outage` ranges of the series, in any
 * order and overlapping or not.
 */
export function isBarComplete(bar: BarMinutes, now: number, missing: readonly MinuteRange[], outages: readonly MinuteRange[]): boolean {
  const end = bar.openTime + bar.intervalMs;
  if (end > now) return false;
  if (bar.storedMinutes >= bar.intervalMs / MINUTE_MS) return true;
  const step = bar.sourceMs ?? MINUTE_MS;
  let seen = 0;
  for (const run of missing) {
    const from = Math.max(run.from, bar.openTime);
    const to = Math.min(run.to, end - step);
    if (to < from) continue;
    seen += ((to - from) / step + 1) * (step / MINUTE_MS);
    if (!coveredByOutages(from, to, outages, step)) return false;
  }
  // Fewer minutes stored than the missing runs explain: the runs given are not this bar's.
  return bar.storedMinutes + seen >= bar.intervalMs / MINUTE_MS;
}

/** Whether every open time of [from, to] on the `step` grid lies in some outage (ranges may overlap or touch). */
function coveredByOutages(from: number, to: number, outages: readonly MinuteRange[], step: number): boolean {
  let next = from;
  // Repeated passes until no range extends the covered prefix: a ledger holds few outages per bar.
  for (let progressed = true; progressed && next <= to; ) {
    progressed = false;
    for (const o of outages) {
      if (o.from <= next && o.to >= next) {
        next = o.to + step;
        progressed = true;
        if (next > to) return true;
      }
    }
  }
  return next > to;
}
