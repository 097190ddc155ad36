import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, formatPct, formatPrice, formatUtc, priceDecimals, tickSize } from './format.js';

test('formatPrice - writes the tick decimals exactly, rounding half away and padding zeros', () => {
  assert.equal(formatPrice(61130.98, 2), '61,130.98');
  assert.equal(formatPrice(0.5, 4), '0.5000');
  assert.equal(formatPrice(0.123456, 5), '0.12346');
  assert.equal(formatPrice(1234.5, 0), '1,235');
  assert.equal(formatPrice(null, 2), '—');
  assert.equal(formatPrice(NaN, 2), '—');
});

test('formatPct - signs the change and never prints a negative zero', () => {
  assert.equal(formatPct(0.0123), '+1.23%');
  assert.equal(formatPct(-0.05), '−5.00%');
  assert.equal(formatPct(-0.00001), '0.00%');
  assert.equal(formatPct(undefined), '—');
});

test('formatUtc - prints the UTC wall time whatever the local zone', () => {
  assert.equal(formatUtc(Date.UTC(2024, 1, 20, 13, 5)), '2024-02-20 13:05 UTC');
  assert.equal(formatUtc(0), '1970-01-01 00:00 UTC');
});

test('formatNumber and tickSize - RSI to one decimal, the step of a decimal count', () => {
  assert.equal(formatNumber(28.44), '28.4');
  assert.equal(formatNumber(null), '—');
  assert.equal(tickSize(2), 0.01);
  assert.equal(tickSize(5), 0.00001);
  assert.equal(tickSize(0), 1);
});

test('priceDecimals - the API\'s tick decimals win; without them the most fraction digits seen', () => {
  assert.equal(priceDecimals(2, [0.12345]), 2);
  assert.equal(priceDecimals(null, [7195.24, 7200.1, 7201]), 2);
  assert.equal(priceDecimals(null, [0.0001234]), 7);
  assert.equal(priceDecimals(null, []), 0);
});
