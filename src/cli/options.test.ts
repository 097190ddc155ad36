import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { nonNegativeIntArg, positiveIntArg, positiveNumberArg } from './options.js';

test('options - whole-number arguments refuse what is not one, and one too large to read back as itself', () => {
  assert.equal(positiveIntArg('42'), 42);
  assert.equal(nonNegativeIntArg('0'), 0);
  assert.equal(positiveIntArg(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  for (const [f, bad, why] of [
    [positiveIntArg, '0', /not a positive whole number/],
    [positiveIntArg, '-3', /not a positive whole number/],
    [positiveIntArg, '1.5', /not a positive whole number/],
    [nonNegativeIntArg, 'x', /not a whole number ≥ 0/],
    // `jobs show 99999999999999999999` reached DuckDB as a double and failed there.
    [positiveIntArg, '99999999999999999999', /"99999999999999999999" is too large \(at most 9007199254740991\)/],
    [nonNegativeIntArg, '9007199254740993', /too large/],
  ] as const) {
    assert.throws(() => f(bad), (err: unknown) => err instanceof InvalidArgumentError && why.test(err.message), bad);
  }
});

test('options - a positive number with a bound: a huge --evaluate-every is refused (a timer past 2^31 ms fired at once, in a tight loop)', () => {
  const every = positiveNumberArg('--evaluate-every', 3_600);
  assert.equal(every('0.5'), 0.5);
  assert.equal(every('3600'), 3_600);
  assert.throws(() => every('99999999999'), /--evaluate-every must be at most 3,600, not "99999999999"/);
  assert.throws(() => every('0'), /must be a positive number/);
});
