/** The record of one ingested archive object, shared by the connector that loads it and the store that keeps it. */

/** One ingested archive object (a zip), recorded in the same transaction as its rows. */
export interface ArchiveManifestEntry {
  key: string;
  size: number;
  sha256: string;
  /** Last-Modified of the object as served, epoch ms; null if the server did not say. */
  lastModified: number | null;
  /** Rows stored from the object (all of them, or those from `keptFrom` on). */
  rows: number;
  ingestedAt: number;
  /**
   * Open time of the first row kept when the rows before it were trimmed (a `--since` inside the
   * file's period); absent when every row was stored. A later run that wants rows before it loads
   * the object again.
   */
  keptFrom?: number;
}
