/**
 * Migration 11: `signals.incomplete` (issue 18 item 4), true for a liquidity window that overlaps
 * time the stream process was not connected: the book updates of that time were never received,
 * so the window's sums are short. Existing rows were written by a process that saw their whole
 * window and stay false. A window rebuilt after a restart upserts the same row, this flag with it.
 * DuckDB cannot add a column with a constraint ("not yet supported"), so there it is nullable with
 * the same default; every write sets it.
 */
import type { Dialect, Migration } from './migration.js';

function statements(dialect: Dialect): string[] {
  return [`ALTER TABLE signals ADD COLUMN incomplete BOOLEAN ${dialect === 'duckdb' ? '' : 'NOT NULL '}DEFAULT false`];
}

export const signalIncomplete: Migration = { version: 11, name: 'signals.incomplete for windows over a stream outage', statements };
