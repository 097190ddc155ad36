/**
 * Migration 3: a heartbeat per running job, so a job whose process died can be told from one
 * still running (on PostgreSQL its lease lapses), and an index for pruning old runs by start.
 *
 * The heartbeat is a table of its own, not a column added to job_runs: DuckDB (1.5) cannot replay
 * a WAL holding an ALTER TABLE of a table whose id defaults to nextval() ("GetDefaultDatabase with
 * no default database set"), so a kill before the next checkpoint left the file unopenable.
 */
import type { Migration } from './migration.js';

function statements(): string[] {
  return [
    // A job with no row here (started before this migration) counts as last seen at its start.
    'CREATE TABLE job_leases (job_id BIGINT PRIMARY KEY, heartbeat_at BIGINT NOT NULL)',
    'CREATE INDEX job_runs_started ON job_runs (started_at)',
  ];
}

export const jobHeartbeat: Migration = { version: 3, name: 'job heartbeat and retention index', statements };
