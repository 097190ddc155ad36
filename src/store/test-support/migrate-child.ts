/**
 * Child process for the concurrent-migration test: connects to PostgreSQL, prints `ready`, waits
 * for a line on stdin (so that every child starts migrating at once), runs the migrations and
 * prints the versions this process applied as JSON.
 * Usage: node --import tsx migrate-child.ts <postgres-url>
 */
import { once } from 'node:events';
import { runMigrations } from '../migrations/run-migrations.js';
import { PostgresSession } from '../postgres/postgres-session.js';

const url = process.argv[2];
if (!url) throw new Error('usage: migrate-child.ts <postgres-url>');
const session = new PostgresSession(url, 2);
await session.all('SELECT 1'); // connected before the start line, so the race is in the migrations
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
await once(process.stdin, 'data');
try {
  process.stdout.write(`${JSON.stringify({ applied: await runMigrations(session) })}\n`);
} finally {
  await session.end();
}
