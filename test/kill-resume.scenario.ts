/**
 * `kill -9` in the middle of a backfill, then a rerun: the store must end with exactly the rows of
 * a clean run. The backfill runs as a real `tickerflow` process against the replay server (slowed
 * down so that the kill lands while files are still being loaded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANDLE_FIELDS } from '../src/core/candle.js';
import { parseTime } from '../src/core/time.js';
import { openStore } from '../src/store/open-store.js';
import { startReplayServer } from '../src/replay/index.js';
import { archiveDay, BTC_1M_KEY } from './support/archive-days.js';
import { replayConfigToml } from './support/pipeline-harness.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `tickerflow backfill BTCUSDT`; kills it with SIGKILL once `killWhen` matches its log output. */
function backfill(configPath: string, db: string, killWhen?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', configPath, '--db', db, '--log-level', 'info', 'backfill', 'BTCUSDT'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen !== undefined && killWhen.test(stderr) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

export function killResumeScenario(backend: string, makeDb: () => Promise<{ db: string; drop(): Promise<void> }>): void {
  test(`kill -9 during backfill on ${backend} - a rerun ends with exactly the rows of a clean run`, async () => {
    // Each request takes 250 ms, so loading three files (zip + .CHECKSUM each) takes over a second.
    const replay = await startReplayServer({ now: '2020-01-04T00:10:30Z', speed: 0, faults: { latencyMs: 250 } });
    const dir = mkdtempSync(join(tmpdir(), 'tf-kill-'));
    const configPath = join(dir, 'tickerflow.toml');
    writeFileSync(configPath, replayConfigToml(replay, ['BTCUSDT']));
    const { db, drop } = await makeDb();
    try {
      const killed = await backfill(configPath, db, /rows verified/);
      assert.equal(killed.signal, 'SIGKILL', `the first run was killed (exit ${killed.code}): ${killed.stderr.slice(-500)}`);
      const second = await backfill(configPath, db, /ingest .*2020-01-0[23]/);
      assert.ok(second.signal === 'SIGKILL' || second.code === 0, `second run: ${second.stderr.slice(-500)}`);
      const last = await backfill(configPath, db);
      assert.equal(last.code, 0, `the rerun completed: ${last.stderr.slice(-500)}`);

      const store = await openStore(db);
      try {
        const stored = await store.readCandles(BTC, parseTime('2020-01-01'), parseTime('2020-01-04'));
        const days = [archiveDay('2020-01-01'), archiveDay('2020-01-02'), archiveDay('2020-01-03')];
        assert.equal(stored.length, 4320);
        let i = 0;
        for (const day of days) {
          for (let j = 0; j < day.length; j++, i++) {
            for (const f of CANDLE_FIELDS) if (stored[f][i] !== day[f][j]) assert.fail(`${f} of row ${i} differs from the archive`);
          }
        }
        assert.equal((await store.seriesStats(BTC))?.count, 4320, 'no duplicates');
        for (const d of ['2020-01-01', '2020-01-02', '2020-01-03']) assert.equal((await store.getManifest(BTC_1M_KEY(d)))?.rows, 1440);
      } finally {
        await store.close();
      }
    } finally {
      await drop();
      await replay.close();
    }
  });
}
