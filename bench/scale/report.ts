/**
 * The markdown of the scale benchmark: pure formatting of measured results (no clocks, no I/O),
 * so that report.test.ts can check the ratios and extrapolations it prints.
 */
import { extrapolate, laterHalf, linearFit, rowsPerTenth, rssAgainstRows, rssPerTenth, since2017, slowestStage, type RssSample, type StageTimes, type WriteEvent } from './figures.js';
import type { ReadCase } from './reads.js';

export interface BackendResult {
  backend: string;
  rows: number;
  archiveFiles: number;
  restRows: number;
  gapsFound: number;
  stages: Record<string, number>;
  /** CPU seconds of the pipeline process over the backfill (all its threads). */
  backfillCpuSeconds: number;
  wallSeconds: number;
  backfillStart: number;
  writes: WriteEvent[];
  rss: RssSample[];
  runStart: number;
  runEnd: number;
  storeBytes: number;
  storeBytesNote: string;
  writesAloneSeconds: number;
  /** Writes at once in the writes alone, as in the backfill (`Store.writeConcurrency`). */
  writesAloneAtOnce: number;
  /** CPU seconds of the writes alone (the database's threads included). */
  writesAloneCpuSeconds: number;
  reads: ReadCase[];
}

export interface ScaleResult {
  command: string;
  size: { symbols: number; months: number };
  latencyMs: number;
  replayStartSeconds: number;
  replayBanner: string;
  zipFiles: number;
  zipBytes: number;
  downloadSeconds: number;
  downloadConcurrency: number;
  verifyParseSeconds: number;
  verifyParseCpuSeconds: number;
  /** Cores of the machine: a backfill takes at least its CPU seconds over this. */
  cores: number;
  backends: BackendResult[];
}

const MB = 1024 * 1024;
const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const mib = (b: number): string => `${int(b / MB)} MiB`;

function hours(s: number): string {
  return s >= 3600 ? `${f1(s / 3600)} h` : s >= 60 ? `${f1(s / 60)} min` : `${f1(s)} s`;
}

/** The section, with every figure derived from `r`. */
export function scaleReport(r: ScaleResult): string {
  const target = since2017(100);
  const out: string[] = [];
  out.push(`### Scale: the real pipeline over ${r.size.symbols} derived symbols × ${r.size.months} months`);
  out.push('');
  out.push(
    `\`universe\` → \`backfill\` → \`sync\` → \`gaps\` through the real connectors, in a process of its own (RSS sampled every 250 ms from /proc), ` +
      `against \`tickerflow replay-server --scale ${r.size.symbols}x${r.size.months} --latency-ms ${r.latencyMs}\` in another process. ` +
      `The ${int(r.zipFiles)} monthly zips (${mib(r.zipBytes)}) are derived: real 1m rows of three USD-M months (LINK 2023-02, AVAX 2024-02, LTC 2026-02) ` +
      'time-shifted and spliced to fill 30/31-day months (see the README, replay server); they were on disk before the timing ' +
      `(server ready in ${f1(r.replayStartSeconds)} s). Pipeline and stage figures are one run each; read figures are the best of 9, each round of ours followed by one of the anchor's (spawned processes: best of 3), or of fewer rounds once two minutes are spent.`,
  );
  out.push('');
  out.push('| backend | rows stored | archive files | REST rows | universe | backfill | sync | gaps | wall | peak RSS | bytes / row |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const b of r.backends) {
    const peak = rssPerTenth(b.rss, b.runStart, b.runEnd).peak;
    out.push(
      `| ${b.backend} | ${int(b.rows)} | ${b.archiveFiles} | ${int(b.restRows)} | ${f1(b.stages.universe ?? 0)} s | ${f1(b.stages.backfill ?? 0)} s | ${f1(b.stages.sync ?? 0)} s | ` +
        `${f1(b.stages.gaps ?? 0)} s | ${f1(b.wallSeconds)} s | ${mib(peak)} | ${f1(b.storeBytes / b.rows)} (${b.storeBytesNote}) |`,
    );
  }
  out.push('');
  out.push(
    'Write rate of each tenth of the archive rows (rows/s from the start of the backfill, downloads and parsing included; a tenth holds whole files; ' +
      'the REST tail after the last month is left out) and peak RSS in each tenth of the run time:',
  );
  out.push('');
  out.push(`| backend | ${Array.from({ length: 10 }, (_, i) => `${i + 1}`).join(' | ')} | last / first |`);
  out.push(`| --- | ${Array.from({ length: 10 }, () => '---:').join(' | ')} | ---: |`);
  for (const b of r.backends) {
    const tenths = rowsPerTenth(b.writes, b.backfillStart);
    const cells = Array.from({ length: 10 }, (_, i) => tenths.find((t) => t.tenth === i + 1));
    const first = tenths[0];
    const last = tenths[tenths.length - 1];
    out.push(`| ${b.backend} rows/s | ${cells.map((c) => (c ? int(c.rowsPerSecond) : '—')).join(' | ')} | ${first && last ? f2(last.rowsPerSecond / first.rowsPerSecond) : '—'} |`);
    const { peaks } = rssPerTenth(b.rss, b.runStart, b.runEnd);
    out.push(`| ${b.backend} RSS MiB | ${peaks.map((p) => (p > 0 ? int(p / MB) : '—')).join(' | ')} | |`);
  }
  out.push('');
  out.push(
    `Stages alone (the slowest one is the floor for a pipelined backfill; downloads at the backfill's concurrency, ${r.downloadConcurrency}, with ${r.latencyMs} ms latency per request; writes as many at once as the backfill writes), ` +
      `and the CPU seconds behind them (user + system, every thread of the tickerflow process, DuckDB's included; a PostgreSQL server is a process of its own and is not counted). ` +
      `On ${r.cores} cores a backfill cannot take less than its CPU seconds / ${r.cores}: the last column is the ratio that floor alone would give, however well the stages overlap ` +
      '(for PostgreSQL a lower bound, the server\'s CPU being left out).',
  );
  out.push('');
  out.push(`| backend | downloads | verify + parse (CPU) | writes of pre-parsed files (CPU) | slowest alone | backfill wall | backfill / slowest (goal ≤ 1.2) | backfill CPU | CPU / ${r.cores} cores | that / slowest |`);
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const b of r.backends) {
    const st: StageTimes = { downloads: r.downloadSeconds, verifyParse: r.verifyParseSeconds, writes: b.writesAloneSeconds };
    const slow = slowestStage(st);
    const bf = b.stages.backfill ?? 0;
    const floor = b.backfillCpuSeconds / r.cores;
    out.push(
      `| ${b.backend} | ${f1(st.downloads)} s | ${f1(st.verifyParse)} s (${f1(r.verifyParseCpuSeconds)} s) | ${f1(st.writes)} s (${f1(b.writesAloneCpuSeconds)} s), ${b.writesAloneAtOnce} at once | ` +
        `${slow.name} ${f1(slow.seconds)} s | ${f1(bf)} s | ${f2(bf / slow.seconds)} | ${f1(b.backfillCpuSeconds)} s | ${f1(floor)} s | ${f2(floor / slow.seconds)} |`,
    );
  }
  out.push('');
  out.push('Reads over the stored rows, against the database doing the same on an unkeyed copy of the same rows:');
  out.push('');
  out.push('| backend | read | rows | tickerflow | anchor | anchor time | ratio |');
  out.push('| --- | --- | ---: | ---: | --- | ---: | ---: |');
  for (const b of r.backends) {
    for (const c of b.reads) out.push(`| ${b.backend} | ${c.what} | ${int(c.rows)} | ${f2(c.storeSeconds)} s | ${c.anchor} | ${f2(c.anchorSeconds)} s | ${f2(c.storeSeconds / c.anchorSeconds)}× |`);
  }
  out.push('');
  out.push(
    `**Extrapolated** (not measured) to 100 symbols × 96 months (2017-01 … 2024-12, every symbol listed from the start: ${int(target.rows)} rows, ${int(target.files)} monthly files):`,
  );
  out.push('');
  out.push('| backend | store size | backfill at the last tenth\'s rate | downloads alone | peak RSS (linear fit of RSS on rows written, over the later half of the rows) |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  for (const b of r.backends) {
    const tenths = rowsPerTenth(b.writes, b.backfillStart);
    const lastRate = tenths[tenths.length - 1]?.rowsPerSecond ?? 0;
    // The later half only: the database's memory limit caps RSS once reached, so the early climb to
    // it says nothing of a larger table.
    const fit = linearFit(laterHalf(rssAgainstRows(b.writes, b.rss)));
    const rss = fit.intercept + Math.max(0, fit.slope) * target.rows;
    out.push(
      `| ${b.backend} | ${f1(extrapolate(b.rows, b.storeBytes, target.rows) / 1e9)} GB | ${hours(lastRate > 0 ? target.rows / lastRate : 0)} | ` +
        `${hours(extrapolate(r.zipFiles, r.downloadSeconds, target.files))} | ${mib(rss)} (${f1((Math.max(0, fit.slope) * 1e6) / MB)} MiB per M rows) |`,
    );
  }
  return out.join('\n');
}
