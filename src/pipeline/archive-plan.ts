/**
 * Which archive files a backfill loads: the files that cover the window, less those the manifest
 * already holds whole and unchanged. Pure, so the rules are tested without I/O.
 */
import type { ArchiveManifestEntry } from '../core/archive-manifest.js';
import type { ArchiveFile } from './sources.js';

/** Why a covering file is loaded. */
export type IngestReason = 'new' | 'republished' | 'earlier rows wanted';

/**
 * Picks the files that cover [start, end): each complete month from its monthly file, and
 * daily files only for days no chosen monthly file covers.
 */
export function chooseArchiveFiles(all: readonly ArchiveFile[], start: number, end: number): ArchiveFile[] {
  const overlapping = all.filter((f) => f.end > start && f.start < end);
  const monthly = overlapping.filter((f) => f.period === 'monthly');
  const daily = overlapping.filter((f) => f.period === 'daily' && !monthly.some((m) => m.start <= f.start && f.end <= m.end));
  return [...monthly, ...daily].sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
}

/**
 * True when the listing describes another object than the one ingested: a different size, or a
 * different Last-Modified. The listing gives milliseconds and the download's header whole
 * seconds, so times are compared to the second.
 */
export function isRepublished(file: ArchiveFile, entry: ArchiveManifestEntry): boolean {
  if (file.size !== undefined && file.size !== entry.size) return true;
  if (file.lastModified === undefined || entry.lastModified === null) return false;
  return Math.floor(file.lastModified / 1000) !== Math.floor(entry.lastModified / 1000);
}

/** Why `file` must be loaded for a window starting at `start`, or null if the stored rows stand. */
export function ingestReason(file: ArchiveFile, entry: ArchiveManifestEntry | null, start: number): IngestReason | null {
  if (entry === null) return 'new';
  if (isRepublished(file, entry)) return 'republished';
  if (entry.keptFrom !== undefined && start < entry.keptFrom) return 'earlier rows wanted';
  return null;
}
