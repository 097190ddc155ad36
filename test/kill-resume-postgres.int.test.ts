import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { killResumeScenario } from './kill-resume.scenario.js';

killResumeScenario('PostgreSQL', async () => {
  const db = await createTempDatabase();
  return { db: db.url, drop: () => db.drop() };
});
