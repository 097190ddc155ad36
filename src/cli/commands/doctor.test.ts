import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatStorage, SUPPORTED_NODE, supportedNode } from './doctor.js';

test('doctor - the store line shows size on disk, candle rows and bytes per row', () => {
  assert.equal(formatStorage({ bytes: 522_072_064, candleRows: 18_921_600, bytesPerRow: 522_072_064 / 18_921_600 }), '522.1 MB on disk, 18,921,600 candle rows, 27.6 B/row');
  assert.equal(formatStorage({ bytes: 786_432, candleRows: 0, bytesPerRow: null }), '786.4 kB on disk, 0 candle rows');
  assert.equal(formatStorage({ bytes: null, candleRows: 12, bytesPerRow: null }), 'size unknown, 12 candle rows');
});

test('doctor - the Node check is package.json\'s engines range', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
  assert.equal(SUPPORTED_NODE, pkg.engines.node);
  const ok = ['20.19.0', '20.20.2', '22.12.0', '22.20.1', '24.0.0'];
  const notOk = ['18.20.0', '20.0.0', '20.18.3', '21.7.3', '22.11.0'];
  assert.deepEqual(ok.map(supportedNode), ok.map(() => true));
  assert.deepEqual(notOk.map(supportedNode), notOk.map(() => false));
});
