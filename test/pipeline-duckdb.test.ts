import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { runPipelineScenarios } from './pipeline.scenarios.js';

runPipelineScenarios('DuckDB', () => openStore(join(mkdtempSync(join(tmpdir(), 'tf-pipeline-')), 'test.duckdb')));
