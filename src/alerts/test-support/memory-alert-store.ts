/**
 * Test support: the AlertStore contract kept in memory, for the engine's tests (the real backends
 * are another engineer's, and pass the store contract suite). It shares no code with the engine;
 * `recordEvaluation` applies all of a call or, when `failNext` is set, none of it.
 */
import type { AlertStore, ChatLink, EvaluationMark, NewFiring, OutboxItem, StoredFiring, StoredRule, StoredRuleState } from '../../store/alert-records.js';

export class MemoryAlertStore implements AlertStore {
  rules = new Map<number, StoredRule>();
  states = new Map<number, StoredRuleState>();
  firings: StoredFiring[] = [];
  outbox: OutboxItem[] = [];
  links: ChatLink[] = [];
  marks = new Map<string, EvaluationMark>();
  codes = new Map<string, { userId: number; expiresAt: number }>();
  /** Transactions committed by recordEvaluation. */
  evaluations = 0;
  /** Makes the next recordEvaluation throw before it changes anything (a failed transaction). */
  failNext = false;
  private ids = 0;

  async createRule(userId: number, name: string, definition: unknown, now: number): Promise<StoredRule> {
    const r: StoredRule = { id: ++this.ids, userId, name, definition: structuredClone(definition), enabled: true, mutedUntil: null, createdAt: now, updatedAt: now };
    this.rules.set(r.id, r);
    return { ...r };
  }

  async updateRule(userId: number, id: number, change: Partial<Pick<StoredRule, 'name' | 'definition' | 'enabled' | 'mutedUntil'>>, now: number): Promise<StoredRule | null> {
    const r = this.rules.get(id);
    if (r === undefined || r.userId !== userId) return null;
    Object.assign(r, structuredClone(change), { updatedAt: now });
    return { ...r };
  }

  async deleteRule(userId: number, id: number): Promise<boolean> {
    const r = this.rules.get(id);
    if (r === undefined || r.userId !== userId) return false;
    this.rules.delete(id);
    this.states.delete(id);
    return true;
  }

  async getRule(userId: number, id: number): Promise<StoredRule | null> {
    const r = this.rules.get(id);
    return r === undefined || r.userId !== userId ? null : { ...r };
  }

  async listRules(userId: number): Promise<StoredRule[]> {
    return [...this.rules.values()].filter((r) => r.userId === userId).map((r) => ({ ...r }));
  }

  async listEnabledRules(): Promise<StoredRule[]> {
    return [...this.rules.values()].filter((r) => r.enabled).map((r) => ({ ...r }));
  }

  async listRuleStates(): Promise<StoredRuleState[]> {
    // Through JSON, as a backend's JSON column would: NaN cannot survive, so it must not be stored.
    return [...this.states.values()].map((s) => JSON.parse(JSON.stringify(s)) as StoredRuleState);
  }

  async listEvaluationMarks(exchange: string): Promise<EvaluationMark[]> {
    return [...this.marks.values()].filter((m) => m.exchange === exchange);
  }

  async recordEvaluation(states: readonly StoredRuleState[], firings: readonly NewFiring[], marks: readonly EvaluationMark[] = []): Promise<StoredFiring[]> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('simulated transaction failure');
    }
    for (const s of states) this.states.set(s.ruleId, JSON.parse(JSON.stringify(s)) as StoredRuleState);
    for (const m of marks) {
      const key = `${m.exchange}|${m.symbol}|${m.interval}`;
      if ((this.marks.get(key)?.evaluatedUntil ?? -Infinity) < m.evaluatedUntil) this.marks.set(key, { ...m });
    }
    const out: StoredFiring[] = [];
    for (const f of firings) {
      // One firing per rule and bar: one stored already is not stored again.
      if (this.firings.some((g) => g.ruleId === f.ruleId && g.symbol === f.symbol && g.interval === f.interval && g.barOpenTime === f.barOpenTime)) continue;
      const { channels, ...rest } = f;
      const stored: StoredFiring = { ...(JSON.parse(JSON.stringify(rest)) as Omit<NewFiring, 'channels'>), id: this.firings.length + 1 };
      this.firings.push(stored);
      out.push(stored);
      for (const channel of channels) {
        this.outbox.push({ id: this.outbox.length + 1, firingId: stored.id, userId: f.userId, channel, idempotencyKey: `firing-${stored.id}-${channel}`, status: 'pending', attempts: 0, nextAttemptAt: f.firedAt, lastError: null, deliveredAt: null });
      }
    }
    this.evaluations++;
    return out;
  }

  async listFirings(userId: number, filter: { ruleId?: number; since?: number; limit: number }): Promise<StoredFiring[]> {
    return this.firings
      .filter((f) => f.userId === userId && (filter.ruleId === undefined || f.ruleId === filter.ruleId) && (filter.since === undefined || f.firedAt >= filter.since))
      .slice(-filter.limit);
  }

  /** Outbox id → claimed until (epoch ms); a claim ends with an outcome or a release. */
  claims = new Map<number, number>();
  async claimOutbox(ids: readonly number[], now: number, leaseMs: number): Promise<OutboxItem[]> {
    const due = (await this.dueOutbox(now, Number.MAX_SAFE_INTEGER)).filter((o) => ids.includes(o.id));
    for (const o of due) this.claims.set(o.id, now + leaseMs);
    return due;
  }
  async releaseOutbox(outboxId: number): Promise<void> {
    this.claims.delete(outboxId);
  }
  async dueOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.status === 'pending' && o.nextAttemptAt <= now && (this.claims.get(o.id) ?? 0) <= now).slice(0, limit);
  }

  async getFiring(id: number): Promise<StoredFiring | null> {
    return this.firings.find((f) => f.id === id) ?? null;
  }

  async listOutbox(firingId: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.firingId === firingId);
  }

  async markDelivered(outboxId: number, at: number): Promise<void> {
    this.claims.delete(outboxId);
    const o = this.outbox.find((x) => x.id === outboxId);
    if (o !== undefined) Object.assign(o, { status: 'delivered', deliveredAt: at });
  }

  async markAttemptFailed(outboxId: number, error: string, nextAttemptAt: number | null): Promise<void> {
    this.claims.delete(outboxId);
    const o = this.outbox.find((x) => x.id === outboxId);
    if (o === undefined) return;
    o.attempts++;
    o.lastError = error;
    if (nextAttemptAt === null) o.status = 'failed';
    else o.nextAttemptAt = nextAttemptAt;
  }

  async createLinkCode(userId: number, code: string, expiresAt: number): Promise<void> {
    this.codes.set(code, { userId, expiresAt });
  }

  async redeemLinkCode(code: string, chatId: string, title: string | null, now: number): Promise<ChatLink | null> {
    const c = this.codes.get(code);
    this.codes.delete(code);
    if (c === undefined || c.expiresAt <= now) return null;
    return this.linkChat(c.userId, chatId, title, now);
  }

  async linkChat(userId: number, chatId: string, title: string | null, now: number): Promise<ChatLink> {
    const link = { userId, chatId, title, linkedAt: now };
    this.links = this.links.filter((l) => l.chatId !== chatId).concat(link);
    return link;
  }

  async unlinkChat(userId: number, chatId: string): Promise<boolean> {
    const before = this.links.length;
    this.links = this.links.filter((l) => !(l.userId === userId && l.chatId === chatId));
    return this.links.length < before;
  }

  async listChatLinks(userId?: number): Promise<ChatLink[]> {
    return this.links.filter((l) => userId === undefined || l.userId === userId);
  }

  async chatOwner(chatId: string): Promise<number | null> {
    return this.links.find((l) => l.chatId === chatId)?.userId ?? null;
  }

  async migrateChat(fromChatId: string, toChatId: string): Promise<void> {
    for (const l of this.links) if (l.chatId === fromChatId) l.chatId = toChatId;
    for (const o of this.outbox) if (o.status === 'pending' && o.channel === `telegram:${fromChatId}`) o.channel = `telegram:${toChatId}`;
  }
}
