/**
 * Pure byte edits that turn a real archive zip into a faulty one, for fault injection. Each
 * faulty zip gets a `.CHECKSUM` that matches it (except for the bad-checksum fault), so the
 * client's zip reader or row check, not its checksum check, must be the one to catch it.
 */
import { createHash } from 'node:crypto';
import { readFirstZipEntry } from './zip-reader.js';
import { writeSingleEntryZip } from './zip-writer.js';
import type { Random } from '../core/seeded-random.js';

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256sum` format, keeping whether the recorded file ended with a newline. */
export function checksumText(zip: Buffer, fileName: string, recorded: string): string {
  return `${sha256Hex(zip)}  ${fileName}${recorded.endsWith('\n') ? '\n' : ''}`;
}

/** A checksum line whose hash is wrong in its first hex digit and right everywhere else. */
export function badChecksumText(zip: Buffer, fileName: string, recorded: string): string {
  const good = sha256Hex(zip);
  const flipped = (good[0] === '0' ? '1' : '0') + good.slice(1);
  return `${flipped}  ${fileName}${recorded.endsWith('\n') ? '\n' : ''}`;
}

/** The first half of the zip: its end-of-central-directory record and entry data are gone. */
export function truncateZip(zip: Buffer): Buffer {
  return Buffer.from(zip.subarray(0, Math.floor(zip.length / 2)));
}

/**
 * Re-packs the zip's CSV with one row cut to its first 6 of 12 fields, as a half-written line
 * would look. The row is picked by `random`; returns the new zip and the 1-based row number.
 */
export function malformCsvRow(zip: Buffer, key: string, mtimeMs: number, random: Random): { zip: Buffer; row: number } {
  const csv = readFirstZipEntry(zip, key).toString('utf8');
  const endsWithNewline = csv.endsWith('\n');
  const lines = (endsWithNewline ? csv.slice(0, -1) : csv).split('\n');
  const index = Math.floor(random() * lines.length);
  lines[index] = (lines[index] ?? '').split(',').slice(0, 6).join(',');
  const edited = Buffer.from(lines.join('\n') + (endsWithNewline ? '\n' : ''), 'utf8');
  const entryName = (key.split('/').pop() ?? key).replace(/\.zip$/, '.csv');
  return { zip: writeSingleEntryZip(entryName, edited, mtimeMs), row: index + 1 };
}
