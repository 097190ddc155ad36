import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignedTable, decimalsAligned, exactColumn, isoMinute, valueCell, valueColumn } from './text-table.js';

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

test('decimalsAligned - pads plain decimals with zeros to the column\'s most, leaves other cells alone', () => {
  assert.deepEqual(decimalsAligned(['7212.5', '7191', '7116.7', '7169.06']), ['7212.50', '7191.00', '7116.70', '7169.06']);
  assert.deepEqual(decimalsAligned(['-1.5', '2', '']), ['-1.5', '2.0', '']);
  assert.deepEqual(decimalsAligned(['1', '13', '0']), ['1', '13', '0']);
  assert.deepEqual(decimalsAligned(['1e-7', '0.25', 'Infinity']), ['1e-7', '0.25', 'Infinity']);
  assert.deepEqual(decimalsAligned([]), []);
});

test('exactColumn - every stored digit kept: padding is text, never a re-rounding', () => {
  // 7211.02 as toFixed(17) would print 7211.01999999999998181; the column pads the shortest form.
  assert.deepEqual(exactColumn([7211.02, 6974.8, 0.00012345678901234]), ['7211.02000000000000000', '6974.80000000000000000', '0.00012345678901234']);
  assert.deepEqual(exactColumn([391.352377, 1557.96443]), ['391.352377', '1557.964430']);
});

test('valueColumn - rounded as valueCell, then one number of decimals down the column', () => {
  assert.deepEqual(valueColumn([7180, 7242.98, 6924.74, Number.NaN]), ['7180.00', '7242.98', '6924.74', '']);
  assert.deepEqual(valueColumn([52.540771520054406, 50.1, 50]), ['52.5408', '50.1000', '50.0000']);
  assert.deepEqual(valueColumn([6, 13, 0]), ['6', '13', '0']);
  assert.deepEqual(valueColumn([0.00071234567, 1.5]), ['0.0007123', '1.5000000']);
});

test('alignedTable - 200,000 rows: widths found by a loop, no argument spread to overflow the stack', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), i === 123_456 ? '1234567' : '1']);
  const out = alignedTable(['n', 'v'], rows);
  const lines = out.split('\n');
  assert.equal(lines.length, 200_002);
  assert.equal(lines[1], '0             1');
  assert.equal(lines[123_457], '123456  1234567');
});
