import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { cliScenario } from './cli.scenario.js';

cliScenario('PostgreSQL', async () => {
  const db = await createTempDatabase();
  return { db: db.url, drop: () => db.drop() };
});
