/**
 * Child process for the crash tests: writes one real archive day per series with its manifest
 * entry, forever, printing a line after each commit, until the parent kills it with SIGKILL.
 * Usage: node --import tsx crash-writer.ts <db>
 */
import { openStore } from '../open-store.js';
import { btcusdtDay } from './fixture-candles.js';

const db = process.argv[2];
if (!db) throw new Error('usage: crash-writer.ts <db>');
const store = await openStore(db);
const day = btcusdtDay(1);
for (let i = 0; ; i++) {
  await store.writeCandles({ exchange: 'crash', symbol: `S${i}`, interval: '1m' }, day, 'archive', {
    key: `crash/S${i}.zip`, size: 1, sha256: '00'.repeat(32), lastModified: null, rows: day.length, ingestedAt: i,
  });
  process.stdout.write(`${i}\n`);
}
