/**
 * A full disk or an unwritable path stops the writer with a StoreError naming the cause and the
 * file, and everything published before stays whole. The full disk is a small tmpfs mounted here
 * (tests run as root locally and in CI, as in duckdb-full-disk.test.ts); if the mount fails the
 * test fails, it never skips. Permission bits do not stop root, so the unwritable path is a
 * regular file standing where the lake needs a directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../core/errors.js';
import type { MarketEvent } from '../../core/market-events.js';
import { TEMP_SUFFIX } from './lake-layout.js';
import { lakeEvents } from './lake-reader.js';
import { LakeWriter, type PublishedFile } from './lake-writer.js';
import { mergedCapture } from './test-support/capture-events.js';

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

async function withTmpfs(size: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lake-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]); // throws, failing the test, if it cannot
  try {
    await fn(dir);
  } finally {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

function allFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) allFiles(p, out);
    else out.push(p);
  }
  return out;
}

async function readAll(root: string): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const e of lakeEvents(root, ALL)) out.push(e);
  return out;
}

test('lake - a full disk stops the writer with a StoreError naming the file; every file published before is whole', () =>
  withTmpfs('1m', async (root) => {
    const events = mergedCapture(['btcusdt_20240809', 'ethusdt_20240809']);
    const published: PublishedFile[] = [];
    const writer = await LakeWriter.open(root, { maxBufferedEvents: 2000, onPublish: (f) => published.push(f) });
    let err: unknown = null;
    let written = 0;
    for (const e of events) {
      try {
        await writer.write(e);
        written++;
      } catch (e2) {
        err = e2;
        break;
      }
    }
    assert.ok(err instanceof StoreError, `a StoreError, not ${String(err)} (after ${written} events)`);
    assert.equal(err.code, 'STORE');
    assert.match(err.message, /No space left on device/);
    assert.match(err.message, /could not publish .*\/kind=\w+\/exchange=binance\/symbol=\w+\/date=2024-08-0\d\/\d{16}-\d{16}\.parquet/);
    await assert.rejects(writer.write(events[0] as MarketEvent), (e: unknown) => e === err, 'the writer stays stopped with the same error');
    await assert.rejects(writer.close(), (e: unknown) => e === err);
    assert.ok(published.length >= 2, `files were published before the disk filled (${published.length})`);

    assert.deepEqual(allFiles(root).filter((p) => p.endsWith(TEMP_SUFFIX)), [], 'the failed temp file is removed');
    const got = await readAll(root);
    assert.equal(got.length, published.reduce((n, f) => n + f.rows, 0), 'every published row reads back');
    // Sequences are 1-based in write order; a row is on disk iff a published file of its partition covers it.
    const inPublishedFile = (e: MarketEvent, seq: number): boolean =>
      published.some((f) => seq >= f.first && seq <= f.last && f.partition.kind === e.kind && f.partition.symbol === e.symbol);
    assert.deepStrictEqual(got, events.slice(0, written + 1).filter((e, i) => inPublishedFile(e, i + 1)));
  }));

test('lake - an unwritable lake path fails on open, and a blocked partition stops the writer, naming the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lake-blocked-'));
  try {
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    await assert.rejects(LakeWriter.open(join(dir, 'not-a-dir', 'lake')), (e: unknown) => e instanceof StoreError && e.message.includes(join(dir, 'not-a-dir', 'lake')) && /ENOTDIR/.test(e.message));

    const root = join(dir, 'lake');
    const events = mergedCapture(['btcusdt_20240808'], 300);
    const trades = events.filter((e) => e.kind === 'trade');
    const deltas = events.filter((e) => e.kind === 'book_delta');
    const writer = await LakeWriter.open(root);
    for (const e of trades) await writer.write(e);
    await writer.flush();
    writeFileSync(join(root, 'kind=book_delta'), 'in the way');
    for (const e of deltas) await writer.write(e);
    const err = await writer.flush().then(() => null, (e: unknown) => e);
    assert.ok(err instanceof StoreError, `a StoreError, not ${String(err)}`);
    assert.match(err.message, /kind=book_delta/);
    assert.match(err.message, /ENOTDIR|EEXIST/);
    await assert.rejects(writer.write(trades[0] as MarketEvent), (e: unknown) => e === err);
    await writer.close().catch(() => undefined);
    assert.deepStrictEqual(await readAll(root), trades, 'the trades flushed before are all there');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
