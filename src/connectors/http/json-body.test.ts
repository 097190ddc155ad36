import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpstreamError } from '../../core/errors.js';
import { parseJsonBody } from './json-body.js';

test('json body - parses JSON text; other text is an upstream error naming the request and status', () => {
  assert.deepEqual(parseJsonBody('[1,"2"]', 'GET http://x/y', 200), [1, '2']);
  assert.throws(
    () => parseJsonBody('<html>', 'GET http://x/y', 200),
    (e: unknown) => e instanceof UpstreamError && e.status === 200 && e.message === 'GET http://x/y: HTTP 200 body is not JSON',
  );
});
