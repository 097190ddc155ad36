import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTimezone, checkUserName } from './user-fields.js';

test('user fields - a time zone is kept in its canonical IANA spelling, an unknown one is refused naming it', () => {
  assert.equal(checkTimezone('Europe/Amsterdam'), 'Europe/Amsterdam');
  assert.equal(checkTimezone('america/new_york'), 'America/New_York');
  assert.equal(checkTimezone('UTC'), 'UTC');
  assert.throws(() => checkTimezone('Mars/Olympus_Mons'), { code: 'BAD_INPUT', message: /^timezone "Mars\/Olympus_Mons" is not an IANA time zone/ });
  assert.throws(() => checkTimezone(''), { code: 'BAD_INPUT' });
});

test('user fields - a user name is 1 to 64 plain characters starting with a letter or digit', () => {
  assert.equal(checkUserName('alice'), 'alice');
  assert.equal(checkUserName('Bob.Smith-2_x'), 'Bob.Smith-2_x');
  assert.equal(checkUserName('a'.repeat(64)), 'a'.repeat(64));
  for (const bad of ['', '-alice', 'al ice', 'a'.repeat(65), 'alice;drop', 'ålice']) {
    assert.throws(() => checkUserName(bad), { code: 'BAD_INPUT', message: /^user name ".*": use 1 to 64 letters/ }, bad);
  }
});
