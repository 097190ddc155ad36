import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpDateMs } from './http-date.js';

test('http date - an IMF-fixdate header becomes epoch ms; absent or unreadable is null', () => {
  assert.equal(httpDateMs('Mon, 17 Jul 2023 07:48:00 GMT'), Date.UTC(2023, 6, 17, 7, 48));
  assert.equal(httpDateMs(null), null);
  assert.equal(httpDateMs('not a date'), null);
});
