/** Test helper: a fresh in-memory DuckDB store (the pipeline's tests count jobs, not fsyncs), and a silent logger. */
import { pino } from 'pino';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

export const silentLogger = pino({ level: 'silent' });

export function tempStore(): Promise<Store> {
  return openStore(':memory:');
}
