import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorInputError } from './indicator-error.js';
import { barsInput, barValid, checkBar, checkBarWith, checkBars, checkNumber, checkPeriod, checkValue, columnsFit, HLC, rejectBars, rejectValue, seriesInput } from './validate.js';
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
  // A JavaScript caller's value of another type is named with its type, a string quoted.
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, 'abc')).message, 'sma: close at bar 7 is a string ("abc"), not a number');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, '7211.02')).message, 'sma: close at bar 7 is a string ("7211.02"), not a number');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, 'x'.repeat(50))).message, `sma: close at bar 7 is a string ("${'x'.repeat(40)}…"), not a number`);
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, null)).message, 'sma: close at bar 7 is null, not a number');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, undefined)).message, 'sma: close at bar 7 is missing (undefined)');
  assert.equal(thrown(() => rejectValue('sma', 'close', 7, 5n)).message, 'sma: close at bar 7 is a bigint, not a number');
});

test('validate - checkBar checks the needed extra fields of one bar', () => {
  assert.doesNotThrow(() => checkBar('x', { high: 2, low: 1, close: 1 }, 0));
  assert.equal(thrown(() => checkBarWith('x', { high: 2, low: 1, close: 1 }, 4, { volume: true })).message, 'x: volume at bar 4 is missing (undefined)');
  assert.equal(thrown(() => checkBar('x', { high: 1, low: 2, close: 1 }, 4)).message, 'x: high 1 is below low 2 at bar 4');
  assert.doesNotThrow(() => checkBarWith('x', { high: 2, low: 1, close: 1, open: 1, volume: 0 }, 0, { open: true, volume: true }));
});

test('validate - a stream value or bar field that is not a number is rejected, not coerced', () => {
  // Numeric strings pass `x >= 0`; as text '10' < '9', and '1' + '2' is '12'.
  assert.equal(thrown(() => checkValue('sma', 'close', '5' as unknown as number, 3)).message, 'sma: close at bar 3 is a string ("5"), not a number');
  assert.equal(thrown(() => checkValue('sma', 'close', null as unknown as number, 3)).message, 'sma: close at bar 3 is null, not a number');
  const s = (v: string) => v as unknown as number;
  assert.equal(thrown(() => checkBar('x', { high: s('10'), low: 9, close: 9.5 }, 2)).message, 'x: high at bar 2 is a string ("10"), not a number');
  assert.equal(thrown(() => checkBarWith('x', { high: 2, low: 1, close: 1, volume: s('3') }, 2, { volume: true })).message, 'x: volume at bar 2 is a string ("3"), not a number');
  assert.equal(barValid(2, 1, 1.5), true);
  assert.equal(barValid(s('2'), 1, 1.5), false);
});

test('validate - parameters given as strings are named quoted', () => {
  assert.equal(thrown(() => checkPeriod('sma', 'period', '20' as unknown as number, 1)).message, 'sma: period must be an integer in 1..100000, got "20"');
  assert.equal(thrown(() => checkNumber('bbands', 'devUp', '2' as unknown as number, 0, 100)).message, 'bbands: devUp must be a number in 0..100, got "2"');
  assert.doesNotThrow(() => checkNumber('bbands', 'devUp', 2, 0, 100));
});

test('validate - seriesInput keeps a Float64Array and copies a plain array of numbers', () => {
  const f = Float64Array.of(1, 2, 3);
  assert.equal(seriesInput('sma', 'close', f), f);
  const fromPlain = seriesInput('sma', 'close', [1, 2.5, 3]);
  assert.ok(fromPlain instanceof Float64Array);
  assert.deepEqual(Array.from(fromPlain), [1, 2.5, 3]);
  assert.deepEqual(Array.from(seriesInput('sma', 'close', Int32Array.of(4, 5))), [4, 5]);
  assert.deepEqual(Array.from(seriesInput('sma', 'close', [])), []);
});

test('validate - seriesInput names the first element that is not a number, and a column that is not an array', () => {
  assert.equal(thrown(() => seriesInput('sma', 'close', [1, '2', null])).message, 'sma: close at bar 1 is a string ("2"), not a number');
  assert.equal(thrown(() => seriesInput('sma', 'close', [1, 2, null])).message, 'sma: close at bar 2 is null, not a number');
  // A hole in a sparse array reads as undefined.
  const sparse = [1, 2, 3];
  delete sparse[1];
  assert.equal(thrown(() => seriesInput('sma', 'close', sparse)).message, 'sma: close at bar 1 is missing (undefined)');
  assert.equal(thrown(() => seriesInput('sma', 'close', BigInt64Array.of(1n))).message, 'sma: close at bar 0 is a bigint, not a number');
  const err = thrown(() => seriesInput('sma', 'close', [1, 'x']));
  assert.equal(err.index, 1);
  assert.equal(err.param, 'close');
  assert.equal(thrown(() => seriesInput('sma', 'close', null)).message, 'sma: close must be a Float64Array or an array of numbers, got null');
  assert.equal(thrown(() => seriesInput('sma', 'close', '1,2,3')).message, 'sma: close must be a Float64Array or an array of numbers, got string');
  assert.equal(thrown(() => seriesInput('sma', 'close', { length: 2 })).message, 'sma: close must be a Float64Array or an array of numbers, got Object');
  assert.equal(thrown(() => seriesInput('sma', 'close', new DataView(new ArrayBuffer(8)))).message, 'sma: close must be a Float64Array or an array of numbers, got DataView');
});

test('validate - barsInput converts only the columns asked for, in checkBars order', () => {
  const typed = bars([[2, 1, 1.5]]);
  assert.equal(barsInput('x', typed, HLC), typed);
  const plain = { high: [2], low: [1], close: [1.5], open: ['not read'] } as unknown as Bars;
  const got = barsInput('x', plain, HLC);
  assert.ok(got.high instanceof Float64Array && got.low instanceof Float64Array && got.close instanceof Float64Array);
  assert.deepEqual([got.high[0], got.low[0], got.close[0]], [2, 1, 1.5]);
  assert.deepEqual(got.open, ['not read'] as unknown);
  // Several bad columns: close is named first, as checkBars would.
  const bad = { high: ['2'], low: [1], close: ['1.5'] } as unknown as Bars;
  assert.equal(thrown(() => barsInput('x', bad, HLC)).message, 'x: close at bar 0 is a string ("1.5"), not a number');
  // A missing optional column is left for the indicator's own check; a missing close is not.
  assert.equal(barsInput('x', { high: [2], low: [1], close: [1.5] } as unknown as Bars, ['high', 'low', 'close', 'volume']).volume, undefined);
  assert.equal(thrown(() => barsInput('x', { high: [2], low: [1] } as unknown as Bars, HLC)).message, 'x: close must be a Float64Array or an array of numbers, got undefined');
  assert.equal(thrown(() => barsInput('x', null as unknown as Bars, HLC)).message, 'x: bars must be an object of columns (high, low, close…), got null');
});
