/**
 * The prepared statements of one DuckDB connection, kept by SQL text for the next call.
 *
 * `DuckDBConnection.run(sql, values)` splits the text into statements, prepares the last one,
 * binds and runs it, and destroys it again: three trips through libuv's thread pool and a
 * parse and plan in DuckDB on every call. A candle write runs the same handful of statements for
 * every file, and during a backfill each trip also waits for a main thread busy with downloads:
 * on the 30 × 24 scale backfill, reusing them took it from 78.5 to 73.8 s.
 *
 * At most `MAX_KEPT` texts are kept; the least recently used one is destroyed to make room.
 * DuckDB binds a prepared statement again by itself when the catalog changed since it was
 * prepared (a migration, a `CREATE OR REPLACE` of the staging table).
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** Enough for every fixed statement of the candle write, the jobs and the alerts, with room to spare. */
const MAX_KEPT = 64;

export class PreparedStatements {
  readonly #kept = new Map<string, DuckDBPreparedStatement>();

  constructor(private readonly conn: DuckDBConnection) {}

  /**
   * The statement for `sql`, prepared on first use; null when DuckDB will not prepare the text
   * as one statement (several statements in one text), which the caller then runs as it is.
   */
  async get(sql: string): Promise<DuckDBPreparedStatement | null> {
    const kept = this.#kept.get(sql);
    if (kept !== undefined) {
      // Most recently used goes last: a Map iterates in insertion order.
      this.#kept.delete(sql);
      this.#kept.set(sql, kept);
      return kept;
    }
    let prepared: DuckDBPreparedStatement;
    try {
      prepared = await this.conn.prepare(sql);
    } catch {
      return null; // the uncached path runs it, and reports the text's error as it always did
    }
    if (this.#kept.size >= MAX_KEPT) {
      const [oldest, statement] = this.#kept.entries().next().value as [string, DuckDBPreparedStatement];
      this.#kept.delete(oldest);
      statement.destroySync();
    }
    this.#kept.set(sql, prepared);
    return prepared;
  }

  get size(): number {
    return this.#kept.size;
  }
}
