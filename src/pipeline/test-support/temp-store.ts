/** Test helper: a fresh DuckDB store in a temporary folder, and a silent logger. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

export const silentLogger = pino({ level: 'silent' });

export function tempStore(): Promise<Store> {
  return openStore(join(mkdtempSync(join(tmpdir(), 'tf-pipeline-')), 'test.duckdb'));
}
