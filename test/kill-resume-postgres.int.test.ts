import { JOB_LEASE_MS } from '../src/store/sql/runs-sql.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { killResumeScenario } from './kill-resume.scenario.js';

killResumeScenario('PostgreSQL', {
  makeDb: async () => {
    const db = await createTempDatabase();
    return { db: db.url, drop: () => db.drop() };
  },
  // Other processes may share the database, so a job is dead once its heartbeat lease lapsed: look from after that.
  openLater: async (db) => {
    const store = PostgresStore.open(db, { now: () => Date.now() + JOB_LEASE_MS + 1_000 });
    await store.migrate();
    return store;
  },
});
