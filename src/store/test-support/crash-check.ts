/**
 * Test helper: runs crash-writer.ts against `db` and SIGKILLs it while a write transaction is
 * open (paused between its rows and its COMMIT), then checks on reopening that the paused write
 * left nothing and every earlier series has its full rows and its manifest entry.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openStore } from '../open-store.js';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Kills the writer inside its `pausedAt`-th write (0-based) and checks the store.
 * @returns the index of the write that was open when the process died.
 */
export async function killMidWriteAndCheck(db: string, pausedAt = 2): Promise<number> {
  const prefix = `R${randomBytes(3).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, db, prefix], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const committed: number[] = [];
  let killedIn: number | null = null;
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        const [what, n] = line.split(' ');
        if (what === 'committed') committed.push(Number(n));
        if (what === 'paused' && Number(n) === pausedAt && killedIn === null) {
          killedIn = pausedAt;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without being killed (${signal})`))));
  });
  assert.equal(killedIn, pausedAt, 'the kill landed while a write transaction was open');
  assert.deepEqual(committed, Array.from({ length: pausedAt }, (_, i) => i), 'every write before the paused one had committed');
  const store = await openStore(db);
  try {
    for (let i = 0; i <= pausedAt + 1; i++) {
      const stats = await store.seriesStats({ exchange: 'crash', symbol: `${prefix}S${i}`, interval: '1m' });
      const entry = await store.getManifest(`crash/${prefix}S${i}.zip`);
      if (i < pausedAt) {
        assert.equal(stats?.count, 1440, `S${i} committed before the kill but has ${stats?.count ?? 0} rows`);
        assert.equal(entry?.rows, 1440, `S${i} committed before the kill but has no manifest entry`);
      } else {
        assert.equal(stats, null, `S${i} (open or not begun at the kill) has ${stats?.count} rows`);
        assert.equal(entry, null, `S${i} (open or not begun at the kill) has a manifest entry`);
      }
    }
    return pausedAt;
  } finally {
    await store.close();
  }
}
