import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.js';
import { healthScenario } from './test-support/health-scenario.js';

healthScenario('DuckDB', {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-health-'));
    return { store: await openStore(join(dir, 'h.duckdb')), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});
