import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../core/errors.js';
import { isConnectionLost } from './connection-lost.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

test('connection lost - refused, reset, terminated and shutting-down errors are, through the store\'s wrapping; constraint and disk-full errors are not', () => {
  const wrapped = (cause: Error): StoreError => new StoreError(`PostgreSQL: ${cause.message} (in: INSERT INTO candles …)`, { cause });
  const lost = [
    wrapped(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
    wrapped(withCode('read ECONNRESET', 'ECONNRESET')),
    wrapped(new Error('Connection terminated unexpectedly')),
    wrapped(withCode('terminating connection due to administrator command', '57P01')),
    wrapped(withCode('the database system is starting up', '57P03')),
    wrapped(withCode('connection failure', '08006')),
    new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]),
  ];
  const notLost = [
    wrapped(withCode('duplicate key value violates unique constraint "candles_pkey"', '23505')),
    wrapped(withCode('could not extend file: No space left on device', '53100')),
    wrapped(withCode('syntax error at or near "SELEC"', '42601')),
    new Error('something else'),
    'ECONNREFUSED as a plain string',
  ];
  assert.deepEqual(lost.map(isConnectionLost), lost.map(() => true));
  assert.deepEqual(notLost.map(isConnectionLost), notLost.map(() => false));
});
