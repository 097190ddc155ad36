import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listObjectsV1, type ListedObject } from './s3-list.js';
import { parseS3ListObjectsV1 } from '../connectors/binance-archive/s3-listing.js';

const obj = (key: string): ListedObject => ({ key, size: 1, etag: '"x"', lastModified: 0 });
const OBJECTS = ['a/1/x.zip', 'a/1/y.zip', 'a/2/x.zip', 'a/top.zip', 'b/z.zip'].map(obj);
const base = { bucket: 'data.binance.vision', prefix: 'a/', delimiter: '/', marker: '', maxKeys: 1000 };

test('s3 list - a common prefix counts as one result and a marker equal to it skips the whole group', () => {
  const p1 = parseS3ListObjectsV1(listObjectsV1(OBJECTS, { ...base, maxKeys: 1 }));
  assert.deepEqual(p1.commonPrefixes, ['a/1/']);
  assert.equal(p1.isTruncated, true);
  assert.equal(p1.nextMarker, 'a/1/');
  const p2 = parseS3ListObjectsV1(listObjectsV1(OBJECTS, { ...base, marker: 'a/1/' }));
  assert.deepEqual(p2.commonPrefixes, ['a/2/']);
  assert.deepEqual(p2.contents.map((c) => c.key), ['a/top.zip']);
  assert.equal(p2.isTruncated, false);
});

test('s3 list - without a delimiter every key is listed and NextMarker is never sent', () => {
  const xml = listObjectsV1(OBJECTS, { ...base, delimiter: '', maxKeys: 2 });
  const page = parseS3ListObjectsV1(xml);
  assert.deepEqual(page.contents.map((c) => c.key), ['a/1/x.zip', 'a/1/y.zip']);
  assert.equal(page.isTruncated, true);
  assert.equal(page.nextMarker, null);
  assert.doesNotMatch(xml, /<Delimiter>|<NextMarker>/);
});

test('s3 list - keys and prefixes are XML-escaped', () => {
  const xml = listObjectsV1([obj('a/&<b>.zip')], base);
  assert.match(xml, /<Key>a\/&amp;&lt;b&gt;\.zip<\/Key>/);
  assert.equal(parseS3ListObjectsV1(xml).contents[0]?.key, 'a/&<b>.zip');
});
