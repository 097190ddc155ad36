import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { killResumeScenario } from './kill-resume.scenario.js';

killResumeScenario('DuckDB', {
  makeDb: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-kill-db-'));
    return { db: join(dir, 'tickerflow.duckdb'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  // One process holds a DuckDB file, so the next open already knows the killed job is dead.
  openLater: (db) => openStore(db),
});
