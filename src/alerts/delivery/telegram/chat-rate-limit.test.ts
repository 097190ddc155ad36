import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatRateLimit } from './chat-rate-limit.js';

test('chat rate limit - one message a second per chat, other chats unaffected', () => {
  const limit = new ChatRateLimit();
  assert.deepEqual(
    [limit.reserve('5', 0), limit.reserve('5', 0), limit.reserve('6', 0), limit.reserve('5', 500), limit.reserve('5', 10_000)],
    [0, 1000, 0, 2000, 10_000],
  );
});

test('chat rate limit - a group gets at most 20 a minute: the 21st waits until a minute after the 1st', () => {
  const limit = new ChatRateLimit();
  const times = Array.from({ length: 22 }, () => limit.reserve('-100123', 0));
  assert.deepEqual(times.slice(0, 20), Array.from({ length: 20 }, (_, i) => i * 1000));
  assert.equal(times[20], 60_000);
  assert.equal(times[21], 61_000);
});

test('chat rate limit - at most 30 a second over all chats', () => {
  const limit = new ChatRateLimit();
  const times = Array.from({ length: 31 }, (_, i) => limit.reserve(String(i + 1), 0));
  assert.equal(times.filter((t) => t === 0).length, 30);
  assert.equal(times[30], 1000);
});
