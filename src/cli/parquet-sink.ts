/**
 * `--format parquet`: the streamed CSV is written to a temporary file beside the output, then
 * DuckDB's own `COPY … TO (FORMAT parquet)` converts it, streaming, in an in-memory instance with a
 * bounded memory limit; the Parquet file is renamed into place only when whole. Store-agnostic
 * (PostgreSQL exports the same way) and the values are the CSV's digit for digit: DuckDB parses a
 * shortest round-trip decimal back to the same double.
 * @see https://duckdb.org/docs/stable/sql/statements/copy#copy--to
 * @see https://duckdb.org/docs/stable/data/csv/overview
 */
import { renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../core/errors.js';
import { fileSink, removeOnStop, type OutputSink } from './output-sink.js';

export type ParquetType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN';

/** A sink taking CSV text (with its header line) and leaving a Parquet file of `columns` at `path`. */
export function parquetSink(path: string, columns: ReadonlyArray<readonly [string, ParquetType]>): OutputSink {
  const csvPath = join(dirname(path), `.${basename(path)}.${process.pid}.csv`);
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.parquet.partial`);
  const csv = fileSink(csvPath);
  // The CSV once renamed into place, and the Parquet being converted, are removed on Ctrl-C too.
  const release = removeOnStop([csvPath, partial]);
  const cleanup = (): void => {
    rmSync(csvPath, { force: true });
    rmSync(partial, { force: true });
    release();
  };
  return {
    write: (text) => csv.write(text),
    async finish() {
      try {
        await csv.finish();
        await csvToParquet(csvPath, partial, columns);
        renameSync(partial, path);
      } catch (err) {
        throw err instanceof ConfigError ? err : new ConfigError(`--output ${path}: ${(err as Error).message}`, { cause: err });
      } finally {
        cleanup();
      }
    },
    async discard() {
      await csv.discard();
      cleanup();
    },
  };
}

/** Converts a headed CSV of `columns` to Parquet (zstd), streaming inside DuckDB. */
export async function csvToParquet(csvPath: string, parquetPath: string, columns: ReadonlyArray<readonly [string, ParquetType]>): Promise<void> {
  // Bounded like the rest of the export: DuckDB spills to its temp directory past this. One
  // thread: measured on 1.58 M rows, 2 threads and 256 MB peaked at 346 MB RSS, 1 and 128 MB at 260 MB, in the same time.
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '128MB', threads: '1', temp_directory: join(tmpdir(), `tickerflow-duckdb-${process.pid}`) });
  const conn = await instance.connect();
  try {
    const types = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
    await conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, columns = {${types}}, nullstr = ''))
       TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
