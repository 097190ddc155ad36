/**
 * The derived 1m series of a scale archive, as a pure function of (symbol index, open time):
 * symbol i is cut from source month i mod 3; minute k of derived month m is source row
 * (k + 1440 · d) mod rows, with d = (7i + 3m) mod (source days), a per-symbol, per-month shift
 * of whole days so that symbols sharing a source do not repeat each other in step. A 28- or
 * 29-day source wraps around to fill a 30- or 31-day month (its first days again), so derived
 * months are spliced from real days, and price jumps where a month or a wrap begins are not
 * market moves. Open and close times are the derived ones; every other field is the recorded text.
 */
import type { ScaleSpec } from './scale-layout.js';
import { monthIndexOf, monthStart } from './scale-layout.js';
import type { SourceMonth } from './source-months.js';

export const MINUTE_MS = 60_000;

export class DerivedSeries {
  constructor(
    readonly spec: ScaleSpec,
    private readonly sources: readonly SourceMonth[],
  ) {}

  /** The recorded month symbol `index` is cut from. */
  sourceOf(index: number): SourceMonth {
    return this.sources[index % this.sources.length] as SourceMonth;
  }

  /** Row number in the source for the minute opening at `openTime` (on the 1m grid). */
  sourceRow(index: number, openTime: number): number {
    const src = this.sourceOf(index);
    const m = monthIndexOf(this.spec, openTime);
    const k = (openTime - monthStart(this.spec, m)) / MINUTE_MS;
    const shiftDays = (7 * index + 3 * m) % src.days;
    return (k + shiftDays * 1440) % src.ohlcv.length;
  }

  /** The archive CSV line (no newline) of the minute opening at `openTime`. */
  csvLine(index: number, openTime: number): string {
    const src = this.sourceOf(index);
    const r = this.sourceRow(index, openTime);
    return `${openTime},${src.ohlcv[r]},${openTime + MINUTE_MS - 1},${src.rest[r]}`;
  }

  /** The whole CSV of derived month `m` (headerless, ms, as spot monthly files before 2025). */
  monthCsv(index: number, m: number): Buffer {
    const from = monthStart(this.spec, m);
    const to = monthStart(this.spec, m + 1);
    const lines: string[] = [];
    for (let t = from; t < to; t += MINUTE_MS) lines.push(this.csvLine(index, t));
    lines.push('');
    return Buffer.from(lines.join('\n'), 'utf8');
  }

  /** The `/api/v3/klines` JSON row of the minute opening at `openTime`. */
  restRow(index: number, openTime: number): string {
    const src = this.sourceOf(index);
    const r = this.sourceRow(index, openTime);
    const [o, h, l, c, v] = (src.ohlcv[r] as string).split(',');
    const [qv, n, tb, tq] = (src.rest[r] as string).split(',');
    return `[${openTime},"${o}","${h}","${l}","${c}","${v}",${openTime + MINUTE_MS - 1},"${qv}",${n},"${tb}","${tq}","0"]`;
  }
}
