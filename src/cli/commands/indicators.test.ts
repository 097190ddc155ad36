import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filterRows } from '../../store/contract/contract-helpers.js';
import { openStore } from '../../store/open-store.js';
import { btcusdtDay } from '../../store/test-support/fixture-candles.js';
import { CANDLE_FIELDS, allocateColumns } from '../../core/candle.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

test('indicators - the missing-minutes note joins a run that crosses the 30-day steps it reads in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-ind-note-'));
  const db = join(dir, 'x.duckdb');
  const store = await openStore(db);
  // 2020-01-01 00:00–00:09, then the same ten candles moved 31 days on (2020-02-01 00:00–00:09).
  const first = filterRows(btcusdtDay(1), (i) => i < 10);
  const both = allocateColumns(20);
  for (const shift of [0, 31 * 86_400_000]) {
    for (let i = 0; i < 10; i++) {
      const j = both.length++;
      for (const f of CANDLE_FIELDS) both[f][j] = first[f][i] as number;
      both.openTime[j] = (first.openTime[i] as number) + shift;
      both.closeTime[j] = (first.closeTime[i] as number) + shift;
    }
  }
  await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, both, 'archive');
  await store.close();
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--db', db, 'indicators', 'BTCUSDT', '--interval', '1m', '--from', '2020-01-01', '--to', '2020-02-02', '--warmup', '0', '--format', 'csv'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 21);
    // 2020-01-01 00:10 … 2020-01-31 23:59: 31 days less 10 minutes, one run although it spans two reads.
    assert.equal(
      r.stderr,
      `note: ${31 * 1440 - 10} 1m candles of BTCUSDT missing in the data read (2020-01-01 00:10–2020-01-31 23:59); ` +
        'bars over them are built from the minutes present. `tickerflow gaps BTCUSDT` classifies and repairs them.\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
