import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killResumeScenario } from './kill-resume.scenario.js';

killResumeScenario('DuckDB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-kill-db-'));
  return { db: join(dir, 'tickerflow.duckdb'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
});
