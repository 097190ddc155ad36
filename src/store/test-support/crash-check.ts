/**
 * Test helper: runs crash-writer.ts against `db`, SIGKILLs it in the middle of its writes, then
 * checks on reopening that every series has either its full rows and its manifest entry, or neither.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from '../open-store.js';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Returns how many writes had committed (as the child reported) before the kill. */
export async function killMidWriteAndCheck(db: string, commitsBeforeKill = 3): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let reported = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      reported += text.split('\n').filter(Boolean).length;
      // Kill while the next write is in flight: its COPY/append has started, its COMMIT has not.
      if (reported >= commitsBeforeKill) setTimeout(() => child.kill('SIGKILL'), 5);
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without being killed (${signal})`))));
  });
  const store = await openStore(db);
  try {
    const manifest = await store.listManifest('crash/');
    assert.ok(manifest.length >= reported, `${manifest.length} manifest entries, ${reported} commits reported`);
    for (let i = 0; i <= manifest.length + 1; i++) {
      const stats = await store.seriesStats({ exchange: 'crash', symbol: `S${i}`, interval: '1m' });
      const entry = await store.getManifest(`crash/S${i}.zip`);
      if (entry) assert.equal(stats?.count, 1440, `S${i} has a manifest entry but ${stats?.count ?? 0} rows`);
      else assert.equal(stats, null, `S${i} has ${stats?.count} rows but no manifest entry`);
    }
    return reported;
  } finally {
    await store.close();
  }
}
