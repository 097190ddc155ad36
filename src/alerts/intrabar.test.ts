import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.js';
import { intrabarScenario } from './test-support/intrabar-scenario.js';

intrabarScenario('DuckDB', {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-intrabar-'));
    return { store: await openStore(join(dir, 'i.duckdb')), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});
