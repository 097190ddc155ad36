/** The record of one ingested archive object, shared by the connector that loads it and the store that keeps it. */

/** One ingested archive object (a zip), recorded in the same transaction as its rows. */
export interface ArchiveManifestEntry {
  key: string;
  size: number;
  sha256: string;
  /** Last-Modified of the object as served, epoch ms; null if the server did not say. */
  lastModified: number | null;
  rows: number;
  ingestedAt: number;
}
