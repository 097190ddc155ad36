/**
 * Migration 10: the shared request-weight ledger (core/weight-ledger.ts), PostgreSQL only. Every
 * process on one PostgreSQL database reserves exchange weight here before a request, so processes
 * on one IP spend one budget. A DuckDB file is held by one process, whose in-process governor
 * already sees all its requests, so DuckDB gets no tables (the version is still recorded).
 * `weight_windows`: weight reserved per scope and fixed window (epoch ms of its start);
 * `weight_pauses`: the latest end of a 429/418 pause per scope.
 * UNLOGGED: a reservation is one autocommit statement, and on a logged table each waits for its WAL
 * flush (median 4–5 ms a reservation here, against 0.4–0.9 ms unlogged; see
 * src/store/bench/measure-weight-ledger.ts). The counts only matter for the current minute, so
 * losing them in a PostgreSQL crash (unlogged tables come back empty) costs nothing the
 * `X-MBX-USED-WEIGHT-1M` re-sync does not restore.
 */
import type { Dialect, Migration } from './migration.js';

function statements(dialect: Dialect): string[] {
  if (dialect === 'duckdb') return [];
  return [
    `CREATE UNLOGGED TABLE weight_windows (
  scope TEXT NOT NULL CHECK (scope <> ''),
  window_start BIGINT NOT NULL CHECK (window_start >= 0),
  used INTEGER NOT NULL CHECK (used >= 0),
  PRIMARY KEY (scope, window_start)
)`,
    `CREATE UNLOGGED TABLE weight_pauses (
  scope TEXT PRIMARY KEY CHECK (scope <> ''),
  paused_until BIGINT NOT NULL
)`,
  ];
}

export const weightLedger: Migration = { version: 10, name: 'shared request-weight ledger (PostgreSQL)', statements };
