import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStreamLoop, median, rotate } from './timing.js';

test('median - middle value for odd sizes, mean of the middle two for even, NaN when empty', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('rotate - starts at index k modulo the length and keeps every item', () => {
  assert.deepEqual(rotate(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  assert.deepEqual(rotate(['a', 'b', 'c'], 4), ['b', 'c', 'a']);
  assert.deepEqual(rotate([], 2), []);
});

test('compileStreamLoop - feeds closes 0..n-1 in order to the named method and returns the last output', () => {
  const seen: number[] = [];
  const stream = { push: (x: number) => (seen.push(x), x * 2) };
  const loop = compileStreamLoop('test close', 'push', 'close');
  assert.equal(loop(stream, Float64Array.of(1, 2, 3, 4), [], 3), 6);
  assert.deepEqual(seen, [1, 2, 3]);
});

test('compileStreamLoop - bar input passes the prebuilt bar objects, not closes', () => {
  const bars = [{ close: 1 }, { close: 2 }];
  const seen: object[] = [];
  const loop = compileStreamLoop('test bar', 'nextValue', 'bar');
  loop({ nextValue: (b: object) => seen.push(b) }, Float64Array.of(9, 9), bars, 2);
  assert.equal(seen[0], bars[0]);
  assert.equal(seen[1], bars[1]);
});

test('compileStreamLoop - refuses a method name that is not an identifier', () => {
  assert.throws(() => compileStreamLoop('x', 'a(); evil', 'close'), /bad method name/);
});
