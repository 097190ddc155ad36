import { test } from 'node:test';
import assert from 'node:assert/strict';
import { incrementDecimals } from '../core/instrument.js';
import { ColumnDecimals, exactCell, StreamedTable } from './streamed-table.js';

test('incrementDecimals - decimals of an exchangeInfo tick or step size; anything else is unknown', () => {
  assert.equal(incrementDecimals('0.01000000'), 2); // BTCUSDT PRICE_FILTER tickSize
  assert.equal(incrementDecimals('0.00001000'), 5); // BTCUSDT LOT_SIZE stepSize
  assert.equal(incrementDecimals('1.00000000'), 0);
  assert.equal(incrementDecimals('0.5'), 1);
  assert.equal(incrementDecimals('10'), 0);
  for (const bad of [null, undefined, '', '0.00000000', '-0.01', '1e-8', 'abc']) assert.equal(incrementDecimals(bad), undefined, String(bad));
});

test('exactCell - pads the shortest exact form, never rounds, spells tiny numbers out', () => {
  assert.equal(exactCell(7191, 2), '7191.00');
  assert.equal(exactCell(7212.5, 2), '7212.50');
  assert.equal(exactCell(7212.125, 2), '7212.125');
  assert.equal(exactCell(0.00000123, 8), '0.00000123');
  assert.equal(exactCell(1.2345e-7, 2), '0.00000012345');
  assert.equal(exactCell(13, 0), '13');
});

test('ColumnDecimals - a fixed column keeps its decimals; an open one takes the first batch with a value, then keeps them', () => {
  const d = new ColumnDecimals([2, undefined]);
  assert.equal(d.of(0, () => ['1.12345']), 2);
  assert.equal(d.of(1, () => ['', '']), undefined);
  assert.equal(d.of(1, () => ['', '1.5', '2.125']), 3);
  assert.equal(d.of(1, () => ['1.12345']), 3);
});

test('StreamedTable - widths from the first rows, growing when a later cell is wider', () => {
  const t = new StreamedTable(['time', 'price']);
  assert.equal(t.headerLine([['a', '1.00']]), 'time  price');
  assert.equal(t.lines([['a', '1.00']], ['  *']), 'a      1.00  *\n');
  assert.equal(t.lines([['b', '12345.00']]), 'b     12345.00\n');
});
