/** Checks on the bars and windows stream processes stored in a PostgreSQL store (the scale-out and restart tests). */
import assert from 'node:assert/strict';
import pg from 'pg';

export /** Bars (candles) and windows (signals) keyed as their primary keys say, each key once. */
async function assertRowsOnce(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const [table, key] of [['candles', 'series_id, open_time'], ['signals', 'exchange, symbol, window_start, window_ms']] as const) {
      const pk = await c.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '${table}'::regclass AND contype = 'p'`);
      assert.equal(pk.rows[0]?.def.replace(/"/g, ''), `PRIMARY KEY (${key})`, `${table} is keyed by ${key}`);
      const r = await c.query<{ rows: string; keys: string }>(`SELECT count(*) AS rows, count(DISTINCT (${key})) AS keys FROM ${table}`);
      assert.equal(r.rows[0]?.rows, r.rows[0]?.keys, `${table}: every key once`);
      assert.ok(Number(r.rows[0]?.rows) > 0, `${table} has rows`);
    }
  } finally {
    await c.end();
  }
}

/** How many bars (candles) and windows (signals) the store holds. */
export async function streamRowCounts(url: string): Promise<{ bars: number; windows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ bars: string; windows: string }>('SELECT (SELECT count(*) FROM candles) AS bars, (SELECT count(*) FROM signals) AS windows');
    return { bars: Number(r.rows[0]?.bars), windows: Number(r.rows[0]?.windows) };
  } finally {
    await c.end();
  }
}
