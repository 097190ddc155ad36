import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlExecutor, SqlParam } from './sql-session.js';
import { insertValues, valuesChunks } from './values-tuples.js';

test('values tuples - numbers placeholders from $1 in each chunk, row by row', () => {
  const chunks = valuesChunks([['a', 1], ['b', 2], ['c', null]], 2);
  assert.deepEqual(chunks, [
    { tuples: '($1, $2), ($3, $4)', params: ['a', 1, 'b', 2] },
    { tuples: '($1, $2)', params: ['c', null] },
  ]);
});

test('values tuples - insertValues runs one statement per 500 rows with the tail after the VALUES list', async () => {
  const calls: Array<{ sql: string; params: readonly SqlParam[] | undefined }> = [];
  const tx: SqlExecutor = {
    all: async () => [],
    run: async (sql, params) => {
      calls.push({ sql, params });
      return 0;
    },
  };
  const rows = Array.from({ length: 1001 }, (_, i): SqlParam[] => [i]);
  await insertValues(tx, 'INSERT INTO t (x)', rows, 'ON CONFLICT DO NOTHING');
  assert.deepEqual(calls.map((c) => c.params?.length), [500, 500, 1]);
  assert.equal(calls[2]?.sql, 'INSERT INTO t (x) VALUES ($1) ON CONFLICT DO NOTHING');
  assert.equal(calls[1]?.params?.[0], 500);
});
