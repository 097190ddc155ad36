import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorInputError } from './indicator-error.js';
import { callerOutput, checkOutputsApart, nanOutput, nanOutputField, outputSeries } from './output-series.js';

test('outputSeries - has n values, the first warmup of them NaN', () => {
  const s = outputSeries(5, 2);
  assert.equal(s.length, 5);
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]));
});

test('outputSeries - clamps the warm-up to the length and owns its whole buffer', () => {
  const s = outputSeries(3, 10);
  assert.deepEqual(Array.from(s, (v) => Number.isNaN(v)), [true, true, true]);
  assert.equal(s.byteOffset, 0);
  assert.equal(s.buffer.byteLength, 24);
  assert.equal(outputSeries(0, 5).length, 0);
});

test('outputSeries - two series never share memory', () => {
  const a = outputSeries(4, 0);
  const b = outputSeries(4, 0);
  a.fill(1);
  b.fill(2);
  assert.deepEqual(Array.from(a), [1, 1, 1, 1]);
});

test('outputSeries - with out returns that buffer, NaN over the warm-up and the rest left as it was', () => {
  const out = new Float64Array([7, 7, 7, 7]);
  const s = outputSeries(4, 2, out, 'sma');
  assert.equal(s, out);
  assert.deepEqual(Array.from(s), [NaN, NaN, 7, 7]);
});

test('outputSeries - picks the keyed field of a multi-output out', () => {
  const signal = new Float64Array(3);
  assert.equal(outputSeries(3, 1, { macd: new Float64Array(3), signal }, 'macd', 'signal'), signal);
});

function rejectsOut(fn: () => unknown, indicator: string, text: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof IndicatorInputError);
    assert.equal(err.param, 'out');
    assert.equal(err.indicator, indicator);
    assert.ok(err.message.includes(text), err.message);
    return true;
  });
}

test('outputSeries - rejects an out of the wrong length, type or shape naming the indicator and out', () => {
  rejectsOut(() => outputSeries(4, 1, new Float64Array(3), 'ema'), 'ema', 'out has 3 values, the input has 4');
  rejectsOut(() => outputSeries(4, 1, new Float32Array(4), 'ema'), 'ema', 'Float32Array');
  rejectsOut(() => outputSeries(4, 1, [0, 0, 0, 0], 'ema'), 'ema', 'Array');
  rejectsOut(() => outputSeries(4, 1, { upper: new Float64Array(4) }, 'bbands', 'lower'), 'bbands', 'out has no "lower"');
  rejectsOut(() => outputSeries(4, 1, new Float64Array(4), 'bbands', 'lower'), 'bbands', 'out has no "lower"');
  rejectsOut(() => outputSeries(4, 1, null, 'bbands', 'lower'), 'bbands', 'got null');
  rejectsOut(() => outputSeries(4, 1, { lower: new Float64Array(5) }, 'bbands', 'lower'), 'bbands', 'out.lower has 5 values');
});

test('checkOutputsApart - rejects outputs overlapping each other or an input, accepts disjoint views of one buffer', () => {
  const buf = new ArrayBuffer(8 * 8);
  const a = new Float64Array(buf, 0, 4);
  const b = new Float64Array(buf, 32, 4);
  checkOutputsApart('macd', [a, b], [new Float64Array(4)]);
  rejectsOut(() => checkOutputsApart('macd', [a, new Float64Array(buf, 24, 4)], []), 'macd', 'each other');
  rejectsOut(() => checkOutputsApart('sma', [a], [undefined, new Float64Array(buf, 8, 2)]), 'sma', 'input column');
});

test('nanOutput and nanOutputField - fresh or the caller buffer, all NaN either way', () => {
  assert.deepEqual(Array.from(nanOutput('wma', 3, undefined, []), Number.isNaN), [true, true, true]);
  const out = new Float64Array([1, 2, 3]);
  assert.equal(nanOutput('wma', 3, out, [new Float64Array(3)]), out);
  assert.deepEqual(Array.from(out, Number.isNaN), [true, true, true]);
  const k = new Float64Array([4, 5]);
  assert.equal(nanOutputField('stochastic', 2, { k, d: new Float64Array(2) }, 'k'), k);
  assert.ok(Number.isNaN(k[1]));
  assert.equal(nanOutputField('stochastic', 2, undefined, 'k').length, 2);
  rejectsOut(() => nanOutputField('stochastic', 2, { d: new Float64Array(2) }, 'k'), 'stochastic', 'out has no "k"');
});

test('callerOutput - NaN over the warm-up only, and rejects an out aliasing an input', () => {
  const out = new Float64Array([9, 9, 9]);
  assert.deepEqual(Array.from(callerOutput('obv', 3, 1, out, [])), [NaN, 9, 9]);
  const close = new Float64Array(3);
  rejectsOut(() => callerOutput('obv', 3, 0, close, [close]), 'obv', 'input column');
});
