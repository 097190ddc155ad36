/**
 * The archive objects the replay serves under `/vision` and lists under `/s3`: every `.zip` and
 * `.zip.CHECKSUM` below `fixtures/binance-vision/data/`, keyed as on data.binance.vision
 * (`data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip`), each with its publication
 * time on the simulated clock and any injected fault already applied. Loaded once at start:
 * the bundled tree is about a megabyte.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { publicationTime } from './publication.js';
import { badChecksumText, checksumText, malformCsvRow, truncateZip } from './archive-faults.js';
import { hashString, seededRandom } from '../core/seeded-random.js';

/** One object the replay's archive serves and lists (recorded, or derived in scale mode). */
export interface ArchiveObject {
  key: string;
  /** Bytes in memory, or a file served from disk (the derived zips of scale mode). */
  body: Buffer | { path: string };
  size: number;
  /** S3 ETag of a single-part upload: the MD5 of the body, in double quotes. */
  etag: string;
  /** Publication time on the simulated clock; also served as Last-Modified. */
  publishedAt: number;
}

/** Key substrings selecting the zips to damage; empty or absent means off. */
export interface ArchiveFaultOptions {
  truncateZip?: string | undefined;
  badChecksum?: string | undefined;
  malformedCsv?: string | undefined;
  seed: number;
}

export interface AppliedArchiveFault {
  key: string;
  kind: 'truncate-zip' | 'bad-checksum' | 'malformed-csv';
  /** For malformed-csv: the 1-based CSV row that was broken. */
  row?: number;
}

function walk(dir: string, rel: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const r = rel === '' ? name : `${rel}/${name}`;
    if (statSync(p).isDirectory()) walk(p, r, out);
    else out.push(r);
  }
}

function matches(key: string, substring: string | undefined): boolean {
  return substring !== undefined && substring !== '' && key.includes(substring);
}

/** What the archive routes read: the recorded catalog, and the derived one in scale mode. */
export interface ArchiveObjects {
  get(key: string, now: number): ArchiveObject | undefined;
  /** Every object published at `now`, sorted by key. */
  published(now: number): readonly ArchiveObject[];
}

export class ArchiveCatalog implements ArchiveObjects {
  private readonly byKey = new Map<string, ArchiveObject>();
  /** Every object, sorted by key (S3 lists in UTF-8 binary order; keys here are ASCII). */
  private readonly sorted: ArchiveObject[];
  readonly faults: AppliedArchiveFault[] = [];

  /** @param root the folder that holds `data/` (fixtures/binance-vision) */
  constructor(root: string, lagMs: number, faults: ArchiveFaultOptions) {
    const keys: string[] = [];
    walk(join(root, 'data'), 'data', keys);
    const zips = keys.filter((k) => k.endsWith('.zip'));
    const present = new Set(keys);
    for (const key of zips) {
      const publishedAt = publicationTime(key, lagMs);
      if (publishedAt === null) continue;
      let zip: Buffer = readFileSync(join(root, key));
      const fileName = key.slice(key.lastIndexOf('/') + 1);
      const random = seededRandom(hashString(key, faults.seed));
      let rewritten = false;
      if (matches(key, faults.malformedCsv)) {
        const m = malformCsvRow(zip, key, publishedAt, random);
        zip = m.zip;
        rewritten = true;
        this.faults.push({ key, kind: 'malformed-csv', row: m.row });
      }
      if (matches(key, faults.truncateZip)) {
        zip = truncateZip(zip);
        rewritten = true;
        this.faults.push({ key, kind: 'truncate-zip' });
      }
      this.add(key, zip, publishedAt);
      const sumKey = `${key}.CHECKSUM`;
      // A zip recorded without its .CHECKSUM (the 2022 ETHUSDT files) stays without one: 404.
      if (!present.has(sumKey)) continue;
      const recorded = readFileSync(join(root, sumKey), 'utf8');
      let text = recorded;
      if (matches(key, faults.badChecksum)) {
        text = badChecksumText(zip, fileName, recorded);
        this.faults.push({ key, kind: 'bad-checksum' });
      } else if (rewritten) {
        text = checksumText(zip, fileName, recorded);
      }
      this.add(sumKey, Buffer.from(text, 'utf8'), publishedAt);
    }
    this.sorted = [...this.byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private add(key: string, body: Buffer, publishedAt: number): void {
    this.byKey.set(key, { key, body, size: body.length, publishedAt, etag: `"${createHash('md5').update(body).digest('hex')}"` });
  }

  /** The object at `key` if it is published at simulated time `now`. */
  get(key: string, now: number): ArchiveObject | undefined {
    const o = this.byKey.get(key);
    return o && o.publishedAt <= now ? o : undefined;
  }

  /** Every object published at `now`, sorted by key. */
  published(now: number): ArchiveObject[] {
    return this.sorted.filter((o) => o.publishedAt <= now);
  }
}
