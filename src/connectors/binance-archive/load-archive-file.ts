/**
 * One archive kline file from bytes to verified candle columns: SHA-256 against `.CHECKSUM`,
 * then the single CSV out of the zip, then the checked parse. Any failure rejects the whole file,
 * so a caller writes all of its rows with its manifest entry, or nothing.
 *
 * @see https://github.com/binance/binance-public-data#klines
 */
import type { ArchiveManifestEntry } from '../../core/archive-manifest.js';
import type { CandleColumns } from '../../core/candle.js';
import type { Interval } from '../../core/intervals.js';
import { verifyChecksum, type ArchiveChecksum } from './checksum.js';
import { parseKlineCsv, type ArchiveMarket } from './kline-csv.js';
import { extractSingleCsv } from './zip.js';
import type { ArchiveObject } from './archive-client.js';

export interface LoadedArchiveFile {
  candles: CandleColumns;
  manifest: ArchiveManifestEntry;
}

/** What `loadArchiveFile` needs from a client: `ArchiveClient` or a test double. */
export interface ArchiveSource {
  fetchObject(key: string, signal?: AbortSignal): Promise<ArchiveObject>;
  fetchChecksum(zipKey: string, signal?: AbortSignal): Promise<ArchiveChecksum>;
}

/**
 * Pure half: verifies, extracts and parses a downloaded zip. Throws `ChecksumMismatchError` or
 * `BadArchiveError` (key and, for row problems, the 1-based line number).
 */
export function decodeArchiveFile(
  zip: ArchiveObject,
  checksum: ArchiveChecksum,
  key: string,
  interval: Interval,
  market: ArchiveMarket,
  ingestedAt: number,
  allocate?: (rows: number) => CandleColumns,
): LoadedArchiveFile {
  const sha256 = verifyChecksum(zip.body, key, checksum);
  const candles = parseKlineCsv(extractSingleCsv(zip.body, key), { key, interval, market, allocate });
  return {
    candles,
    manifest: { key, size: zip.body.length, sha256, lastModified: zip.lastModified, rows: candles.length, ingestedAt },
  };
}

/** `decodeArchiveFile`, here or elsewhere (`ArchiveDecodePool.decode` runs it on a worker thread). */
export type ArchiveDecoder = (...args: Parameters<typeof decodeArchiveFile>) => LoadedArchiveFile | Promise<LoadedArchiveFile>;

/**
 * Fetches the zip at `key` and its `.CHECKSUM`, verifies the SHA-256, extracts and parses it.
 * Network errors propagate from the client (`NotFoundError`, `UpstreamError`); bad content is
 * `ChecksumMismatchError` or `BadArchiveError`. `signal` cancels both downloads; `decode` does
 * the verify, extract and parse (by default here, on the calling thread).
 */
export async function loadArchiveFile(
  client: ArchiveSource,
  key: string,
  interval: Interval,
  market: ArchiveMarket,
  now: () => number = Date.now,
  signal?: AbortSignal,
  decode: ArchiveDecoder = decodeArchiveFile,
): Promise<LoadedArchiveFile> {
  const [zip, checksum] = await Promise.all([client.fetchObject(key, signal), client.fetchChecksum(key, signal)]);
  return decode(zip, checksum, key, interval, market, now());
}
