/**
 * Migration 8: outbox claims. A worker claims the due rows it is about to send (a lease until
 * `claimed_until`, epoch ms on the worker's clock), so two workers on one PostgreSQL database never
 * send one row twice; a lapsed lease (its worker died) makes the row claimable again.
 *
 * A table of its own, not a column of `outbox`: DuckDB (1.5) cannot replay a WAL holding an ALTER
 * TABLE of a table whose id defaults to nextval() (see 003). A released claim keeps its row with
 * `claimed_until = 0`, so a claimer that read a stale snapshot meets it in ON CONFLICT.
 */
import type { Migration } from './migration.js';

function statements(): string[] {
  return ['CREATE TABLE outbox_claims (outbox_id BIGINT PRIMARY KEY, claimed_until BIGINT NOT NULL)'];
}

export const outboxClaims: Migration = { version: 8, name: 'outbox claims', statements };
