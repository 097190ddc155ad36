/**
 * 004: the archive manifest records the part of an object that was kept. A backfill with
 * `--since` inside a month stores only the rows from `since` on; without this column the month
 * looked complete, and a later run with an earlier `--since` never loaded the rest.
 */
import type { Migration } from './migration.js';

export const manifestKeptRange: Migration = {
  version: 4,
  name: 'archive manifest kept range',
  statements: () => ['ALTER TABLE archive_manifest ADD COLUMN kept_from BIGINT'],
};
