/**
 * Publishing one Parquet file atomically: DuckDB writes it under `<name>.tmp` in the partition's
 * own directory, the file is fsynced, renamed over `<name>` and the directory fsynced. A crash at
 * any point leaves either no `<name>` or a whole one; a re-flush of the same range replaces it.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { StoreError } from '../../core/errors.js';
import { TEMP_SUFFIX } from './lake-layout.js';

/** A path as a SQL string literal. */
export function sqlPath(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `COPY (<select>) TO <dir>/<name>` published atomically; returns the final path. */
export async function publishParquet(
  conn: DuckDBConnection,
  select: string,
  dir: string,
  name: string,
  beforeRename?: (tempPath: string) => Promise<void>,
): Promise<string> {
  const path = join(dir, name);
  const temp = path + TEMP_SUFFIX;
  try {
    await mkdir(dir, { recursive: true });
    await conn.run(`COPY (${select}) TO ${sqlPath(temp)} (FORMAT parquet, COMPRESSION zstd)`);
    await fsyncPath(temp);
    if (beforeRename) await beforeRename(temp);
    await rename(temp, path);
    await fsyncPath(dir);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new StoreError(`lake: could not publish ${path}: ${reason}`, { cause: err });
  }
  return path;
}
