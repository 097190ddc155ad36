/**
 * Parser for S3 ListObjects (v1) XML, the listing data.binance.vision's bucket answers with, and
 * the v1 pagination rule.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 * @see https://github.com/binance/binance-public-data (archive hosted on that bucket)
 */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** One object of a listing page. */
export interface S3Object {
  key: string;
  /** Epoch ms. */
  lastModified: number;
  size: number;
  /** As sent, quotes included (e.g. `"fba9…"`); a multipart ETag is not an MD5. */
  etag: string;
}

export interface S3ListPage {
  name: string;
  prefix: string;
  marker: string;
  delimiter: string | null;
  maxKeys: number | null;
  isTruncated: boolean;
  nextMarker: string | null;
  contents: S3Object[];
  commonPrefixes: string[];
}

// Text content only, nothing coerced: keys like "0001" or "true" must stay strings.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name, jpath) => jpath === 'ListBucketResult.Contents' || jpath === 'ListBucketResult.CommonPrefixes',
});

const text = z.string();
const optText = z.string().optional();
const intText = z.string().regex(/^\d+$/, 'not a non-negative integer');
const isoText = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s), 'not an ISO-8601 UTC time');

const contentsSchema = z.object({ Key: text, LastModified: isoText, Size: intText, ETag: optText }).passthrough();
const resultSchema = z
  .object({
    '@_xmlns': optText,
    Name: optText,
    Prefix: optText,
    Marker: optText,
    Delimiter: optText,
    MaxKeys: intText.optional(),
    IsTruncated: z.enum(['true', 'false']),
    NextMarker: optText,
    Contents: z.array(contentsSchema).optional(),
    CommonPrefixes: z.array(z.object({ Prefix: text }).passthrough()).optional(),
  })
  .passthrough();

/**
 * Parses one ListObjects v1 response body. Throws `BadInputError` for malformed XML, a root other
 * than `ListBucketResult`, a foreign namespace, or missing/ill-typed `Key`, `LastModified`,
 * `Size` or `IsTruncated`.
 */
export function parseS3ListObjectsV1(xml: string): S3ListPage {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new BadInputError(`S3 listing is not well-formed XML: ${(err as Error).message}`, { cause: err });
  }
  const root = z.object({ ListBucketResult: z.unknown() }).safeParse(doc);
  if (!root.success) throw new BadInputError(`S3 listing has no ListBucketResult root: ${xml.slice(0, 200)}`);
  // An empty <Prefix/> parses as ''; a whole result with no children would parse as '' too.
  const parsed = resultSchema.safeParse(root.data.ListBucketResult);
  if (!parsed.success) throw new BadInputError(`S3 listing does not match ListObjects v1: ${z.prettifyError(parsed.error)}`);
  const r = parsed.data;
  if (r['@_xmlns'] !== undefined && r['@_xmlns'] !== S3_NAMESPACE) {
    throw new BadInputError(`S3 listing is in namespace ${r['@_xmlns']}, expected ${S3_NAMESPACE}`);
  }
  return {
    name: r.Name ?? '',
    prefix: r.Prefix ?? '',
    marker: r.Marker ?? '',
    delimiter: r.Delimiter === undefined || r.Delimiter === '' ? null : r.Delimiter,
    maxKeys: r.MaxKeys === undefined ? null : Number(r.MaxKeys),
    isTruncated: r.IsTruncated === 'true',
    nextMarker: r.NextMarker === undefined || r.NextMarker === '' ? null : r.NextMarker,
    contents: (r.Contents ?? []).map((c) => ({ key: c.Key, lastModified: Date.parse(c.LastModified), size: Number(c.Size), etag: c.ETag ?? '' })),
    commonPrefixes: (r.CommonPrefixes ?? []).map((p) => p.Prefix),
  };
}

/**
 * The `marker` for the next page, or null when the listing is complete. ListObjects v1 returns
 * `NextMarker` only when the request had a delimiter; without one the next marker is the last
 * `Key`. With a delimiter and no `NextMarker`, the last key or common prefix (whichever sorts
 * last) is used, since both count toward the page.
 */
export function nextListMarker(page: S3ListPage, delimiterGiven: boolean): string | null {
  if (!page.isTruncated) return null;
  if (delimiterGiven && page.nextMarker !== null) return page.nextMarker;
  const lastKey = page.contents.at(-1)?.key;
  const lastPrefix = delimiterGiven ? page.commonPrefixes.at(-1) : undefined;
  const next = lastKey === undefined ? lastPrefix : lastPrefix === undefined || lastKey > lastPrefix ? lastKey : lastPrefix;
  if (next === undefined) throw new BadInputError('S3 listing says it is truncated but gives nothing to continue from');
  return next;
}
