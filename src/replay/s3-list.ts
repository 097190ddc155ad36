/**
 * S3 ListObjects (v1) over the replay's archive objects: the listing data.binance.vision's
 * bucket answers at `s3-ap-northeast-1.amazonaws.com/data.binance.vision?delimiter=/&prefix=…`.
 *
 * Semantics kept: keys and common prefixes come in key order; an entry is returned only if it
 * sorts after `marker`; with a delimiter, keys that contain it after the prefix roll up into one
 * CommonPrefix, which counts as one result toward `max-keys` (default and cap 1000);
 * `NextMarker` is present only when a delimiter was given and the result is truncated.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const MAX_KEYS = 1000;

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
}

export interface ListParams {
  bucket: string;
  prefix: string;
  delimiter: string;
  marker: string;
  maxKeys: number;
}

type Entry = { kind: 'key'; name: string; o: ListedObject } | { kind: 'prefix'; name: string };

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Builds the ListBucketResult XML for `objects` (sorted by key). */
export function listObjectsV1(objects: readonly ListedObject[], p: ListParams): string {
  const entries: Entry[] = [];
  let truncated = false;
  let lastPrefix = '';
  for (const o of objects) {
    if (!o.key.startsWith(p.prefix)) continue;
    let entry: Entry = { kind: 'key', name: o.key, o };
    if (p.delimiter !== '') {
      const at = o.key.indexOf(p.delimiter, p.prefix.length);
      if (at >= 0) entry = { kind: 'prefix', name: o.key.slice(0, at + p.delimiter.length) };
    }
    if (entry.name <= p.marker) continue;
    if (entry.kind === 'prefix' && entry.name === lastPrefix) continue;
    if (entries.length >= p.maxKeys) {
      truncated = true;
      break;
    }
    entries.push(entry);
    if (entry.kind === 'prefix') lastPrefix = entry.name;
  }
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<ListBucketResult xmlns="${S3_NAMESPACE}">`,
    `<Name>${xml(p.bucket)}</Name>`,
    `<Prefix>${xml(p.prefix)}</Prefix>`,
    `<Marker>${xml(p.marker)}</Marker>`,
  ];
  const last = entries[entries.length - 1];
  if (truncated && p.delimiter !== '' && last) parts.push(`<NextMarker>${xml(last.name)}</NextMarker>`);
  parts.push(`<MaxKeys>${p.maxKeys}</MaxKeys>`);
  if (p.delimiter !== '') parts.push(`<Delimiter>${xml(p.delimiter)}</Delimiter>`);
  parts.push(`<IsTruncated>${truncated}</IsTruncated>`);
  for (const e of entries) {
    if (e.kind !== 'key') continue;
    parts.push(
      `<Contents><Key>${xml(e.o.key)}</Key><LastModified>${new Date(e.o.lastModified).toISOString()}</LastModified>` +
        `<ETag>${xml(e.o.etag)}</ETag><Size>${e.o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
  }
  for (const e of entries) if (e.kind === 'prefix') parts.push(`<CommonPrefixes><Prefix>${xml(e.name)}</Prefix></CommonPrefixes>`);
  parts.push('</ListBucketResult>');
  return parts.join('');
}
