import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { newApiToken, tokenHash } from './api-token.js';

test('api token - tf_ and 32 random bytes in base64url, a new one each time', () => {
  const a = newApiToken();
  const b = newApiToken();
  assert.match(a, /^tf_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(a.slice(3), 'base64url').length, 32);
  assert.notEqual(a, b);
});

test('api token - its stored form is the SHA-256 hex of the whole token', () => {
  // FIPS 180-2 example: SHA-256("abc").
  assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const t = newApiToken();
  assert.equal(tokenHash(t), createHash('sha256').update(t).digest('hex'));
  assert.notEqual(tokenHash(t), tokenHash(`${t}x`));
});
