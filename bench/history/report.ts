/** Markdown for the history section of docs/BENCHMARKS.md, from raw samples: medians, rates, ratios, goals. */
import type { IngestBenchResult, IngestMeasurement } from './ingest.js';
import type { CatchupResult } from './rest-catchup.js';
import { median, rowsPerSecond } from './samples.js';

/** The issue's goals: ours ≥ this × the engine's own loader (rows/s). */
export const INGEST_GOALS = { duckdb: 0.5, postgres: 0.8 } as const;

export interface IngestRow {
  backend: IngestMeasurement['backend'];
  dataset: string;
  rows: number;
  oursMs: number;
  /** Median of the read + verify + extract + parse part of ours; the rest is `writeCandles`. */
  oursDecodeMs: number;
  oursRowsPerSec: number;
  baseline: string;
  baselineMs: number;
  baselineRowsPerSec: number;
  /** ours rows/s ÷ baseline rows/s. */
  ratio: number;
  /** The goal, for the baseline the issue names (the first); null for the stricter extra baselines. */
  goal: number | null;
}

/** One row per (measurement, baseline), medians over the rounds. */
export function ingestRows(ms: readonly IngestMeasurement[]): IngestRow[] {
  return ms.flatMap((m) => {
    const oursMs = median(m.ours);
    const oursDecodeMs = median(m.oursDecode);
    return m.baselines.map((b, i): IngestRow => {
      const baselineMs = median(b.ms);
      return {
        backend: m.backend, dataset: m.dataset, rows: m.rows, oursMs, oursDecodeMs, oursRowsPerSec: rowsPerSecond(m.rows, oursMs),
        baseline: b.name, baselineMs, baselineRowsPerSec: rowsPerSecond(m.rows, baselineMs),
        ratio: baselineMs / oursMs, goal: i === 0 ? INGEST_GOALS[m.backend] : null,
      };
    });
  });
}

function int(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a';
}

function ms(x: number): string {
  return Number.isFinite(x) ? x.toFixed(1) : 'n/a';
}

/** Two decimals, or three where two would round across the goal (0.498 is not "0.50"). */
export function formatRatio(ratio: number, goal: number | null): string {
  const two = ratio.toFixed(2);
  const crosses = goal !== null && (ratio >= goal) !== (Number(two) >= goal);
  return `${crosses ? ratio.toFixed(3) : two}×`;
}

function verdict(r: IngestRow): string {
  if (r.goal === null) return '(stricter baseline, no goal)';
  return `≥ ${r.goal}× — ${r.ratio >= r.goal ? 'met' : '**not met**'}`;
}

function spread(xs: readonly number[]): string {
  return xs.length === 0 ? 'n/a' : `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;
}

/** The ingest tables, one per backend, with the statements the baselines ran. */
export function renderIngest(result: IngestBenchResult, rounds: number): string {
  const rows = ingestRows(result.measurements);
  const out: string[] = [];
  for (const backend of ['duckdb', 'postgres'] as const) {
    const title = backend === 'duckdb' ? 'zip → DuckDB' : 'zip → PostgreSQL';
    out.push(`### Archive ingest, ${title} (goal ≥ ${INGEST_GOALS[backend]}× of ${backend === 'duckdb' ? "DuckDB's own `read_csv`" : '`psql \\copy`'})`, '');
    out.push('| files | rows | ours median ms | of which decode ms | ours rows/s | baseline | baseline median ms | baseline rows/s | ours / baseline | goal |');
    out.push('|---|---:|---:|---:|---:|---|---:|---:|---:|---|');
    for (const r of rows.filter((x) => x.backend === backend)) {
      out.push(`| ${r.dataset} | ${int(r.rows)} | ${ms(r.oursMs)} | ${ms(r.oursDecodeMs)} | ${int(r.oursRowsPerSec)} | ${r.baseline} | ${ms(r.baselineMs)} | ${int(r.baselineRowsPerSec)} | ${formatRatio(r.ratio, r.goal)} | ${verdict(r)} |`);
    }
    out.push('', `Spread of the ${rounds} timed rounds (min–max ms):`, '');
    for (const m of result.measurements.filter((x) => x.backend === backend)) {
      const parts = [`ours ${spread(m.ours)}`, ...m.baselines.map((b) => `${b.name} ${spread(b.ms)}`)];
      out.push(`- ${m.dataset}: ${parts.join('; ')}`);
    }
    out.push('', 'Baseline statements (file names shortened; full temp paths in the run):', '');
    const seen = new Set<string>();
    for (const m of result.measurements.filter((x) => x.backend === backend)) {
      for (const b of m.baselines) {
        const line = `- ${m.dataset}, ${b.name}: \`${b.command}\``;
        if (!seen.has(line)) out.push(line);
        seen.add(line);
      }
    }
    out.push('');
  }
  out.push(
    '"Decode" is the part of ours before `writeCandles`: reading the zip and its `.CHECKSUM`, SHA-256, inflating and ' +
      'parsing with the invariant checks; the rest of ours is the store write (rows + manifest in one transaction).',
    '',
    `Every psql figure includes starting psql and connecting: \`psql -c 'SELECT 1'\` alone took a median ${ms(result.psqlStartupMs)} ms in this run.`,
    '',
  );
  return out.join('\n');
}

function pair(a: number, b: number): string {
  return a === b ? String(a) : `${a} / ${b}`;
}

/** The REST catch-up table. */
export function renderCatchup(results: readonly CatchupResult[]): string {
  const out = [
    '### REST catch-up (goal: the minimum requests, ceil(missing candles / 1000) per range, and zero 429s)',
    '',
    '| scenario | simulated now | store before | REST candles | min requests (weight) | klines requests | weight used (governor / server) | 429 / 418 | governor waits (simulated) | complete |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const s = r.scenario;
    const extra = s.exchangeInfoFirst ? ' + 1 exchangeInfo' : '';
    const waits = r.governor.waits === 0 ? 'none' : `${r.governor.waits} waits, ${(r.governor.waitedMs / 1000).toFixed(0)} s`;
    const complete = r.incomplete.length === 0 ? 'yes' : `no: ${r.incomplete.join(', ')}`;
    const met = r.klinesRequests === r.minRequests ? '' : ' (**above the minimum**)';
    out.push(
      `| ${s.name} | ${s.now} | ${s.startState} | ${int(r.restCandles)} | ${r.minRequests} (${r.minWeight}) | ${r.klinesRequests}${extra}${met} | ` +
        `${pair(r.governor.weight, r.server.weight)} | ${r.server.rateLimited429} / ${r.server.banned418} | ${waits} | ${complete} |`,
    );
  }
  out.push(
    '',
    'Weight is counted twice, independently: by the process-wide rate governor (what the client spent) and by the replay ' +
      "server's weight limiter (what Binance would have charged); one number means they agree. Governor waits are on the " +
      'simulated clock: the governor sleeps by advancing it, so the figure is how long a real run would have waited.',
    '',
  );
  return out.join('\n');
}

/** Bullet lines with the headline figures: each goal-carrying ingest ratio and the REST totals. */
export function renderSummary(ingest: IngestBenchResult, catchup: readonly CatchupResult[]): string {
  const lines = ingestRows(ingest.measurements)
    .filter((r) => r.goal !== null)
    .map((r) => `- ${r.backend === 'duckdb' ? 'zip → DuckDB' : 'zip → PostgreSQL'}, ${r.dataset}: ${int(r.oursRowsPerSec)} rows/s, ` +
      `${formatRatio(r.ratio, r.goal)} ${r.baseline} (goal ≥ ${r.goal}×: ${r.ratio >= (r.goal ?? 0) ? 'met' : 'not met'})`);
  const req = catchup.reduce((n, r) => n + r.klinesRequests, 0);
  const min = catchup.reduce((n, r) => n + r.minRequests, 0);
  const r429 = catchup.reduce((n, r) => n + r.server.rateLimited429 + r.server.banned418, 0);
  lines.push(`- REST catch-up, ${catchup.length} scenarios: ${req} klines requests against a minimum of ${min}; ${r429} answers 429/418`);
  return lines.join('\n');
}
