/**
 * Migration 12: alert evaluation hands over without missing or repeating a bar (docs/SCALE-OUT.md).
 * `evaluation_marks`: per series of an exchange, the open time before which every closed bar has
 * been evaluated (`evaluated_until`); written in the transaction of the evaluation's firings, so a
 * new evaluator (a `serve` takeover, an `up` restart) evaluates every bar after it, once.
 * `firings_rule_bar`: one firing per rule and bar (rule, symbol, interval, open time), so two
 * evaluators, or one re-evaluating bars after a crash, store a firing (and its outbox rows) once.
 * Firings stored twice before it are de-duplicated first: the first (lowest id) is kept, the
 * later copies and their outbox rows are deleted. DuckDB builds a unique index over the rows a
 * transaction deleted as if they were still there, so there the kept rows are copied into the
 * firings table made afresh (migration 005's definition and index) instead.
 */
import { alertRecords } from './005-alert-records.js';
import type { Dialect, Migration } from './migration.js';

const LATER_COPY = `SELECT f.id FROM firings f WHERE EXISTS (
  SELECT 1 FROM firings g WHERE g.rule_id = f.rule_id AND g.symbol = f.symbol AND g."interval" = f."interval"
    AND g.bar_open_time = f.bar_open_time AND g.id < f.id)`;

function statements(dialect: Dialect): string[] {
  const text = dialect === 'duckdb' ? 'VARCHAR' : 'TEXT';
  const firingsTable = alertRecords.statements(dialect).filter((sql) => /^CREATE (TABLE firings \(|INDEX firings_user )/.test(sql));
  if (firingsTable.length !== 2) throw new Error(`migration 012: expected migration 005's firings table and index, found ${firingsTable.length} statements`);
  return [
    `DELETE FROM outbox WHERE firing_id IN (${LATER_COPY})`,
    ...(dialect === 'duckdb'
      ? [`CREATE TEMP TABLE firings_kept AS SELECT * FROM firings WHERE id NOT IN (${LATER_COPY})`, 'DROP TABLE firings', ...firingsTable, 'INSERT INTO firings SELECT * FROM firings_kept', 'DROP TABLE firings_kept']
      : [`DELETE FROM firings WHERE id IN (${LATER_COPY})`]),
    'CREATE UNIQUE INDEX firings_rule_bar ON firings (rule_id, symbol, "interval", bar_open_time)',
    `CREATE TABLE evaluation_marks (
  exchange ${text} NOT NULL CHECK (exchange <> ''),
  symbol ${text} NOT NULL CHECK (symbol <> ''),
  "interval" ${text} NOT NULL CHECK ("interval" <> ''),
  evaluated_until BIGINT NOT NULL CHECK (evaluated_until >= 0),
  PRIMARY KEY (exchange, symbol, "interval")
)`,
  ];
}

export const evaluationMarks: Migration = { version: 12, name: 'alert evaluation marks, one firing per rule and bar', statements };
