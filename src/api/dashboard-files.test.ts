import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../store/open-store.js';
import { errorOf, startHarness } from './test-support/api-harness.js';

test('api dashboard - the built files are served at / without sign-in, a page route gets index.html, an unknown API path stays a JSON 404', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tf-web-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>tickerflow dashboard</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("dashboard")');
  const store = await openStore(':memory:');
  const h = await startHarness(store, { now: Date.UTC(2024, 0, 1), deps: { webRoot: root } });
  try {
    const index = await h.call('GET', '/');
    assert.equal(index.status, 200);
    assert.match(index.text, /tickerflow dashboard/);
    const script = await h.call('GET', '/assets/app.js');
    assert.equal(script.status, 200);
    assert.equal(script.text, 'console.log("dashboard")');
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    // The dashboard routes in the browser: a deep link loads the app.
    const page = await h.call('GET', '/chart/BTCUSDT');
    assert.equal(page.status, 200);
    assert.match(page.text, /tickerflow dashboard/);
    const api = await h.call('GET', '/api/v1/nope');
    assert.equal(api.status, 404);
    assert.equal(errorOf(api.body).code, 'not_found');
    const outside = await h.call('GET', '/../package.json');
    assert.doesNotMatch(outside.text, /"name": "tickerflow"/);
  } finally {
    await h.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
});
