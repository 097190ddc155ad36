import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BookDeltaEvent, BookSnapshotEvent } from '../../core/market-events.js';
import { SequenceSync, type SequenceStep } from './sequence-sync.js';

// Normalised events (not exchange frames): only the sequence numbers matter here.
const d = (n: number): BookDeltaEvent => ({ kind: 'book_delta', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: n, exchangeTime: null, bids: [[1, n]], asks: [], firstSequence: n, lastSequence: n });
const s = (n: number | null): BookSnapshotEvent => ({ kind: 'book_snapshot', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: 0, exchangeTime: null, bids: [], asks: [], sequence: n });
const seqs = (step: SequenceStep): string => (step.type === 'apply' ? step.events.map((e) => (e.kind === 'book_snapshot' ? `S${e.sequence}` : `D${e.lastSequence}`)).join(' ') : step.type);

test('sequence sync - buffers until the snapshot, drops what it covers, then applies n = B+1 and ignores n <= B', () => {
  const sync = new SequenceSync('BTC-EUR', { label: 'bitvavo BTC-EUR book nonce', askOnFirstUpdate: true });
  assert.deepEqual(sync.onDelta(d(9)), { type: 'buffering', snapshotWanted: true });
  assert.deepEqual(sync.onDelta(d(10)), { type: 'buffering', snapshotWanted: false });
  assert.deepEqual(sync.onDelta(d(11)), { type: 'buffering', snapshotWanted: false });
  assert.equal(seqs(sync.onSnapshot(s(9))), 'S9 D10 D11');
  assert.equal(sync.bookId, 11);
  assert.equal(seqs(sync.onDelta(d(11))), 'ignored');
  assert.equal(seqs(sync.onDelta(d(12))), 'D12');
});

test('sequence sync - a snapshot older than the buffer is asked for again; a hole inside the buffer is a gap', () => {
  const sync = new SequenceSync('BTC-EUR', { label: 'x', askOnFirstUpdate: true });
  sync.onDelta(d(20));
  sync.onDelta(d(21));
  assert.deepEqual(sync.onSnapshot(s(15)), { type: 'buffering', snapshotWanted: true });
  assert.equal(sync.buffered, 2);
  sync.onDelta(d(23)); // 22 lost while waiting
  const step = sync.onSnapshot(s(19));
  assert.ok(step.type === 'gap');
  assert.deepEqual({ ...step.gap, message: '' }, { symbol: 'BTC-EUR', expected: 22, received: 23, message: '' });
  assert.equal(step.gap.message, 'x gap: expected 22, got 23; resyncing from a new snapshot');
  assert.equal(sync.bookId, null);
  assert.equal(sync.buffered, 1);
});

test('sequence sync - without askOnFirstUpdate it waits for the socket snapshot; after a gap it asks; an unsequenced snapshot adopts the next update', () => {
  const sync = new SequenceSync('BTCTRY', { label: 'btcturk BTCTRY obdiff CS', askOnFirstUpdate: false });
  assert.deepEqual(sync.onDelta(d(5)), { type: 'buffering', snapshotWanted: false });
  assert.equal(seqs(sync.onSnapshot(s(4))), 'S4 D5');
  const gap = sync.onDelta(d(7));
  assert.ok(gap.type === 'gap' && gap.snapshotWanted);
  assert.equal(seqs(sync.onSnapshot(s(null))), 'Snull');
  assert.equal(sync.buffered, 0);
  assert.equal(seqs(sync.onDelta(d(30))), 'D30');
  assert.equal(seqs(sync.onDelta(d(31))), 'D31');
  assert.equal(sync.onDelta(d(33)).type, 'gap');
  sync.reset();
  assert.equal(sync.bookId, null);
  assert.deepEqual(sync.onDelta(d(40)), { type: 'buffering', snapshotWanted: false });
});
