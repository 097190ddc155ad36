import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { COST, hashPassword, verifyPassword } from './password-hash.js';

const CHEAP = { ln: 10, r: 8, p: 1 };

test('password hash - the string names scrypt, its cost and salt, and its key is scrypt of the password by those', async () => {
  const hash = await hashPassword('correct horse battery', COST);
  const m = /^\$scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/.exec(hash);
  assert.ok(m, hash);
  // Recomputed here with scryptSync from the string's own parts (RFC 7914 parameters N, r, p).
  const key = scryptSync('correct horse battery', Buffer.from(m[1] ?? '', 'base64'), 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  assert.equal(m[2], key.toString('base64').replace(/=+$/, ''));
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
});

test('password hash - a random salt makes two hashes of one password differ, and each verifies only its password', async () => {
  const a = await hashPassword('hunter2hunter2', CHEAP);
  const b = await hashPassword('hunter2hunter2', CHEAP);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('hunter2hunter2', a), true);
  assert.equal(await verifyPassword('hunter2hunter2', b), true);
  assert.equal(await verifyPassword('hunter2hunter3', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('password hash - a hash made at another cost still verifies by the cost it names', async () => {
  const hash = await hashPassword('a longer passphrase', { ln: 11, r: 4, p: 2 });
  assert.match(hash, /^\$scrypt\$ln=11,r=4,p=2\$/);
  assert.equal(await verifyPassword('a longer passphrase', hash), true);
});

test('password hash - unicode passwords in either normal form verify alike', async () => {
  const hash = await hashPassword('caf\u00e9 au lait!', CHEAP);
  assert.equal(await verifyPassword('cafe\u0301 au lait!', hash), true);
});

test('password hash - too short or too long a new password is refused naming the rule', async () => {
  await assert.rejects(hashPassword('short', CHEAP), { code: 'BAD_INPUT', message: 'password: at least 10 characters, got 5' });
  await assert.rejects(hashPassword('x'.repeat(1_025), CHEAP), { code: 'BAD_INPUT', message: 'password: at most 1024 characters, got 1025' });
});

test('password hash - a stored string that is not one of ours is refused, not treated as a wrong password', async () => {
  await assert.rejects(verifyPassword('whatever12', 'plaintext'), { code: 'BAD_INPUT', message: /not a \$scrypt\$ln=/ });
  const good = await hashPassword('whatever12', CHEAP);
  await assert.rejects(verifyPassword('whatever12', good.replace('ln=10', 'ln=30')), { code: 'BAD_INPUT', message: /cost ln=30,r=8,p=1 out of bounds/ });
});
