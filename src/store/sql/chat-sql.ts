/**
 * Telegram chats linked to users and the one-time codes that link them, shared by both SQL
 * backends. A chat is linked to one user at a time; linking it again moves it. A code is kept as
 * its SHA-256 hex and consumed by deleting it, so two redeems racing on PostgreSQL cannot both
 * win (the second DELETE finds no row).
 */
import { createHash } from 'node:crypto';
import type { ChatLink } from '../alert-records.js';
import type { SqlExecutor, SqlSession } from './sql-session.js';
import { col, toNumber, toText, toTextOrNull } from './sql-values.js';

/** The outbox channel of a Telegram chat (alert-records.ts: `telegram:<chat id>`). */
export function telegramChannel(chatId: string): string {
  return `telegram:${chatId}`;
}

function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

function linkFromRow(r: unknown[]): ChatLink {
  return {
    userId: toNumber(col(r, 0), 'chat user_id'),
    chatId: toText(col(r, 1), 'chat_id'),
    title: toTextOrNull(col(r, 2), 'chat title'),
    linkedAt: toNumber(col(r, 3), 'chat linked_at'),
  };
}

export async function createLinkCodeSql(db: SqlExecutor, userId: number, code: string, expiresAt: number): Promise<void> {
  await db.run('INSERT INTO link_codes (code_hash, user_id, expires_at) VALUES ($1, $2, $3)', [codeHash(code), userId, expiresAt]);
}

async function upsertLink(db: SqlExecutor, link: ChatLink): Promise<ChatLink> {
  await db.run(
    `INSERT INTO chat_links (chat_id, user_id, title, linked_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (chat_id) DO UPDATE SET user_id = excluded.user_id, title = excluded.title, linked_at = excluded.linked_at`,
    [link.chatId, link.userId, link.title, link.linkedAt],
  );
  return link;
}

/** A code is valid while `now` < its expiry; expired codes are removed on the way. */
export function redeemLinkCodeSql(db: SqlSession, code: string, chatId: string, title: string | null, now: number): Promise<ChatLink | null> {
  return db.transaction(async (tx) => {
    await tx.run('DELETE FROM link_codes WHERE expires_at <= $1', [now]);
    const rows = await tx.all('DELETE FROM link_codes WHERE code_hash = $1 RETURNING user_id', [codeHash(code)]);
    if (!rows[0]) return null;
    return upsertLink(tx, { userId: toNumber(col(rows[0], 0), 'link code user_id'), chatId, title, linkedAt: now });
  });
}

export function linkChatSql(db: SqlExecutor, userId: number, chatId: string, title: string | null, now: number): Promise<ChatLink> {
  return upsertLink(db, { userId, chatId, title, linkedAt: now });
}

export async function unlinkChatSql(db: SqlExecutor, userId: number, chatId: string): Promise<boolean> {
  return (await db.run('DELETE FROM chat_links WHERE user_id = $1 AND chat_id = $2', [userId, chatId])) > 0;
}

export async function listChatLinksSql(db: SqlExecutor, userId?: number): Promise<ChatLink[]> {
  const select = 'SELECT user_id, chat_id, title, linked_at FROM chat_links';
  const rows = userId === undefined
    ? await db.all(`${select} ORDER BY user_id, linked_at, chat_id`)
    : await db.all(`${select} WHERE user_id = $1 ORDER BY linked_at, chat_id`, [userId]);
  return rows.map(linkFromRow);
}

export async function chatOwnerSql(db: SqlExecutor, chatId: string): Promise<number | null> {
  const rows = await db.all('SELECT user_id FROM chat_links WHERE chat_id = $1', [chatId]);
  return rows[0] ? toNumber(col(rows[0], 0), 'chat user_id') : null;
}

/**
 * Telegram gives a group that became a supergroup a new chat id (`migrate_to_chat_id`): the link
 * and the pending deliveries move to it; delivered and failed rows keep the id they were sent to.
 * The link row is copied then deleted rather than its key updated: DuckDB rewrites a key update
 * as a delete and an insert and checks the key eagerly.
 * @see https://core.telegram.org/bots/api#message (migrate_to_chat_id)
 */
export function migrateChatSql(db: SqlSession, fromChatId: string, toChatId: string): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO chat_links (chat_id, user_id, title, linked_at)
       SELECT CAST($2 AS VARCHAR), user_id, title, linked_at FROM chat_links WHERE chat_id = $1
       ON CONFLICT (chat_id) DO NOTHING`,
      [fromChatId, toChatId],
    );
    await tx.run('DELETE FROM chat_links WHERE chat_id = $1', [fromChatId]);
    await tx.run("UPDATE outbox SET channel = $2 WHERE channel = $1 AND status = 'pending'", [telegramChannel(fromChatId), telegramChannel(toChatId)]);
  });
}
