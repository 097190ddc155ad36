import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextListMarker, parseS3ListObjectsV1, type S3ListPage } from './s3-listing.js';
import { BadInputError } from '../../core/errors.js';

// The two sample responses of the AWS S3 API reference for ListObjects (v1), "Examples"
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html), public documentation,
// reproduced as published. Binance's bucket sends the same document shape.
const AWS_SAMPLE_LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>bucket</Name>
    <Prefix/>
    <Marker/>
    <MaxKeys>1000</MaxKeys>
    <IsTruncated>false</IsTruncated>
    <Contents>
        <Key>my-image.jpg</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
        <Size>434234</Size>
        <StorageClass>STANDARD</StorageClass>
        <Owner>
            <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
            <DisplayName>mtd@amazon.com</DisplayName>
        </Owner>
    </Contents>
    <Contents>
       <Key>my-third-image.jpg</Key>
         <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>&quot;1b2cf535f27731c974343645a3985328&quot;</ETag>
        <Size>64994</Size>
        <StorageClass>STANDARD_IA</StorageClass>
        <Owner>
            <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
            <DisplayName>mtd@amazon.com</DisplayName>
        </Owner>
    </Contents>
</ListBucketResult>`;

const AWS_SAMPLE_DELIMITER = `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>example-bucket</Name>
  <Prefix>photos/2006/</Prefix>
  <Marker></Marker>
  <MaxKeys>1000</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>false</IsTruncated>

  <CommonPrefixes>
    <Prefix>photos/2006/February/</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>photos/2006/January/</Prefix>
  </CommonPrefixes>
</ListBucketResult>`;

test('s3 listing - parses the AWS ListObjects sample: two objects with key, time, size and ETag', () => {
  const page = parseS3ListObjectsV1(AWS_SAMPLE_LISTING);
  assert.equal(page.name, 'bucket');
  assert.equal(page.prefix, '');
  assert.equal(page.marker, '');
  assert.equal(page.delimiter, null);
  assert.equal(page.maxKeys, 1000);
  assert.equal(page.isTruncated, false);
  assert.equal(page.nextMarker, null);
  assert.deepEqual(page.contents, [
    { key: 'my-image.jpg', lastModified: Date.UTC(2009, 9, 12, 17, 50, 30), size: 434234, etag: '"fba9dede5f27731c9771645a39863328"' },
    { key: 'my-third-image.jpg', lastModified: Date.UTC(2009, 9, 12, 17, 50, 30), size: 64994, etag: '"1b2cf535f27731c974343645a3985328"' },
  ]);
  assert.deepEqual(page.commonPrefixes, []);
  assert.equal(nextListMarker(page, false), null);
});

test('s3 listing - parses the AWS delimiter sample into common prefixes', () => {
  const page = parseS3ListObjectsV1(AWS_SAMPLE_DELIMITER);
  assert.equal(page.prefix, 'photos/2006/');
  assert.equal(page.delimiter, '/');
  assert.deepEqual(page.contents, []);
  assert.deepEqual(page.commonPrefixes, ['photos/2006/February/', 'photos/2006/January/']);
});

test('s3 listing - a single Contents and numeric-looking keys stay as one-element arrays of strings', () => {
  const xml = AWS_SAMPLE_LISTING.replace(/<Contents>\s*<Key>my-third-image[\s\S]*?<\/Contents>/, '').replace('my-image.jpg', '0001');
  const page = parseS3ListObjectsV1(xml);
  assert.equal(page.contents.length, 1);
  assert.equal(page.contents[0]?.key, '0001');
});

function truncated(over: Partial<S3ListPage>): S3ListPage {
  return { ...parseS3ListObjectsV1(AWS_SAMPLE_LISTING), isTruncated: true, ...over };
}

test('s3 listing - pagination: NextMarker with a delimiter, else the last Key', () => {
  const withNext = parseS3ListObjectsV1(
    AWS_SAMPLE_DELIMITER.replace('<IsTruncated>false</IsTruncated>', '<IsTruncated>true</IsTruncated><NextMarker>photos/2006/January/</NextMarker>'),
  );
  assert.equal(withNext.isTruncated, true);
  assert.equal(withNext.nextMarker, 'photos/2006/January/');
  assert.equal(nextListMarker(withNext, true), 'photos/2006/January/');
  // Without a delimiter S3 sends no NextMarker: continue after the last key.
  assert.equal(nextListMarker(truncated({}), false), 'my-third-image.jpg');
  // A NextMarker is ignored when no delimiter was asked for (v1 defines it only with one).
  assert.equal(nextListMarker(truncated({ nextMarker: 'zzz' }), false), 'my-third-image.jpg');
  // Delimiter given but no NextMarker: the greater of last key and last prefix.
  assert.equal(nextListMarker(truncated({ nextMarker: null, commonPrefixes: ['n/'] }), true), 'n/');
  assert.throws(() => nextListMarker(truncated({ contents: [], commonPrefixes: [] }), false), /truncated but gives nothing/);
});

test('s3 listing - rejects malformed XML, other documents, foreign namespaces and bad fields', () => {
  const cases: Array<[string, RegExp]> = [
    ['<ListBucketResult><Name>x</Name>', /well-formed|ListObjects v1/],
    ['<?xml version="1.0"?><Error><Code>NoSuchBucket</Code></Error>', /no ListBucketResult root/],
    [AWS_SAMPLE_LISTING.replace('http://s3.amazonaws.com/doc/2006-03-01/', 'http://example.com/ns'), /namespace/],
    [AWS_SAMPLE_LISTING.replace('<Size>434234</Size>', '<Size>-1</Size>'), /Size/],
    [AWS_SAMPLE_LISTING.replace('<IsTruncated>false</IsTruncated>', '<IsTruncated>maybe</IsTruncated>'), /IsTruncated/],
    [AWS_SAMPLE_LISTING.replace('<LastModified>2009-10-12T17:50:30.000Z</LastModified>', '<LastModified>yesterday</LastModified>'), /LastModified/],
    [AWS_SAMPLE_LISTING.replace('<Key>my-image.jpg</Key>', ''), /Key/],
  ];
  for (const [xml, why] of cases) assert.throws(() => parseS3ListObjectsV1(xml), (e: unknown) => e instanceof BadInputError && why.test(e.message), xml.slice(0, 80));
});
