import { openStore } from '../store/open-store.js';
import { createTempDatabase } from '../store/test-support/temp-postgres.js';
import { intrabarScenario } from './test-support/intrabar-scenario.js';

intrabarScenario('PostgreSQL', {
  open: async () => {
    const temp = await createTempDatabase();
    return { store: await openStore(temp.url), drop: () => temp.drop() };
  },
});
