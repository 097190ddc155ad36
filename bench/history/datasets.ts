/**
 * The files the history benchmark ingests, prepared in a temp folder so that ours and every
 * baseline read exactly the same bytes:
 *  - `btcusdt-3d`: the three real BTCUSDT 1m spot daily zips of 2020-01-01..03 with their real
 *    `.CHECKSUM` files, straight from `fixtures/` (4,320 rows, no header);
 *  - `linkusdt-month`: the real USD-M LINKUSDT 1m CSV of 2023-02 (40,320 rows, header row), which
 *    `fixtures/` holds only unzipped; it is zipped here with a computed `.CHECKSUM`. That is
 *    benchmark packaging of real data, not a recording of the archive's own zip.
 * Every file's CSV is also written unzipped, for the baselines (DuckDB `read_csv`, `psql \copy`).
 *
 * @see https://github.com/binance/binance-public-data#klines
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../src/connectors/binance-archive/checksum.js';
import { parseKlineCsv, type ArchiveMarket } from '../../src/connectors/binance-archive/kline-csv.js';
import { extractSingleCsv } from '../../src/connectors/binance-archive/zip.js';
import type { Interval } from '../../src/core/intervals.js';
import { parseTime } from '../../src/core/time.js';
import { writeSingleEntryZip } from '../../src/replay/zip-writer.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/binance-vision/', import.meta.url));

/** One archive object as the bench sees it on disk. */
export interface BenchFile {
  /** data.binance.vision object key, named in errors and recorded in the manifest. */
  key: string;
  zipPath: string;
  checksumPath: string;
  /** The zip's CSV entry, unzipped, for the baselines. */
  csvPath: string;
  rows: number;
}

export interface BenchDataset {
  name: string;
  /** One line for the report: what the files are and where they come from. */
  description: string;
  symbol: string;
  market: ArchiveMarket;
  interval: Interval;
  /** Whether the CSVs start with a header row (USD-M and COIN-M files do). */
  csvHeader: boolean;
  files: BenchFile[];
  rows: number;
}

function rowsOf(csv: Buffer, key: string, market: ArchiveMarket): number {
  // The real parser, with its invariant checks: a dataset that would not ingest fails here, early.
  return parseKlineCsv(csv, { key, interval: '1m', market }).length;
}

function unzipTo(dir: string, zipPath: string, key: string): { csvPath: string; csv: Buffer } {
  const csv = extractSingleCsv(readFileSync(zipPath), key);
  const csvPath = join(dir, 'csv', basename(key).replace(/\.zip$/, '.csv'));
  mkdirSync(dirname(csvPath), { recursive: true });
  writeFileSync(csvPath, csv);
  return { csvPath, csv };
}

function btcusdtDays(dir: string): BenchDataset {
  const files = ['2020-01-01', '2020-01-02', '2020-01-03'].map((day): BenchFile => {
    const key = `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-${day}.zip`;
    const zipPath = join(FIXTURES, key);
    const { csvPath, csv } = unzipTo(dir, zipPath, key);
    return { key, zipPath, checksumPath: `${zipPath}.CHECKSUM`, csvPath, rows: rowsOf(csv, key, 'spot') };
  });
  return {
    name: 'BTCUSDT 1m, 3 daily zips',
    description: 'real data.binance.vision zips + .CHECKSUM, spot BTCUSDT 1m 2020-01-01..03 (fixtures/)',
    symbol: 'BTCUSDT',
    market: 'spot',
    interval: '1m',
    csvHeader: false,
    files,
    rows: files.reduce((n, f) => n + f.rows, 0),
  };
}

function linkusdtMonth(dir: string): BenchDataset {
  const csvPath = join(FIXTURES, 'data/futures/um/monthly/klines-csv/LINKUSDT-1m-2023-02.csv');
  const csv = readFileSync(csvPath);
  const key = 'data/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip';
  const zipPath = join(dir, key);
  mkdirSync(dirname(zipPath), { recursive: true });
  const zip = writeSingleEntryZip('LINKUSDT-1m-2023-02.csv', csv, parseTime('2023-03-01'));
  writeFileSync(zipPath, zip);
  writeFileSync(`${zipPath}.CHECKSUM`, `${sha256Hex(zip)}  ${basename(key)}\n`);
  const rows = rowsOf(csv, key, 'um');
  return {
    name: 'LINKUSDT 1m, 1 monthly zip',
    description: 'real USD-M LINKUSDT 1m 2023-02 CSV (fixtures/), zipped here with a computed .CHECKSUM (benchmark packaging)',
    symbol: 'LINKUSDT',
    market: 'um',
    interval: '1m',
    csvHeader: true,
    files: [{ key, zipPath, checksumPath: `${zipPath}.CHECKSUM`, csvPath, rows }],
    rows,
  };
}

/** Writes the zips, checksums and unzipped CSVs under `dir` and describes them. */
export function prepareHistoryDatasets(dir: string): BenchDataset[] {
  return [btcusdtDays(dir), linkusdtMonth(dir)];
}
