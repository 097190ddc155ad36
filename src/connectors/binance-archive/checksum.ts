/**
 * `.CHECKSUM` files of data.binance.vision: standard `sha256sum` output for one zip,
 * `<64 hex>  <file name>` with or without a final newline.
 *
 * @see https://github.com/binance/binance-public-data#checksum
 */
import { createHash } from 'node:crypto';
import { BadArchiveError, ChecksumMismatchError } from '../../core/errors.js';

/** One parsed `.CHECKSUM` line. */
export interface ArchiveChecksum {
  /** Lower-case hex SHA-256 of the zip. */
  sha256: string;
  /** The file name the checksum is for, e.g. `BTCUSDT-1m-2020-01-01.zip`. */
  fileName: string;
}

const LINE = /^([0-9a-fA-F]{64}) {2}([^\s/\\]+)\n?$/;

/**
 * Parses a `.CHECKSUM` body. Anything but exactly one `<64 hex><two spaces><name>` line (an
 * optional final `\n` allowed) is rejected with `BadArchiveError(checksumKey, reason)`.
 */
export function parseChecksum(body: Buffer | string, checksumKey: string): ArchiveChecksum {
  const text = typeof body === 'string' ? body : body.toString('latin1');
  const m = LINE.exec(text);
  if (!m) {
    const shown = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
    throw new BadArchiveError(checksumKey, `not a sha256sum line "<64 hex>  <file name>": ${shown}`);
  }
  return { sha256: (m[1] ?? '').toLowerCase(), fileName: m[2] ?? '' };
}

/** Lower-case hex SHA-256 of `buf`. */
export function sha256Hex(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * Checks `zip` (the object at `zipKey`) against its parsed `.CHECKSUM`; returns the SHA-256.
 * A checksum written for another file name is a `BadArchiveError`; a hash that differs is a
 * `ChecksumMismatchError`.
 */
export function verifyChecksum(zip: Buffer, zipKey: string, checksum: ArchiveChecksum): string {
  const base = zipKey.slice(zipKey.lastIndexOf('/') + 1);
  if (checksum.fileName !== base) {
    throw new BadArchiveError(zipKey, `.CHECKSUM is for ${checksum.fileName}, not ${base}`);
  }
  const actual = sha256Hex(zip);
  if (actual !== checksum.sha256) throw new ChecksumMismatchError(zipKey, checksum.sha256, actual);
  return actual;
}
