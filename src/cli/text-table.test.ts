import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignedTable, isoMinute, valueCell } from './text-table.js';

test('valueCell - 4 decimals from 0.1 up, at least 4 significant digits below, integers and NaN as they are', () => {
  assert.equal(valueCell(52.540771520054406), '52.5408');
  assert.equal(valueCell(-1.332), '-1.3320');
  assert.equal(valueCell(0.12345), '0.1235');
  // A low-priced coin (SHIB, PEPE): the digits that matter are kept.
  assert.equal(valueCell(0.00071234567), '0.0007123');
  assert.equal(valueCell(-0.000000012345), '-0.00000001235');
  assert.equal(valueCell(7405), '7405');
  assert.equal(valueCell(0), '0');
  assert.equal(valueCell(Number.NaN), '');
});

test('alignedTable - first column left-aligned, the others right-aligned to the widest cell', () => {
  assert.equal(alignedTable(['kind', 'price'], [['support', '1'], ['resistance', '0.0007123']], '  '), '  kind            price\n  support             1\n  resistance  0.0007123\n');
  assert.equal(alignedTable(['a', 'b'], []), 'a  b\n');
});

test('isoMinute - UTC to the minute', () => {
  assert.equal(isoMinute(Date.UTC(2020, 0, 2, 3, 4, 59)), '2020-01-02 03:04');
});
