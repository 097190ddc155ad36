/**
 * Pure arithmetic of the scale benchmark: write rate per tenth of the rows, RSS per tenth of the
 * time, the slowest stage alone, and the extrapolation to 100 symbols since 2017. Kept apart from
 * the processes and clocks so that each figure can be checked by hand in figures.test.ts.
 */

/** A committed write: when (ms) and how many rows it changed. */
export interface WriteEvent {
  t: number;
  rows: number;
}

/** One RSS sample of the pipeline process: when (ms) and resident set in bytes. */
export interface RssSample {
  t: number;
  bytes: number;
}

export interface Tenth {
  /** 1…10 */
  tenth: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * The write rate of each successive tenth of the rows written, from `start` (ms, when writing
 * could begin). A tenth ends with the write that reaches it; writes are not split, so tenths
 * hold whole files; a write that completes several tenths is reported under the last of them.
 */
export function rowsPerTenth(writes: readonly WriteEvent[], start: number): Tenth[] {
  let total = 0;
  for (const w of writes) total += w.rows;
  const out: Tenth[] = [];
  if (total === 0) return out;
  let cum = 0;
  let from = start;
  let rowsIn = 0;
  let next = 1;
  for (const w of writes) {
    cum += w.rows;
    rowsIn += w.rows;
    if (cum >= (total * next) / 10 || cum === total) {
      const seconds = Math.max(0.001, (w.t - from) / 1000);
      while (next <= 10 && cum >= (total * next) / 10) next++;
      out.push({ tenth: next - 1, rows: rowsIn, seconds, rowsPerSecond: rowsIn / seconds });
      from = w.t;
      rowsIn = 0;
    }
  }
  return out;
}

/** Peak RSS in each tenth of [start, end] (time), and the overall peak. */
export function rssPerTenth(samples: readonly RssSample[], start: number, end: number): { peaks: number[]; peak: number } {
  const peaks = new Array<number>(10).fill(0);
  let peak = 0;
  const span = Math.max(1, end - start);
  for (const s of samples) {
    if (s.bytes > peak) peak = s.bytes;
    const i = Math.min(9, Math.max(0, Math.floor(((s.t - start) / span) * 10)));
    if (s.bytes > (peaks[i] as number)) peaks[i] = s.bytes;
  }
  return { peaks, peak };
}

/** Least-squares slope and intercept of y on x (for RSS against rows written). */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, intercept: points[0]?.y ?? 0 };
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
    sxx += p.x * p.x;
    sxy += p.x * p.y;
  }
  const d = n * sxx - sx * sx;
  if (d === 0) return { slope: 0, intercept: sy / n };
  const slope = (n * sxy - sx * sy) / d;
  return { slope, intercept: (sy - slope * sx) / n };
}

/** The RSS sample nearest before each write, paired with the rows written so far. */
export function rssAgainstRows(writes: readonly WriteEvent[], samples: readonly RssSample[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let cum = 0;
  let w = 0;
  for (const s of samples) {
    while (w < writes.length && (writes[w] as WriteEvent).t <= s.t) cum += (writes[w++] as WriteEvent).rows;
    if (cum > 0) out.push({ x: cum, y: s.bytes });
  }
  return out;
}

/** The points whose x is at least half the largest x (the later half of the rows written). */
export function laterHalf(points: readonly { x: number; y: number }[]): { x: number; y: number }[] {
  const maxX = points.reduce((m, p) => Math.max(m, p.x), 0);
  return points.filter((p) => p.x >= maxX / 2);
}

export interface StageTimes {
  downloads: number;
  verifyParse: number;
  writes: number;
}

export function slowestStage(s: StageTimes): { name: keyof StageTimes; seconds: number } {
  const entries = Object.entries(s) as [keyof StageTimes, number][];
  let best = entries[0] as [keyof StageTimes, number];
  for (const e of entries) if (e[1] > best[1]) best = e;
  return { name: best[0], seconds: best[1] };
}

/** 1m rows and monthly files of `symbols` symbols over every month from 2017-01 to 2024-12. */
export function since2017(symbols: number): { rows: number; files: number; months: number } {
  const minutes = (Date.UTC(2025, 0, 1) - Date.UTC(2017, 0, 1)) / 60_000;
  return { rows: symbols * minutes, files: symbols * 96, months: 96 };
}

/** Scales a measured quantity per row to `rows` rows. */
export function extrapolate(measuredRows: number, measured: number, rows: number): number {
  return measuredRows === 0 ? 0 : (measured / measuredRows) * rows;
}
