/**
 * Retention and compaction. Retention deletes whole date partitions older than N days.
 * Compaction merges a partition's runs of small files into one file named by the run's first and
 * last sequence: the merged file is published atomically first, and the small ones are removed
 * only after it, so at every moment the partition holds each row in a whole file; while both
 * exist, listings drop the covered files (lake-scan.ts) and a reader never sees a row twice.
 * Leftovers of a compaction stopped between publish and cleanup are removed by the next one.
 */
import { rm, stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { DAY_MS } from '../../core/intervals.js';
import { utcDate } from '../../core/time.js';
import { fileName, partitionDir, partitionKey, type LakeFile } from './lake-layout.js';
import { fsyncPath, publishParquet, sqlPath } from './lake-file.js';
import { listPartition, listPartitions, type PartitionFilter } from './lake-scan.js';
import { checkMaintenanceSettings, DEFAULT_LAKE_MAINTENANCE_SETTINGS, type LakeMaintenanceSettings } from './lake-settings.js';

export interface CompactedFile {
  partition: string;
  path: string;
  /** How many files it replaced. */
  merged: number;
}

/** Deletes the partitions whose UTC day is before `now` minus `retentionDays`; returns their keys. */
export async function applyRetention(root: string, retentionDays: number | null, now: number): Promise<string[]> {
  if (retentionDays === null) return [];
  checkMaintenanceSettings({ ...DEFAULT_LAKE_MAINTENANCE_SETTINGS, retentionDays });
  const cutoff = utcDate(now - retentionDays * DAY_MS);
  const deleted: string[] = [];
  for (const p of await listPartitions(root)) {
    if (p.date >= cutoff) continue;
    await rm(partitionDir(root, p), { recursive: true, force: true });
    deleted.push(partitionKey(p));
  }
  return deleted;
}

/** Consecutive runs of at least two files, each run within the size and count bounds. */
async function runsToMerge(files: readonly LakeFile[], settings: LakeMaintenanceSettings): Promise<LakeFile[][]> {
  const runs: LakeFile[][] = [];
  let run: LakeFile[] = [];
  let bytes = 0;
  for (const f of files) {
    const size = (await stat(f.path)).size;
    if (run.length > 0 && (bytes + size > settings.compactTargetBytes || run.length >= settings.compactMaxFiles)) {
      if (run.length >= 2) runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(f);
    bytes += size;
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

/** Merges small files in every partition the filter admits; returns the files it published. */
export async function compactLake(root: string, options: Partial<LakeMaintenanceSettings> = {}, filter: PartitionFilter = {}): Promise<CompactedFile[]> {
  const settings = checkMaintenanceSettings({ ...DEFAULT_LAKE_MAINTENANCE_SETTINGS, ...options });
  const out: CompactedFile[] = [];
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const p of await listPartitions(root, filter)) {
      const { files, covered } = await listPartition(root, p);
      for (const f of covered) await rm(f.path, { force: true });
      for (const run of await runsToMerge(files, settings)) {
        const first = (run[0] as LakeFile).first;
        const last = (run[run.length - 1] as LakeFile).last;
        // The run's files are in sequence order, each in sequence order, and a multi-file scan
        // keeps file and row order (preserve_insertion_order), so no ORDER BY, which would hold
        // the whole run in memory; the reader checks the order of what it reads.
        const list = run.map((f) => sqlPath(f.path)).join(', ');
        const dir = partitionDir(root, p);
        const path = await publishParquet(conn, `SELECT * FROM read_parquet([${list}])`, dir, fileName(first, last));
        for (const f of run) await rm(f.path, { force: true });
        await fsyncPath(dir);
        out.push({ partition: partitionKey(p), path, merged: run.length });
      }
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return out;
}
