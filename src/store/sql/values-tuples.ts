/** Multi-row `VALUES` lists with `$n` placeholders, in chunks that stay far below driver parameter limits. */
import type { SqlExecutor, SqlParam } from './sql-session.js';

export interface ValuesChunk {
  /** `($1, $2), ($3, $4)…` for the chunk's rows. */
  tuples: string;
  params: SqlParam[];
}

/** Splits rows (each the same width) into chunks of at most `rowsPerChunk` rows. */
export function valuesChunks(rows: readonly SqlParam[][], rowsPerChunk = 500): ValuesChunk[] {
  const out: ValuesChunk[] = [];
  for (let at = 0; at < rows.length; at += rowsPerChunk) {
    const params: SqlParam[] = [];
    const tuples = rows.slice(at, at + rowsPerChunk).map((row) => {
      const first = params.length + 1;
      params.push(...row);
      return `(${row.map((_, i) => `$${first + i}`).join(', ')})`;
    });
    out.push({ tuples: tuples.join(', '), params });
  }
  return out;
}

/**
 * Runs `${head} VALUES (…), (…) ${tail}` once per chunk of `rows`, on the caller's executor
 * (a transaction, so the chunks land together or not at all).
 */
export async function insertValues(tx: SqlExecutor, head: string, rows: readonly SqlParam[][], tail = ''): Promise<void> {
  for (const chunk of valuesChunks(rows)) await tx.run(`${head} VALUES ${chunk.tuples} ${tail}`, chunk.params);
}
