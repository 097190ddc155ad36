/**
 * Checked conversions of values read back from the database. Drivers hand back `unknown`
 * (DuckDB gives bigint for BIGINT, pg gives strings unless told otherwise), so every read
 * goes through one of these instead of a cast.
 */
import { BadInputError, StoreError } from '../../core/errors.js';

export function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new StoreError(`expected a number for ${what}, got ${typeof v}`);
}

export function toNumberOrNull(v: unknown, what: string): number | null {
  return v === null || v === undefined ? null : toNumber(v, what);
}

export function toText(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  throw new StoreError(`expected text for ${what}, got ${typeof v}`);
}

export function toTextOrNull(v: unknown, what: string): string | null {
  return v === null || v === undefined ? null : toText(v, what);
}

export function toBool(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new StoreError(`expected a boolean for ${what}, got ${typeof v}`);
}

/** The i-th column of a row; a missing column is a bug in the query, not bad data. */
export function col(row: readonly unknown[], i: number): unknown {
  if (i >= row.length) throw new StoreError(`query returned ${row.length} columns, wanted column ${i}`);
  return row[i];
}

/** A JSON document read back from a text column (rule definitions, states, firing inputs). */
export function fromJsonText(v: unknown, what: string): unknown {
  const text = toText(v, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StoreError(`${what} in the store is not JSON`, { cause: err });
  }
}

/** A value as the JSON text a column keeps; a value JSON cannot hold is the caller's bad input. */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new BadInputError(`${what} cannot be stored as JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (text === undefined) throw new BadInputError(`${what} cannot be stored as JSON (it is ${typeof value})`);
  return text;
}
