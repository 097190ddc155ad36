/**
 * kill -9 of a process writing the lake, then a restart, several times: no sequence is stored
 * twice, every `.parquet` file in the tree is whole (readable, holding exactly the range its name
 * says), every file announced as published is intact, and the restarted writer continues after
 * the highest sequence on disk. Two kills land at a pause point between a file's write and its
 * rename (the worst moment); two land at seeded random moments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { seededRandom } from '../../core/seeded-random.js';
import { parseFileName, TEMP_SUFFIX } from './lake-layout.js';
import { sqlPath } from './lake-file.js';
import { readLake } from './lake-reader.js';
import { LakeWriter } from './lake-writer.js';

const WRITER = fileURLToPath(new URL('./test-support/lake-crash-writer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface Published {
  first: number;
  last: number;
  rows: number;
  path: string;
}

interface Run {
  openedAt: number;
  published: Published[];
  pausedTemp: string | null;
}

/** Runs the writer until `published` files are out (plus `delayMs`), or until it pauses; then SIGKILL. */
function runAndKill(root: string, pauseAt: number, published: number, delayMs: number): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, root, String(pauseAt)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const run: Run = { openedAt: -1, published: [], pausedTemp: null };
  let killing = false;
  const kill = (): void => {
    if (!killing) {
      killing = true;
      child.kill('SIGKILL');
    }
  };
  return new Promise<Run>((resolve, reject) => {
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const [what, ...args] = line.split(' ');
        if (what === 'opened') run.openedAt = Number(args[0]);
        if (what === 'paused') {
          run.pausedTemp = args[0] ?? null;
          kill();
        }
        if (what === 'published') {
          run.published.push({ first: Number(args[0]), last: Number(args[1]), rows: Number(args[2]), path: args[3] ?? '' });
          if (pauseAt < 0 && run.published.length === published) setTimeout(kill, delayMs);
        }
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(run) : reject(new Error(`lake writer exited by itself (${signal})`))));
  });
}

function parquetFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) parquetFiles(p, out);
    else out.push(p);
  }
  return out;
}

async function fileStats(conn: DuckDBConnection, path: string): Promise<{ rows: number; min: number; max: number }> {
  const r = await conn.runAndReadAll(`SELECT count(*), min(seq), max(seq) FROM read_parquet(${sqlPath(path)})`);
  const [rows, min, max] = (r.getRows()[0] ?? []).map(Number);
  return { rows: rows ?? -1, min: min ?? -1, max: max ?? -1 };
}

test('lake - kill -9 while writing, then restart, four times: no duplicate sequence, no torn file, every published file intact', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tickerflow-lake-crash-'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const rnd = seededRandom(17);
  const allPublished: Published[] = [];
  try {
    let highest = 0;
    for (const [round, pauseAt] of [3, -1, 7, -1].entries()) {
      const run = await runAndKill(root, pauseAt, 2 + Math.floor(rnd() * 12), Math.floor(rnd() * 40));
      assert.equal(run.openedAt, highest, `round ${round}: the restarted writer continues after the highest sequence on disk`);
      if (pauseAt >= 0) {
        const temp = run.pausedTemp;
        if (!temp?.endsWith(TEMP_SUFFIX)) assert.fail(`round ${round}: killed between write and rename, not at ${temp}`);
        assert.ok(readdirSync(join(temp, '..')).some((n) => temp.endsWith(`/${n}`)), 'the unpublished temp file is there');
      }
      allPublished.push(...run.published);
      for (const f of run.published) assert.ok(f.first > highest, `round ${round}: new file ${f.first}-${f.last} starts above ${highest}`);
      const files = parquetFiles(root).filter((p) => p.endsWith('.parquet'));
      for (const path of files) {
        const name = parseFileName(path.slice(path.lastIndexOf('/') + 1));
        assert.ok(name, `${path} is named <first>-<last>.parquet`);
        const stats = await fileStats(conn, path); // throws on a torn file
        assert.deepEqual([stats.min, stats.max], [name.first, name.last], `${path} holds the range its name says`);
        highest = Math.max(highest, name.last);
      }
      for (const f of allPublished) {
        const stats = await fileStats(conn, f.path);
        assert.deepEqual(stats, { rows: f.rows, min: f.first, max: f.last }, `published ${f.path} is intact`);
      }
    }
    assert.ok(allPublished.length >= 10, `enough files published (${allPublished.length})`);

    const writer = await LakeWriter.open(root);
    await writer.close();
    assert.deepEqual(parquetFiles(root).filter((p) => p.endsWith(TEMP_SUFFIX)), [], 'a restart removes leftover temp files');
    let last = 0;
    let count = 0;
    for await (const { seq } of readLake(root, { from: 0, to: Date.UTC(2100, 0, 1) })) {
      assert.ok(seq > last, `sequence ${seq} after ${last}: no duplicate, in order`);
      last = seq;
      count++;
    }
    // A file can be renamed into place just before the kill, before its `published` line is out:
    // on disk counts, and it is checked whole above like every other.
    let onDisk = 0;
    for (const path of parquetFiles(root)) onDisk += (await fileStats(conn, path)).rows;
    assert.equal(count, onDisk, 'the reader yields every row on disk once');
    assert.ok(onDisk >= allPublished.reduce((n, f) => n + f.rows, 0), 'at least every announced row');
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(root, { recursive: true, force: true });
  }
});
