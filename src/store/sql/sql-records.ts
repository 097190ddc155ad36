/**
 * The alert, user and signal records of both SQL backends (AlertStore, UserStore, SignalStore), over a SqlSession.
 * SqlStore builds on it, so each backend gets them without code of its own.
 */
import type { AlertStore, ApiTokenInfo, ChatLink, EvaluationMark, NewFiring, OutboxItem, StoredFiring, StoredRule, StoredRuleState, User, UserRole, UserStore } from '../alert-records.js';
import { chatOwnerSql, createLinkCodeSql, linkChatSql, listChatLinksSql, migrateChatSql, redeemLinkCodeSql, unlinkChatSql } from './chat-sql.js';
import { getFiringSql, listEvaluationMarksSql, listFiringsSql, recordEvaluationSql } from './firing-sql.js';
import { claimOutboxSql, dueOutboxSql, listOutboxSql, markAttemptFailedSql, markDeliveredSql, releaseOutboxSql } from './outbox-sql.js';
import {
  createRuleSql, deleteRuleSql, getRuleSql, listEnabledRulesSql, listRulesSql, listRuleStatesSql, updateRuleSql, type RuleChange,
} from './rule-sql.js';
import type { LiquidityWindow, SignalStore } from '../signal-records.js';
import { readSignalsSql, upsertSignalsSql } from './signal-sql.js';
import type { SqlSession } from './sql-session.js';
import {
  createApiTokenSql, createUserSql, deleteUserSql, getUserByNameSql, getUserSql, listApiTokensSql, listUsersSql, revokeApiTokenSql, setPasswordHashSql,
  updateUserSql, userForTokenHashSql,
} from './user-sql.js';

export abstract class SqlRecords implements AlertStore, UserStore, SignalStore {
  protected constructor(protected readonly db: SqlSession) {}

  upsertSignals(windows: readonly LiquidityWindow[]): Promise<number> {
    return upsertSignalsSql(this.db, windows);
  }
  readSignals(exchange: string, symbol: string, windowMs: number, from: number, to: number): Promise<LiquidityWindow[]> {
    return readSignalsSql(this.db, exchange, symbol, windowMs, from, to);
  }

  createRule(userId: number, name: string, definition: unknown, now: number): Promise<StoredRule> {
    return createRuleSql(this.db, userId, name, definition, now);
  }
  updateRule(userId: number, id: number, change: RuleChange, now: number): Promise<StoredRule | null> {
    return updateRuleSql(this.db, userId, id, change, now);
  }
  deleteRule(userId: number, id: number): Promise<boolean> {
    return deleteRuleSql(this.db, userId, id);
  }
  getRule(userId: number, id: number): Promise<StoredRule | null> {
    return getRuleSql(this.db, userId, id);
  }
  listRules(userId: number): Promise<StoredRule[]> {
    return listRulesSql(this.db, userId);
  }
  listEnabledRules(): Promise<StoredRule[]> {
    return listEnabledRulesSql(this.db);
  }
  listRuleStates(): Promise<StoredRuleState[]> {
    return listRuleStatesSql(this.db);
  }

  recordEvaluation(states: readonly StoredRuleState[], firings: readonly NewFiring[], marks: readonly EvaluationMark[] = []): Promise<StoredFiring[]> {
    return recordEvaluationSql(this.db, states, firings, marks);
  }
  listEvaluationMarks(exchange: string): Promise<EvaluationMark[]> {
    return listEvaluationMarksSql(this.db, exchange);
  }
  listFirings(userId: number, filter: { ruleId?: number; since?: number; limit: number }): Promise<StoredFiring[]> {
    return listFiringsSql(this.db, userId, filter);
  }
  getFiring(id: number): Promise<StoredFiring | null> {
    return getFiringSql(this.db, id);
  }

  listOutbox(firingId: number, userId?: number): Promise<OutboxItem[]> {
    return listOutboxSql(this.db, firingId, userId);
  }
  dueOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return dueOutboxSql(this.db, now, limit);
  }
  claimOutbox(ids: readonly number[], now: number, leaseMs: number): Promise<OutboxItem[]> {
    return claimOutboxSql(this.db, ids, now, leaseMs);
  }
  releaseOutbox(outboxId: number): Promise<void> {
    return releaseOutboxSql(this.db, outboxId);
  }
  markDelivered(outboxId: number, at: number): Promise<void> {
    return markDeliveredSql(this.db, outboxId, at);
  }
  markAttemptFailed(outboxId: number, error: string, nextAttemptAt: number | null): Promise<void> {
    return markAttemptFailedSql(this.db, outboxId, error, nextAttemptAt);
  }

  createLinkCode(userId: number, code: string, expiresAt: number): Promise<void> {
    return createLinkCodeSql(this.db, userId, code, expiresAt);
  }
  redeemLinkCode(code: string, chatId: string, title: string | null, now: number): Promise<ChatLink | null> {
    return redeemLinkCodeSql(this.db, code, chatId, title, now);
  }
  linkChat(userId: number, chatId: string, title: string | null, now: number): Promise<ChatLink> {
    return linkChatSql(this.db, userId, chatId, title, now);
  }
  unlinkChat(userId: number, chatId: string): Promise<boolean> {
    return unlinkChatSql(this.db, userId, chatId);
  }
  listChatLinks(userId?: number): Promise<ChatLink[]> {
    return listChatLinksSql(this.db, userId);
  }
  chatOwner(chatId: string): Promise<number | null> {
    return chatOwnerSql(this.db, chatId);
  }
  migrateChat(fromChatId: string, toChatId: string): Promise<void> {
    return migrateChatSql(this.db, fromChatId, toChatId);
  }

  createUser(name: string, role: UserRole, timezone: string, passwordHash: string, now: number): Promise<User> {
    return createUserSql(this.db, name, role, timezone, passwordHash, now);
  }
  getUserByName(name: string): Promise<(User & { passwordHash: string }) | null> {
    return getUserByNameSql(this.db, name);
  }
  getUser(id: number): Promise<User | null> {
    return getUserSql(this.db, id);
  }
  listUsers(): Promise<User[]> {
    return listUsersSql(this.db);
  }
  setPasswordHash(userId: number, passwordHash: string): Promise<boolean> {
    return setPasswordHashSql(this.db, userId, passwordHash);
  }
  updateUser(userId: number, change: Partial<Pick<User, 'timezone' | 'role'>>): Promise<User | null> {
    return updateUserSql(this.db, userId, change);
  }
  deleteUser(userId: number): Promise<boolean> {
    return deleteUserSql(this.db, userId);
  }

  createApiToken(userId: number, label: string, tokenHash: string, now: number): Promise<ApiTokenInfo> {
    return createApiTokenSql(this.db, userId, label, tokenHash, now);
  }
  userForTokenHash(tokenHash: string, now: number): Promise<User | null> {
    return userForTokenHashSql(this.db, tokenHash, now);
  }
  listApiTokens(userId: number): Promise<ApiTokenInfo[]> {
    return listApiTokensSql(this.db, userId);
  }
  revokeApiToken(userId: number, tokenId: number, now: number): Promise<boolean> {
    return revokeApiTokenSql(this.db, userId, tokenId, now);
  }
}
