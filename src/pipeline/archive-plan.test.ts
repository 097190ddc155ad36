import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArchiveManifestEntry } from '../core/archive-manifest.js';
import { parseTime } from '../core/time.js';
import { chooseArchiveFiles, ingestReason, isRepublished } from './archive-plan.js';
import type { ArchiveFile } from './sources.js';

const KEY = 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-02.zip';
// Last-Modified as the download's header gives it (whole seconds) and as the S3 listing gives it (ms).
const HEADER_MS = parseTime('2020-01-03T00:13:45Z');
const file: ArchiveFile = { key: KEY, period: 'daily', start: parseTime('2020-01-02'), end: parseTime('2020-01-03'), size: 58_312, lastModified: HEADER_MS + 250 };
const entry: ArchiveManifestEntry = { key: KEY, size: 58_312, sha256: 'ab'.repeat(32), lastModified: HEADER_MS, rows: 1440, ingestedAt: 0 };

test('archive plan - the same object listed with milliseconds the header rounds away is not re-published', () => {
  assert.equal(isRepublished(file, entry), false);
  assert.equal(ingestReason(file, entry, file.start), null);
});

test('archive plan - another size, or Last-Modified a second or more later, is a re-published object', () => {
  assert.equal(isRepublished({ ...file, size: 58_313 }, entry), true);
  assert.equal(isRepublished({ ...file, lastModified: HEADER_MS + 1000 }, entry), true);
  assert.equal(ingestReason({ ...file, size: 1 }, entry, file.start), 'republished');
  // Nothing to compare: a listing without size and date, or a manifest without a date.
  assert.equal(isRepublished({ key: KEY, period: 'daily', start: file.start, end: file.end }, entry), false);
  assert.equal(isRepublished({ ...file, lastModified: HEADER_MS + 5000 }, { ...entry, lastModified: null }), false);
});

test('archive plan - a trimmed file is loaded again only for a window starting before the rows it kept', () => {
  const trimmed = { ...entry, rows: 600, keptFrom: parseTime('2020-01-02T14:00:00Z') };
  assert.equal(ingestReason(file, trimmed, parseTime('2020-01-02T14:00:00Z')), null);
  assert.equal(ingestReason(file, trimmed, parseTime('2020-01-02T13:59:00Z')), 'earlier rows wanted');
  assert.equal(ingestReason(file, null, parseTime('2020-01-02T13:59:00Z')), 'new');
});

test('archive plan - monthly files for whole months, daily files only for days no monthly file covers', () => {
  const m = (ym: string, start: string, end: string): ArchiveFile => ({ key: `m-${ym}`, period: 'monthly', start: parseTime(start), end: parseTime(end) });
  const d = (day: string): ArchiveFile => ({ key: `d-${day}`, period: 'daily', start: parseTime(day), end: parseTime(day) + 86_400_000 });
  const all = [m('2020-01', '2020-01-01', '2020-02-01'), d('2020-01-31'), d('2020-02-01'), d('2020-02-02'), d('2020-02-03')];
  assert.deepEqual(chooseArchiveFiles(all, parseTime('2020-01-15'), parseTime('2020-02-03')).map((f) => f.key), ['m-2020-01', 'd-2020-02-01', 'd-2020-02-02']);
});
