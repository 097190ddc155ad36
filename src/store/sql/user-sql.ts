/**
 * Users and their API tokens, shared by both SQL backends. The store keeps a password only as
 * its scrypt hash string and a token only as its SHA-256 hex (src/api/auth/ makes both).
 */
import { BadInputError, StoreError } from '../../core/errors.js';
import type { ApiTokenInfo, User, UserRole } from '../alert-records.js';
import { insertReturningId } from './insert-returning-id.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { col, toNumber, toNumberOrNull, toText } from './sql-values.js';

/** A token's last use is written at most this often, so an API client's every request is not a write. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

const USER_COLUMNS = 'id, name, role, timezone, created_at';

function role(v: unknown): UserRole {
  const s = toText(v, 'user role');
  if (s !== 'admin' && s !== 'user') throw new StoreError(`unknown user role "${s}" in the store`);
  return s;
}

function userFromRow(r: unknown[], at = 0): User {
  return {
    id: toNumber(col(r, at), 'user id'),
    name: toText(col(r, at + 1), 'user name'),
    role: role(col(r, at + 2)),
    timezone: toText(col(r, at + 3), 'user timezone'),
    createdAt: toNumber(col(r, at + 4), 'user created_at'),
  };
}

/**
 * @throws BadInputError when the name is taken. (Checked before the insert, outside a transaction,
 * whose errors surface as StoreError; two processes racing for one name still meet the UNIQUE.)
 */
export async function createUserSql(db: SqlExecutor, name: string, userRole: UserRole, timezone: string, passwordHash: string, now: number): Promise<User> {
  if ((await db.all('SELECT id FROM users WHERE name = $1', [name])).length > 0) throw new BadInputError(`user "${name}" already exists`);
  const id = await insertReturningId(db, 'INSERT INTO users (name, role, timezone, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
    name, userRole, timezone, passwordHash, now,
  ]);
  return { id, name, role: userRole, timezone, createdAt: now };
}

export async function getUserByNameSql(db: SqlExecutor, name: string): Promise<(User & { passwordHash: string }) | null> {
  const rows = await db.all(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE name = $1`, [name]);
  return rows[0] ? { ...userFromRow(rows[0]), passwordHash: toText(col(rows[0], 5), 'password hash') } : null;
}

export async function getUserSql(db: SqlExecutor, id: number): Promise<User | null> {
  const rows = await db.all(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? userFromRow(rows[0]) : null;
}

export async function listUsersSql(db: SqlExecutor): Promise<User[]> {
  return (await db.all(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`)).map((r) => userFromRow(r));
}

export async function setPasswordHashSql(db: SqlExecutor, userId: number, passwordHash: string): Promise<boolean> {
  return (await db.run('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash])) > 0;
}

export async function updateUserSql(db: SqlExecutor, userId: number, change: Partial<Pick<User, 'timezone' | 'role'>>): Promise<User | null> {
  const params: SqlParam[] = [userId];
  const sets: string[] = [];
  if (change.timezone !== undefined) sets.push(`timezone = $${params.push(change.timezone)}`);
  if (change.role !== undefined) sets.push(`role = $${params.push(change.role)}`);
  if (sets.length === 0) return getUserSql(db, userId);
  const rows = await db.all(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`, params);
  return rows[0] ? userFromRow(rows[0]) : null;
}

/** Everything that is the user's goes with them, in one transaction: nothing of theirs is left to deliver or read. */
export function deleteUserSql(db: SqlSession, userId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.run('DELETE FROM rule_states WHERE rule_id IN (SELECT id FROM rules WHERE user_id = $1)', [userId]);
    await tx.run('DELETE FROM outbox_claims WHERE outbox_id IN (SELECT id FROM outbox WHERE user_id = $1)', [userId]);
    for (const table of ['rules', 'outbox', 'firings', 'chat_links', 'link_codes', 'api_tokens']) {
      await tx.run(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
    }
    return (await tx.run('DELETE FROM users WHERE id = $1', [userId])) > 0;
  });
}

const TOKEN_COLUMNS = 'id, user_id, label, created_at, last_used_at, revoked_at';

function tokenFromRow(r: unknown[]): ApiTokenInfo {
  return {
    id: toNumber(col(r, 0), 'token id'),
    userId: toNumber(col(r, 1), 'token user_id'),
    label: toText(col(r, 2), 'token label'),
    createdAt: toNumber(col(r, 3), 'token created_at'),
    lastUsedAt: toNumberOrNull(col(r, 4), 'token last_used_at'),
    revokedAt: toNumberOrNull(col(r, 5), 'token revoked_at'),
  };
}

export async function createApiTokenSql(db: SqlExecutor, userId: number, label: string, tokenHash: string, now: number): Promise<ApiTokenInfo> {
  const id = await insertReturningId(db, 'INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4)', [userId, label, tokenHash, now]);
  return { id, userId, label, createdAt: now, lastUsedAt: null, revokedAt: null };
}

/** The token's user, when the token is known and not revoked; its last use is recorded to the minute. */
export async function userForTokenHashSql(db: SqlExecutor, tokenHash: string, now: number): Promise<User | null> {
  const rows = await db.all(
    `SELECT t.id, t.last_used_at, u.id, u.name, u.role, u.timezone, u.created_at
     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [tokenHash],
  );
  const r = rows[0];
  if (!r) return null;
  const lastUsed = toNumberOrNull(col(r, 1), 'token last_used_at');
  if (lastUsed === null || now - lastUsed >= TOKEN_USE_RESOLUTION_MS) {
    await db.run('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [toNumber(col(r, 0), 'token id'), now]);
  }
  return userFromRow(r, 2);
}

export async function listApiTokensSql(db: SqlExecutor, userId: number): Promise<ApiTokenInfo[]> {
  return (await db.all(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id`, [userId])).map(tokenFromRow);
}

/** False when the token is not the user's, absent, or already revoked. */
export async function revokeApiTokenSql(db: SqlExecutor, userId: number, tokenId: number, now: number): Promise<boolean> {
  return (await db.run('UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL', [userId, tokenId, now])) > 0;
}
