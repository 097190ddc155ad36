/**
 * What the store keeps for alerts and users: the records and the operations both backends
 * implement (migration 005 for alerts, 006 for users). The store does not interpret a rule: its
 * definition and fire state are JSON documents the alerts module validates and reads.
 *
 * Ownership: every read and change of a rule or firing names its user, and a row of another user
 * is treated as absent, so the API cannot leak or change another user's data by id.
 */

/** A stored rule. `definition` is the alerts module's rule document (expression, scope, channels …). */
export interface StoredRule {
  id: number;
  userId: number;
  name: string;
  definition: unknown;
  enabled: boolean;
  /** Epoch ms until which the rule does not fire (`alerts mute`), or null. */
  mutedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A rule's fire state (last firing per symbol, `for N bars` counters, previous operand values …), JSON. */
export interface StoredRuleState {
  ruleId: number;
  state: unknown;
  updatedAt: number;
}

/** A firing as the evaluator produced it, before it has an id. */
export interface NewFiring {
  ruleId: number;
  userId: number;
  exchange: string;
  symbol: string;
  interval: string;
  /** Open time of the bar that caused it. */
  barOpenTime: number;
  firedAt: number;
  /** The bar and the operand values that caused it, JSON. */
  inputs: unknown;
  /** The bar was still incomplete when it was evaluated (evaluated after the grace period). */
  incomplete: boolean;
  /** Human text of the message (channels format their own, this is the fallback and the history line). */
  message: string;
  /** One outbox row is written per channel, e.g. `telegram:123456`, `webhook:https://…`, `dashboard`. */
  channels: string[];
}

/**
 * How far the rules of an exchange were evaluated on one series: every closed bar opening before
 * `evaluatedUntil` (epoch ms) was evaluated. A new evaluator starts from it (migration 12).
 */
export interface EvaluationMark {
  exchange: string;
  symbol: string;
  interval: string;
  evaluatedUntil: number;
}

export interface StoredFiring extends Omit<NewFiring, 'channels'> {
  id: number;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** One delivery of one firing to one channel. Idempotency key: `firing-<firingId>-<channel>`. */
export interface OutboxItem {
  id: number;
  firingId: number;
  userId: number;
  channel: string;
  idempotencyKey: string;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms at which the worker may try it (again). */
  nextAttemptAt: number;
  lastError: string | null;
  deliveredAt: number | null;
}

/** A Telegram chat linked to a user: alerts go only to linked chats, and only linked chats may command the bot. */
export interface ChatLink {
  userId: number;
  chatId: string;
  title: string | null;
  linkedAt: number;
}

export type UserRole = 'admin' | 'user';

export interface User {
  id: number;
  name: string;
  role: UserRole;
  /** IANA time zone, e.g. `Europe/Amsterdam`: quiet hours are in it. */
  timezone: string;
  createdAt: number;
}

export interface ApiTokenInfo {
  id: number;
  userId: number;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AlertStore {
  createRule(userId: number, name: string, definition: unknown, now: number): Promise<StoredRule>;
  /** Replaces name/definition/enabled/mutedUntil of the user's rule; null when it is not theirs or absent. */
  updateRule(userId: number, id: number, change: Partial<Pick<StoredRule, 'name' | 'definition' | 'enabled' | 'mutedUntil'>>, now: number): Promise<StoredRule | null>;
  /** Deletes the user's rule with its state (firings stay for the history); false when not theirs or absent. */
  deleteRule(userId: number, id: number): Promise<boolean>;
  getRule(userId: number, id: number): Promise<StoredRule | null>;
  listRules(userId: number): Promise<StoredRule[]>;
  /** Every enabled rule of every user, for the evaluator. */
  listEnabledRules(): Promise<StoredRule[]>;
  listRuleStates(): Promise<StoredRuleState[]>;

  /**
   * One evaluation's result, in one transaction: the new rule states (upserted, the last per rule
   * wins), the firings and one outbox row per distinct firing channel, due at the firing's
   * `firedAt`. Returns the firings with their ids. A firing whose rule was deleted meanwhile (or
   * is not its `userId`'s) is dropped and not returned; a firing the database refuses (empty
   * symbol, negative open time, `firedAt` before the bar) rolls the whole evaluation back.
   * A rule fires once per bar: a firing of a rule, symbol, interval and bar open time already
   * stored (by another evaluator, or before a crash) is dropped with its outbox rows and not
   * returned. `marks` are upserted in the same transaction (a mark never moves back).
   */
  recordEvaluation(states: readonly StoredRuleState[], firings: readonly NewFiring[], marks?: readonly EvaluationMark[]): Promise<StoredFiring[]>;
  /** The evaluation marks of the exchange's series. */
  listEvaluationMarks(exchange: string): Promise<EvaluationMark[]>;
  /** The user's firings, newest first; `since` keeps those with firedAt ≥ since. */
  listFirings(userId: number, filter: { ruleId?: number; since?: number; limit: number }): Promise<StoredFiring[]>;

  /** Pending outbox rows with nextAttemptAt ≤ `now` and no live claim, by nextAttemptAt then id (a backed-off row waits behind newer due ones). */
  dueOutbox(now: number, limit: number): Promise<OutboxItem[]>;
  /**
   * The delivery worker's claim: of `ids` (picked from dueOutbox), those still due are claimed
   * until `now + leaseMs` and returned. Two workers never get the same row while its lease runs;
   * markDelivered, markAttemptFailed and releaseOutbox end the claim, and a lapsed one (its worker
   * died) makes the row due again.
   */
  claimOutbox(ids: readonly number[], now: number, leaseMs: number): Promise<OutboxItem[]>;
  /** Ends a claim without an outcome (a send aborted by a stop): the row is due again at once. */
  releaseOutbox(outboxId: number): Promise<void>;
  /** Any user's firing, for the delivery worker (the API reads firings through listFirings). */
  getFiring(id: number): Promise<StoredFiring | null>;
  /**
   * A firing's deliveries, one per channel, by id. With `userId` (the dashboard's delivery status)
   * only when the firing is that user's, else []; without it, the delivery worker's and tests' view.
   */
  listOutbox(firingId: number, userId?: number): Promise<OutboxItem[]>;
  markDelivered(outboxId: number, at: number): Promise<void>;
  /** Counts an attempt (error kept up to 2,000 characters); `nextAttemptAt` null marks the row failed for good. Only pending rows change. */
  markAttemptFailed(outboxId: number, error: string, nextAttemptAt: number | null): Promise<void>;

  /** Stores a one-time link code (as its SHA-256) for the user, valid while now < `expiresAt`. */
  createLinkCode(userId: number, code: string, expiresAt: number): Promise<void>;
  /** Consumes a valid code (once) and links the chat to its user; null for an unknown, used or expired code. */
  redeemLinkCode(code: string, chatId: string, title: string | null, now: number): Promise<ChatLink | null>;
  /** Links a chat directly (the local admin's CLI). A chat has one user: linking it again moves it. */
  linkChat(userId: number, chatId: string, title: string | null, now: number): Promise<ChatLink>;
  /** Unlinks the user's chat; false when it is not linked to them. */
  unlinkChat(userId: number, chatId: string): Promise<boolean>;
  listChatLinks(userId?: number): Promise<ChatLink[]>;
  /** The user a chat is linked to, or null. */
  chatOwner(chatId: string): Promise<number | null>;
  /** A group migrated to a supergroup: its link and pending outbox rows (`telegram:<id>`) follow the new id. */
  migrateChat(fromChatId: string, toChatId: string): Promise<void>;
}

export interface UserStore {
  /** Creates a user; `passwordHash` is the scrypt hash string (the store never sees a password). BadInputError when the name is taken. */
  createUser(name: string, role: UserRole, timezone: string, passwordHash: string, now: number): Promise<User>;
  getUserByName(name: string): Promise<(User & { passwordHash: string }) | null>;
  getUser(id: number): Promise<User | null>;
  listUsers(): Promise<User[]>;
  setPasswordHash(userId: number, passwordHash: string): Promise<boolean>;
  updateUser(userId: number, change: Partial<Pick<User, 'timezone' | 'role'>>): Promise<User | null>;
  /** Deletes the user with everything of theirs, in one transaction: tokens, rules, states, firings, outbox rows, chat links, link codes. */
  deleteUser(userId: number): Promise<boolean>;

  /** Stores a token by its SHA-256 hash (the token itself is shown once, never stored). */
  createApiToken(userId: number, label: string, tokenHash: string, now: number): Promise<ApiTokenInfo>;
  /** The user of a valid (not revoked) token hash, updating its last use (to the minute); null otherwise. */
  userForTokenHash(tokenHash: string, now: number): Promise<User | null>;
  listApiTokens(userId: number): Promise<ApiTokenInfo[]>;
  revokeApiToken(userId: number, tokenId: number, now: number): Promise<boolean>;
}
