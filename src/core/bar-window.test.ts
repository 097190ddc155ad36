import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barWindow } from './bar-window.js';

const now = Date.UTC(2024, 4, 6, 12, 34, 56);

test('barWindow - --to defaults to now; --from to one day of 1m bars before it, the forming minute the last', () => {
  const w = barWindow('1m', undefined, undefined, now);
  assert.equal(w.to, now);
  // Bars 12:35 the day before … 12:34 today: 1,440 of them, the last still forming.
  assert.equal(w.from, Date.UTC(2024, 4, 5, 12, 35));
  assert.equal((Math.ceil(w.to / 60_000) * 60_000 - w.from) / 60_000, 1440);
});

test('barWindow - 500 bars at other intervals, counted back from the bar holding --to', () => {
  assert.equal(barWindow('1h', undefined, undefined, now).from, Date.UTC(2024, 4, 6, 13) - 500 * 3_600_000);
  assert.equal(barWindow('1d', undefined, undefined, now).from, Date.UTC(2024, 4, 7) - 500 * 86_400_000);
  // An aligned --to: the 500 bars end just before it.
  const to = Date.UTC(2024, 0, 1);
  assert.deepEqual(barWindow('4h', undefined, to, now), { from: to - 500 * 4 * 3_600_000, to });
});

test('barWindow - given times are kept; a window that does not move forward is refused, naming both ends', () => {
  assert.deepEqual(barWindow('1h', Date.UTC(2020, 0, 1), undefined, now), { from: Date.UTC(2020, 0, 1), to: now });
  assert.throws(() => barWindow('1m', now + 1, undefined, now), /--to \(2024-05-06T12:34:56\.000Z\) must be after --from \(2024-05-06T12:34:56\.001Z\)/);
});
