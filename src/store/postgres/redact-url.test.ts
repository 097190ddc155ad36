import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './redact-url.js';

test('redactUrl - drops the password from userinfo and query, keeps the rest', () => {
  assert.equal(redactUrl('postgres://tf:s3cr3t@db.example:5433/tickerflow?sslmode=require&password=s3cr3t'), 'postgres://tf@db.example:5433/tickerflow?sslmode=require');
  assert.equal(redactUrl('postgresql://postgres@127.0.0.1/postgres'), 'postgresql://postgres@127.0.0.1/postgres');
  assert.ok(!redactUrl('not a url with s3cr3t').includes('s3cr3t'));
});
