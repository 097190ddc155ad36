import { openStore } from '../store/open-store.js';
import { createTempDatabase } from '../store/test-support/temp-postgres.js';
import { healthScenario } from './test-support/health-scenario.js';

healthScenario('PostgreSQL', {
  open: async () => {
    const temp = await createTempDatabase();
    return { store: await openStore(temp.url), drop: () => temp.drop() };
  },
});
