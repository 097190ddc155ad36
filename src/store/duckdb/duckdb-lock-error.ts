/** Turns DuckDB's "could not set lock" failure into a StoreLockedError that says what to do. */
import { StoreLockedError } from '../../core/errors.js';

/**
 * DuckDB's message reads like `IO Error: Could not set lock on file "…": Conflicting lock is held
 * in /usr/bin/node (PID 18855) …`. Returns null when `err` is some other failure.
 */
export function lockErrorFrom(err: unknown, file: string): StoreLockedError | null {
  const message = err instanceof Error ? err.message : String(err);
  if (!/could not set lock|conflicting lock/i.test(message)) return null;
  const pid = /PID (\d+)/.exec(message)?.[1];
  const holder = pid === undefined ? 'another process' : `another process (pid ${pid})`;
  return new StoreLockedError(
    `The DuckDB file ${file} is in use by ${holder}; DuckDB lets only one process open it. ` +
      `Stop that process (e.g. a running \`tickerflow up\`), or use a PostgreSQL store with --db postgres://…`,
    { cause: err },
  );
}
