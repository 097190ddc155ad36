/**
 * Migration 3: a heartbeat per job run, so a job whose process died can be told from one still
 * running (PostgreSQL: its lease lapses), and an index for pruning old runs by start time.
 */
import type { Migration } from './migration.js';

function statements(): string[] {
  return [
    'ALTER TABLE job_runs ADD COLUMN heartbeat_at BIGINT',
    // Runs written before this migration count as last seen when they started or finished.
    'UPDATE job_runs SET heartbeat_at = COALESCE(finished_at, started_at)',
    'CREATE INDEX job_runs_started ON job_runs (started_at)',
  ];
}

export const jobHeartbeat: Migration = { version: 3, name: 'job heartbeat and retention index', statements };
