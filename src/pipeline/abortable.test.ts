import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { abortable, abortableSleep } from './abortable.js';

test('abortable - a settled promise leaves no listener; an abort rejects at once', async () => {
  const abort = new AbortController();
  assert.equal(await abortable(Promise.resolve(7), abort.signal), 7);
  await abortableSleep(1, abort.signal);
  assert.equal(getEventListeners(abort.signal, 'abort').length, 0);
  const slow = abortable(new Promise((r) => setTimeout(r, 5000).unref()), abort.signal);
  const t0 = Date.now();
  abort.abort();
  await assert.rejects(slow, /asked to abort/);
  assert.ok(Date.now() - t0 < 100);
});
