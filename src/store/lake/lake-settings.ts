/** The lake's settings, with bounded defaults, checked once where they are read. */
import { ConfigError } from '../../core/errors.js';

export interface LakeWriterSettings {
  /** Flush every buffer once this many events are buffered in all (memory bound). */
  maxBufferedEvents: number;
  /** … or once this many book levels are buffered in all (a snapshot can carry thousands). */
  maxBufferedLevels: number;
  /** … or once the oldest buffered event has waited this long (what a crash can lose). */
  maxBufferAgeMs: number;
}

export interface LakeMaintenanceSettings {
  /** Partitions whose UTC day is older than this many days are deleted; null keeps everything. */
  retentionDays: number | null;
  /** Compaction merges a partition's files up to about this many bytes per merged file. */
  compactTargetBytes: number;
  /** … and at most this many files into one (bounds a merge's open files and memory). */
  compactMaxFiles: number;
}

export const DEFAULT_LAKE_WRITER_SETTINGS: LakeWriterSettings = {
  maxBufferedEvents: 50_000,
  maxBufferedLevels: 2_000_000,
  maxBufferAgeMs: 10_000,
};

export const DEFAULT_LAKE_MAINTENANCE_SETTINGS: LakeMaintenanceSettings = {
  retentionDays: 30,
  compactTargetBytes: 64 * 1024 * 1024,
  compactMaxFiles: 500,
};

function bounded(name: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new ConfigError(`lake: ${name} must be an integer in ${min}..${max}, got ${v}`);
}

export function checkWriterSettings(s: LakeWriterSettings): LakeWriterSettings {
  bounded('maxBufferedEvents', s.maxBufferedEvents, 1, 10_000_000);
  bounded('maxBufferedLevels', s.maxBufferedLevels, 1, 100_000_000);
  bounded('maxBufferAgeMs', s.maxBufferAgeMs, 1, 3_600_000);
  return s;
}

export function checkMaintenanceSettings(s: LakeMaintenanceSettings): LakeMaintenanceSettings {
  if (s.retentionDays !== null) bounded('retentionDays', s.retentionDays, 1, 36_500);
  bounded('compactTargetBytes', s.compactTargetBytes, 1024, 16 * 1024 * 1024 * 1024);
  bounded('compactMaxFiles', s.compactMaxFiles, 2, 100_000);
  return s;
}
