import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { executor } from './duckdb-session.js';
import { PreparedStatements } from './duckdb-prepared.js';

test('duckdb prepared - a text is prepared once and bound again; the least recently used is destroyed past the bound; several statements are left to the caller', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const kept = new PreparedStatements(conn);
    const first = await kept.get('SELECT $1::INTEGER + 1');
    assert.ok(first !== null);
    assert.equal(await kept.get('SELECT $1::INTEGER + 1'), first);
    for (let i = 0; i < 64; i++) await kept.get(`SELECT $1::INTEGER + ${i + 2}`);
    assert.equal(kept.size, 64);
    // The first text was the least recently used: it was destroyed, and comes back prepared anew.
    assert.throws(() => first.bind([1]));
    const again = await kept.get('SELECT $1::INTEGER + 1');
    assert.ok(again !== null && again !== first);
    assert.equal(await kept.get('SELECT 1; SELECT $1::INTEGER'), null);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});

test('duckdb prepared - the executor binds each call anew, reads and writes through a kept statement, and still reports a bad text', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const db = executor(conn);
    await db.run('CREATE TABLE t (k INTEGER PRIMARY KEY, v DOUBLE)');
    assert.equal(await db.run('INSERT INTO t VALUES ($1, $2)', [1, 1.5]), 1);
    assert.equal(await db.run('INSERT INTO t VALUES ($1, $2)', [2, 2.5]), 1);
    assert.deepEqual(await db.all('SELECT v FROM t WHERE k = $1', [2]), [[2.5]]);
    assert.deepEqual(await db.all('SELECT v FROM t WHERE k = $1', [1]), [[1.5]]);
    // A table replaced under a kept statement: DuckDB binds it again.
    await db.run('CREATE OR REPLACE TABLE t (k INTEGER PRIMARY KEY, v DOUBLE, w DOUBLE)');
    assert.equal(await db.run('INSERT INTO t (k, v) VALUES ($1, $2)', [3, 3.5]), 1);
    assert.deepEqual(await db.all('SELECT v FROM t WHERE k = $1', [3]), [[3.5]]);
    await assert.rejects(db.all('SELECT nope FROM t WHERE k = $1', [1]), /nope/);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
