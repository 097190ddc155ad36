import { after, before } from 'node:test';
import { openStore } from '../store/open-store.js';
import { createTempDatabase, type TempDatabase } from '../store/test-support/temp-postgres.js';
import { authContract } from './auth.contract.js';

let db: TempDatabase;
before(async () => {
  db = await createTempDatabase();
});
after(() => db.drop());

// One database for the file: each case's store starts from the previous one's rows, so user names are reused only through a wipe.
authContract('postgres', async () => {
  const store = await openStore(db.url);
  for (const u of await store.listUsers()) await store.deleteUser(u.id);
  return store;
});
