import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStorage } from './doctor.js';

test('doctor - the store line shows size on disk, candle rows and bytes per row', () => {
  assert.equal(formatStorage({ bytes: 522_072_064, candleRows: 18_921_600, bytesPerRow: 522_072_064 / 18_921_600 }), '522.1 MB on disk, 18,921,600 candle rows, 27.6 B/row');
  assert.equal(formatStorage({ bytes: 786_432, candleRows: 0, bytesPerRow: null }), '786.4 kB on disk, 0 candle rows');
  assert.equal(formatStorage({ bytes: null, candleRows: 12, bytesPerRow: null }), 'size unknown, 12 candle rows');
});
