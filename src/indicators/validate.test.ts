import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorInputError } from './indicator-error.js';
import { barValid, checkBar, checkBarWith, checkBars, columnsFit, rejectBars, rejectValue } from './validate.js';
import type { Bars } from './types.js';

function bars(rows: [number, number, number][]): Bars {
  return {
    high: Float64Array.from(rows, (r) => r[0]),
    low: Float64Array.from(rows, (r) => r[1]),
    close: Float64Array.from(rows, (r) => r[2]),
  };
}

function thrown(fn: () => unknown): IndicatorInputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof IndicatorInputError, String(err));
    return err;
  }
  assert.fail('did not throw');
}

test('validate - barValid accepts finite non-negative bars with high ≥ low', () => {
  assert.equal(barValid(2, 1, 1.5), true);
  assert.equal(barValid(1, 1, 1), true);
  assert.equal(barValid(0, 0, 0), true);
});

test('validate - barValid rejects NaN, negative, infinite values and high below low', () => {
  for (const [h, l, c] of [
    [NaN, 1, 1], [2, NaN, 1], [2, 1, NaN], [2, -1, 1], [-1, -2, 1], [2, 1, -1],
    [Infinity, 1, 1], [Infinity, Infinity, 1], [2, 1, Infinity], [1, 2, 1.5],
  ]) {
    assert.equal(barValid(h!, l!, c!), false, `${h} ${l} ${c}`);
  }
});

test('validate - checkBars reports the first faulty column before a fault at an earlier bar of a later column', () => {
  // close is checked before high, so close's fault at bar 2 wins over high's at bar 0.
  const b = bars([[NaN, 1, 1], [2, 1, 1], [2, 1, -3]]);
  const err = thrown(() => checkBars('x', b));
  assert.equal(err.message, 'x: close at bar 2 is negative (-3)');
  assert.equal(err.index, 2);
  assert.equal(err.param, 'close');
});

test('validate - checkBars reports high below low only after every value check', () => {
  const err = thrown(() => checkBars('x', bars([[1, 2, 1.5], [2, 1, 1], [2, Infinity, 1]])));
  assert.equal(err.message, 'x: low at bar 2 is not finite (Infinity)');
  const inverted = thrown(() => checkBars('x', bars([[2, 1, 1], [1, 2, 1.5]])));
  assert.equal(inverted.message, 'x: high 1 is below low 2 at bar 1');
  assert.equal(inverted.index, 1);
});

test('validate - checkBars names a missing or short column before any value', () => {
  const b = bars([[NaN, 1, 1], [2, 1, 1]]);
  assert.equal(thrown(() => checkBars('x', { ...b, low: new Float64Array(1) })).message, 'x: low has 1 rows, close has 2');
  assert.equal(thrown(() => checkBars('x', bars([[2, 1, 1]]), { volume: true })).message, 'x: needs the volume column');
});

test('validate - checkBars rejects a duplicate openTime and a negative volume, and passes valid bars', () => {
  const b = { ...bars([[2, 1, 1], [2, 1, 1], [2, 1, 1]]), volume: Float64Array.of(1, 2, 3), openTime: Float64Array.of(0, 60_000, 60_000) };
  assert.equal(thrown(() => checkBars('x', b, { volume: true, openTime: true })).message, "x: openTime 60000 at bar 2 duplicates the previous bar's 60000");
  b.volume[0] = -1;
  assert.equal(thrown(() => checkBars('x', b, { volume: true, openTime: true })).message, 'x: volume at bar 0 is negative (-1)');
  b.volume[0] = 1;
  b.openTime[2] = 120_000;
  assert.doesNotThrow(() => checkBars('x', b, { volume: true, openTime: true }));
});

test('validate - columnsFit is false for a missing needed column or a length mismatch', () => {
  const b = bars([[2, 1, 1], [2, 1, 1]]);
  assert.equal(columnsFit(b), true);
  assert.equal(columnsFit(b, { open: true }), false);
  assert.equal(columnsFit({ ...b, open: new Float64Array(2) }, { open: true }), true);
  assert.equal(columnsFit({ ...b, high: new Float64Array(3) }), false);
});

test('validate - rejectBars throws the checkBars error, and refuses to pass silently on valid bars', () => {
  const b = bars([[2, 1, 1], [2, 1, NaN]]);
  assert.equal(thrown(() => rejectBars('x', b)).message, 'x: close at bar 1 is not a number (NaN)');
  assert.throws(() => rejectBars('x', bars([[2, 1, 1]])), /rejectBars called on valid bars/);
});

test('validate - rejectValue names the column, bar and why', () => {
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, NaN)).message, 'sma: close at bar 7 is not a number (NaN)');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, -2)).message, 'sma: close at bar 7 is negative (-2)');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, Infinity)).message, 'sma: close at bar 7 is not finite (Infinity)');
  // A JavaScript caller's string is not a number, not "not finite".
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, 'abc' as unknown as number)).message, 'sma: close at bar 7 is not a number (abc)');
});

test('validate - checkBar checks the needed extra fields of one bar', () => {
  assert.doesNotThrow(() => checkBar('x', { high: 2, low: 1, close: 1 }, 0));
  assert.equal(thrown(() => checkBarWith('x', { high: 2, low: 1, close: 1 }, 4, { volume: true })).message, 'x: volume at bar 4 is not a number (NaN)');
  assert.equal(thrown(() => checkBar('x', { high: 1, low: 2, close: 1 }, 4)).message, 'x: high 1 is below low 2 at bar 4');
  assert.doesNotThrow(() => checkBarWith('x', { high: 2, low: 1, close: 1, open: 1, volume: 0 }, 0, { open: true, volume: true }));
});
