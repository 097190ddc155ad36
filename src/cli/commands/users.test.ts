import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUsers } from './users.js';

test('users list - one aligned row per user with role, time zone and creation time in UTC', () => {
  assert.equal(
    formatUsers([
      { id: 1, name: 'alice', role: 'admin', timezone: 'Europe/Amsterdam', createdAt: Date.UTC(2026, 11, 6, 21, 5, 59) },
      { id: 12, name: 'bob.trader', role: 'user', timezone: 'UTC', createdAt: Date.UTC(2026, 11, 7, 8, 0) },
    ]),
    [
      'name        id   role          timezone     created (UTC)',
      'alice        1  admin  Europe/Amsterdam  2026-12-06 21:05',
      'bob.trader  12   user               UTC  2026-12-07 08:00',
      '',
    ].join('\n'),
  );
});

test('users list - no users says how to add the first', () => {
  assert.equal(formatUsers([]), 'no users yet: `tickerflow users add <name> --admin` adds the first\n');
});
