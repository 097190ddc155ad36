import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { deliveryScenarios } from './delivery.scenarios.js';

deliveryScenarios('DuckDB', {
  makeDb: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-delivery-kill-'));
    return { db: join(dir, 'tickerflow.duckdb'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  open: (db) => openStore(db),
  second: async (_db, first) => first,
});
