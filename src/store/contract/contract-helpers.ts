/** Small helpers shared by the store contract cases. */
import { randomBytes } from 'node:crypto';
import { CANDLE_FIELDS, allocateColumns, type CandleColumns } from '../../core/candle.js';
import type { Store } from '../store.js';

/** An exchange name no other case uses, so cases can share one database. */
export function uniqueExchange(): string {
  return `contract_${randomBytes(4).toString('hex')}`;
}

/** Opens a store, runs the case, and always closes it. */
export async function withStore(makeStore: () => Promise<Store>, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await makeStore();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

/** The rows of `c` whose index passes `keep`, as new columns. */
export function filterRows(c: CandleColumns, keep: (i: number) => boolean): CandleColumns {
  const out = allocateColumns(c.length);
  for (let i = 0; i < c.length; i++) {
    if (!keep(i)) continue;
    const j = out.length++;
    for (const f of CANDLE_FIELDS) out[f][j] = c[f][i] as number;
  }
  return out;
}

/** Rows of several column sets, in order. */
export function concatRows(...parts: CandleColumns[]): CandleColumns {
  const out = allocateColumns(parts.reduce((n, p) => n + p.length, 0));
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const j = out.length++;
      for (const f of CANDLE_FIELDS) out[f][j] = p[f][i] as number;
    }
  }
  return out;
}

/** Plain arrays of the first `length` values of every column, for deepEqual. */
export function plain(c: CandleColumns): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of CANDLE_FIELDS) out[f] = Array.from(c[f].subarray(0, c.length));
  return out;
}
