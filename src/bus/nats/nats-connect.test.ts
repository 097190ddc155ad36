import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactNatsUrl } from './nats-connect.js';

test('nats url - a password or token never shows', () => {
  assert.equal(redactNatsUrl('nats://tick:s3cret@10.0.0.1:4222'), 'nats://tick:***@10.0.0.1:4222');
  assert.equal(redactNatsUrl('nats://tok3n@host'), 'nats://***@host');
  assert.equal(redactNatsUrl('nats://127.0.0.1:4222'), 'nats://127.0.0.1:4222');
});
