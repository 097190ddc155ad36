import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../store/open-store.js';
import { startHarness } from './test-support/api-harness.js';

/** Every route of the API contract (method, OpenAPI path). */
const ROUTES = [
  ['post', '/api/v1/login'],
  ['post', '/api/v1/logout'],
  ['get', '/api/v1/me'],
  ['get', '/api/v1/health'],
  ['get', '/api/v1/universe'],
  ['get', '/api/v1/candles'],
  ['get', '/api/v1/indicators'],
  ['get', '/api/v1/jobs'],
  ['get', '/api/v1/jobs/{id}'],
  ['get', '/api/v1/gaps'],
  ['get', '/api/v1/gaps/summary'],
  ['get', '/api/v1/coverage'],
  ['get', '/api/v1/tokens'],
  ['post', '/api/v1/tokens'],
  ['delete', '/api/v1/tokens/{id}'],
  ['get', '/api/v1/alerts'],
  ['post', '/api/v1/alerts'],
  ['post', '/api/v1/alerts/preview'],
  ['get', '/api/v1/alerts/{id}'],
  ['patch', '/api/v1/alerts/{id}'],
  ['delete', '/api/v1/alerts/{id}'],
  ['post', '/api/v1/alerts/{id}/test'],
  ['get', '/api/v1/firings'],
  ['get', '/api/v1/events'],
  ['post', '/api/v1/telegram/link-code'],
  ['post', '/api/v1/telegram/chats'],
  ['get', '/api/v1/channels'],
] as const;

test('api openapi - /docs/json is an OpenAPI 3 document naming every route with its parameters, and /docs serves the UI', async () => {
  const store = await openStore(':memory:');
  const h = await startHarness(store, { now: Date.UTC(2024, 0, 1) });
  try {
    const res = await h.call('GET', '/docs/json');
    assert.equal(res.status, 200);
    const doc = res.body as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { responses?: object; parameters?: Array<{ name: string; in: string; required?: boolean }>; security?: unknown[] }>> };
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(doc.info.version, '0.0.0-test');
    for (const [method, path] of ROUTES) {
      const op = doc.paths[path]?.[method];
      assert.ok(op !== undefined, `${method} ${path} missing from the document`);
      assert.ok(op.responses !== undefined && Object.keys(op.responses).length > 0, `${method} ${path} has no responses`);
    }
    const params = doc.paths['/api/v1/candles']!.get!.parameters!.map((p) => `${p.in}:${p.name}${p.required === true ? '!' : ''}`);
    assert.deepEqual(params.sort(), ['query:columns', 'query:exchange', 'query:format', 'query:from', 'query:interval', 'query:symbol!', 'query:to']);
    assert.deepEqual(doc.paths['/api/v1/health']!.get!.security, []);
    // Nothing outside the API is documented as an API route.
    assert.deepEqual(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/v1/')), []);
    const ui = await h.call('GET', '/docs/');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  } finally {
    await h.close();
    await store.close();
  }
});
