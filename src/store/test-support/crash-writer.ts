/**
 * Child process for the crash tests: writes one real archive day per series with its manifest
 * entry, forever, until the parent kills it with SIGKILL. With the store's test-only pause point,
 * each write prints `paused <i>` once its rows are in and waits before COMMIT, then `committed <i>`.
 * Usage: node --import tsx crash-writer.ts <db> <prefix>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../open-store.js';
import { btcusdtDay } from './fixture-candles.js';

const [db, prefix] = process.argv.slice(2);
if (!db || !prefix) throw new Error('usage: crash-writer.ts <db> <prefix>');
let i = 0;
const store = await openStore(db, {
  beforeCommit: async () => {
    process.stdout.write(`paused ${i}\n`);
    await sleep(1_000);
  },
});
const day = btcusdtDay(1);
for (; ; i++) {
  await store.writeCandles({ exchange: 'crash', symbol: `${prefix}S${i}`, interval: '1m' }, day, 'archive', {
    key: `crash/${prefix}S${i}.zip`, size: 1, sha256: '00'.repeat(32), lastModified: null, rows: day.length, ingestedAt: i,
  });
  process.stdout.write(`committed ${i}\n`);
}
