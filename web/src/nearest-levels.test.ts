import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestLevels } from './nearest-levels.js';

test('nearestLevels - the two nearest resistances above and supports below the close', () => {
  const r = (price: number) => ({ price, kind: 'resistance' as const });
  const s = (price: number) => ({ price, kind: 'support' as const });
  const got = nearestLevels([s(90), r(130), s(99), r(101), s(50), r(110), s(95), r(98)], 100);
  assert.deepEqual(got.map((l) => `${l.kind[0]}${l.price}`), ['r101', 'r110', 's99', 's95']);
});
