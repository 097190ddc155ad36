import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecimalSum } from './decimal-sum.js';

test('decimal sum - sums and products are exact, rounded once: 0.1 + 0.2 is 0.3, and 1e-7 and 1e21 forms are read', () => {
  const a = new DecimalSum();
  a.add(0.1);
  a.add(0.2);
  assert.equal(a.value, 0.3);
  const b = new DecimalSum();
  b.add(61837.63, 0.02);
  b.add(1e-7);
  b.add(1e21, 2);
  assert.equal(b.value, 2e21 + 1236.7526001);
  const c = new DecimalSum();
  c.add(-1.5);
  c.add(1.25, 2);
  assert.equal(c.value, 1);
  assert.throws(() => c.add(Number.NaN), /cannot sum NaN: not finite/);
});
