import { after } from 'node:test';
import { openStore } from '../src/store/open-store.js';
import { createTempDatabase, type TempDatabase } from '../src/store/test-support/temp-postgres.js';
import { runPipelineScenarios } from './pipeline.scenarios.js';

const databases: TempDatabase[] = [];
after(async () => {
  for (const db of databases) await db.drop();
});

runPipelineScenarios('PostgreSQL', async () => {
  const db = await createTempDatabase();
  databases.push(db);
  return openStore(db.url);
});
