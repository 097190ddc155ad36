import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Semaphore } from './semaphore.js';

test('semaphore - at most N holders, waiters served first come first served', async () => {
  const s = new Semaphore(2);
  const order: string[] = [];
  let holding = 0;
  let most = 0;
  const job = (name: string, ms: number) => s.run(async () => {
    holding++;
    most = Math.max(most, holding);
    order.push(name);
    await new Promise((r) => setTimeout(r, ms));
    holding--;
  });
  await Promise.all([job('a', 30), job('b', 10), job('c', 5), job('d', 5)]);
  assert.equal(most, 2);
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  assert.throws(() => new Semaphore(0), /at least 1 permit, got 0/);
});

test('semaphore - an abort takes a waiter out of the queue and removes its listener', async () => {
  const s = new Semaphore(1);
  await s.acquire();
  const abort = new AbortController();
  const waiting = s.acquire(abort.signal);
  assert.equal(getEventListeners(abort.signal, 'abort').length, 1);
  abort.abort();
  await assert.rejects(waiting, /stopped: the job was asked to abort/);
  s.release();
  // The permit went back to the pool, not to the aborted waiter.
  await s.acquire();
  const other = new AbortController();
  const granted = s.acquire(other.signal);
  s.release();
  await granted;
  assert.equal(getEventListeners(other.signal, 'abort').length, 0);
});
