/** Compaction (merged files replace small ones atomically) and retention (old date partitions go). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { MarketEvent } from '../../core/market-events.js';
import { parseFileName } from './lake-layout.js';
import { applyRetention, compactLake } from './lake-maintenance.js';
import { readLake, type SequencedEvent } from './lake-reader.js';
import { LakeWriter } from './lake-writer.js';
import { mergedCapture } from './test-support/capture-events.js';

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lake-maint-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out.sort();
}

async function readAll(root: string): Promise<SequencedEvent[]> {
  const out: SequencedEvent[] = [];
  for await (const s of readLake(root, ALL)) out.push(s);
  return out;
}

async function smallFileLake(root: string, events: readonly MarketEvent[]): Promise<void> {
  const w = await LakeWriter.open(root, { maxBufferedEvents: 150 });
  for (const e of events) await w.write(e);
  await w.close();
}

const TRADES_BTC = 'kind=trade/exchange=binance/symbol=BTCUSDT/date=2024-08-08';

test('lake compaction - small files merge into one per partition named by its first-last, and read back the same', () =>
  withDir(async (root) => {
    await smallFileLake(root, mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 1500));
    const before = await readAll(root);
    const smallBefore = filesUnder(join(root, TRADES_BTC));
    assert.ok(smallBefore.length > 5, `many small files (${smallBefore.length})`);

    const compacted = await compactLake(root);
    const after = filesUnder(join(root, TRADES_BTC));
    assert.equal(after.length, 1);
    const first = parseFileName(smallBefore[0]?.split('/').at(-1) ?? '');
    const last = parseFileName(smallBefore.at(-1)?.split('/').at(-1) ?? '');
    assert.deepEqual(parseFileName(after[0]?.split('/').at(-1) ?? ''), { first: first?.first, last: last?.last });
    assert.ok(compacted.some((c) => c.partition === TRADES_BTC && c.merged === smallBefore.length));
    assert.deepStrictEqual(await readAll(root), before);
    assert.deepEqual(await compactLake(root), [], 'a second run has nothing to merge');
  }));

test('lake compaction - at most compactMaxFiles per merged file', () =>
  withDir(async (root) => {
    await smallFileLake(root, mergedCapture(['btcusdt_20240808'], 1500));
    const before = await readAll(root);
    const n = filesUnder(join(root, TRADES_BTC)).length;
    await compactLake(root, { compactMaxFiles: 3 });
    assert.equal(filesUnder(join(root, TRADES_BTC)).length, Math.ceil(n / 3));
    assert.deepStrictEqual(await readAll(root), before);
    await assert.rejects(compactLake(root, { compactMaxFiles: 1 }), (e: unknown) => e instanceof ConfigError && /compactMaxFiles must be an integer in 2\.\./.test(e.message));
  }));

test('lake compaction - stopped between publishing the merged file and removing the small ones, a reader sees each row once and the next run cleans up', () =>
  withDir(async (root) => {
    await smallFileLake(root, mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 800));
    const before = await readAll(root);
    const aside = join(root, '..', `${root.split('/').at(-1)}-aside`);
    const dir = join(root, TRADES_BTC);
    const small = readdirSync(dir);
    mkdirSync(aside);
    for (const n of small) copyFileSync(join(dir, n), join(aside, n));
    await compactLake(root);
    for (const n of small) copyFileSync(join(aside, n), join(dir, n)); // as if the cleanup never ran
    rmSync(aside, { recursive: true, force: true });
    assert.equal(readdirSync(dir).length, small.length + 1, 'merged and small files side by side');
    assert.deepStrictEqual(await readAll(root), before);
    await compactLake(root);
    assert.equal(readdirSync(dir).length, 1, 'the covered small files are removed');
    assert.deepStrictEqual(await readAll(root), before);
  }));

test('lake retention - deletes date partitions older than the retention, keeps the rest', () =>
  withDir(async (root) => {
    const d8 = mergedCapture(['btcusdt_20240808'], 200);
    const d9 = mergedCapture(['btcusdt_20240809'], 200);
    await smallFileLake(root, [...d8, ...d9]);
    assert.deepEqual(await applyRetention(root, 1, Date.UTC(2024, 7, 9, 23, 59)), [], 'a day old is kept');
    const deleted = await applyRetention(root, 1, Date.UTC(2024, 7, 10, 0, 30));
    assert.deepEqual(deleted.sort(), ['kind=book_delta/exchange=binance/symbol=BTCUSDT/date=2024-08-08', 'kind=book_snapshot/exchange=binance/symbol=BTCUSDT/date=2024-08-08', TRADES_BTC].sort());
    assert.deepStrictEqual((await readAll(root)).map((s) => s.event), d9);
    assert.deepEqual(await applyRetention(root, null, Date.UTC(2030, 0, 1)), [], 'null keeps everything');
    await assert.rejects(applyRetention(root, 0, Date.now()), ConfigError);
  }));

test('lake compaction - under a reader half way through, the reader still yields every row once, in order', () =>
  withDir(async (root) => {
    await smallFileLake(root, mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 1500));
    const before = await readAll(root);
    const got: SequencedEvent[] = [];
    let compacted = 0;
    for await (const s of readLake(root, ALL)) {
      got.push(s);
      if (got.length === Math.floor(before.length / 2)) compacted = (await compactLake(root)).length;
    }
    assert.ok(compacted >= 4, `partitions were compacted mid-read (${compacted})`);
    assert.deepStrictEqual(got, before);
  }));
