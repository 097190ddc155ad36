/**
 * The history benchmarks of issue 3 in one run: archive ingest (DuckDB and PostgreSQL against
 * their own CSV loaders) and REST catch-up (requests, weight, 429s). Returns the markdown section
 * for docs/BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareHistoryDatasets } from './datasets.js';
import { runIngestBench } from './ingest.js';
import { renderCatchup, renderIngest } from './report.js';
import { runRestCatchupBench } from './rest-catchup.js';

export interface HistoryBenchOptions {
  /** Timed rounds per ingest measurement (after one warm-up round). */
  rounds: number;
  /** PostgreSQL admin URL for temp databases (default TICKERFLOW_TEST_PG_URL or the local server). */
  pgAdminUrl?: string;
  log?: (line: string) => void;
}

/** Runs both history benchmarks and renders their tables. */
export async function runHistoryBench(opts: HistoryBenchOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-bench-history-'));
  try {
    const datasets = prepareHistoryDatasets(dir);
    const ingest = await runIngestBench({ datasets, rounds: opts.rounds, workDir: join(dir, 'work'), pgAdminUrl: opts.pgAdminUrl, log: opts.log });
    const catchup = await runRestCatchupBench(opts.log);
    return [
      '## History (issue 3)',
      '',
      'Ours is the real per-file path: read the zip, SHA-256 against its `.CHECKSUM`, extract the CSV, parse it with the ' +
        'candle invariant checks, `store.writeCandles(series, candles, "archive", manifest)` (rows and manifest entry in one ' +
        'transaction, the full schema with its CHECK constraints and primary key), into a fresh store each round. The ' +
        'baselines load the same CSV bytes, unzipped beforehand (not timed), into a fresh table. Only the load is timed; ' +
        'store opening and migrations, table creation and the row-count checks after each load are not. Each figure is the ' +
        `median of ${opts.rounds} rounds after one warm-up round; ours and the baselines alternate which goes first.`,
      '',
      'Files:',
      '',
      ...datasets.map((d) => `- ${d.name} (${d.rows.toLocaleString('en-US')} rows): ${d.description}`),
      '',
      renderIngest(ingest, opts.rounds),
      renderCatchup(catchup),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
