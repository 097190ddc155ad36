import { openStore } from '../src/store/open-store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { deliveryScenarios } from './delivery.scenarios.js';

deliveryScenarios('PostgreSQL', {
  makeDb: async () => {
    const temp = await createTempDatabase();
    return { db: temp.url, drop: () => temp.drop() };
  },
  open: (db) => openStore(db),
  second: (db) => openStore(db),
});
