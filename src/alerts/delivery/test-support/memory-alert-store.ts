/**
 * A small in-memory `AlertStore` for the delivery tests, written from the interface's doc
 * comments (not from either backend). The real backends are tested against the same contract in
 * src/store; the end-to-end kill test uses them.
 */
import type { AlertStore, ChatLink, EvaluationMark, NewFiring, OutboxItem, StoredFiring, StoredRule, StoredRuleState } from '../../../store/alert-records.js';

export class MemoryAlertStore implements AlertStore {
  readonly rules: StoredRule[] = [];
  readonly states = new Map<number, StoredRuleState>();
  readonly firings: StoredFiring[] = [];
  readonly outbox: OutboxItem[] = [];
  readonly links: ChatLink[] = [];
  readonly marks = new Map<string, EvaluationMark>();
  readonly codes = new Map<string, { userId: number; expiresAt: number }>();
  #ids = 1;

  async createRule(userId: number, name: string, definition: unknown, now: number): Promise<StoredRule> {
    const rule: StoredRule = { id: this.#ids++, userId, name, definition, enabled: true, mutedUntil: null, createdAt: now, updatedAt: now };
    this.rules.push(rule);
    return { ...rule };
  }
  async updateRule(userId: number, id: number, change: Partial<Pick<StoredRule, 'name' | 'definition' | 'enabled' | 'mutedUntil'>>, now: number): Promise<StoredRule | null> {
    const rule = this.rules.find((r) => r.id === id && r.userId === userId);
    if (!rule) return null;
    Object.assign(rule, change, { updatedAt: now });
    return { ...rule };
  }
  async deleteRule(userId: number, id: number): Promise<boolean> {
    const i = this.rules.findIndex((r) => r.id === id && r.userId === userId);
    if (i < 0) return false;
    this.rules.splice(i, 1);
    this.states.delete(id);
    return true;
  }
  async getRule(userId: number, id: number): Promise<StoredRule | null> {
    const rule = this.rules.find((r) => r.id === id && r.userId === userId);
    return rule ? { ...rule } : null;
  }
  async listRules(userId: number): Promise<StoredRule[]> {
    return this.rules.filter((r) => r.userId === userId).map((r) => ({ ...r }));
  }
  async listEnabledRules(): Promise<StoredRule[]> {
    return this.rules.filter((r) => r.enabled).map((r) => ({ ...r }));
  }
  async listRuleStates(): Promise<StoredRuleState[]> {
    return [...this.states.values()];
  }
  async recordEvaluation(states: readonly StoredRuleState[], firings: readonly NewFiring[], marks: readonly EvaluationMark[] = []): Promise<StoredFiring[]> {
    for (const s of states) this.states.set(s.ruleId, { ...s });
    for (const m of marks) {
      const key = `${m.exchange}|${m.symbol}|${m.interval}`;
      if ((this.marks.get(key)?.evaluatedUntil ?? -Infinity) < m.evaluatedUntil) this.marks.set(key, { ...m });
    }
    const sameBar = (a: NewFiring | StoredFiring, b: NewFiring): boolean => a.ruleId === b.ruleId && a.symbol === b.symbol && a.interval === b.interval && a.barOpenTime === b.barOpenTime;
    const fresh = firings.filter((f, i) => !this.firings.some((g) => sameBar(g, f)) && !firings.slice(0, i).some((g) => sameBar(g, f)));
    return fresh.map(({ channels, ...f }) => {
      const stored: StoredFiring = { ...f, id: this.#ids++ };
      this.firings.push(stored);
      for (const channel of channels) {
        this.outbox.push({ id: this.#ids++, firingId: stored.id, userId: f.userId, channel, idempotencyKey: `firing-${stored.id}-${channel}`, status: 'pending', attempts: 0, nextAttemptAt: f.firedAt, lastError: null, deliveredAt: null });
      }
      return stored;
    });
  }
  async listEvaluationMarks(exchange: string): Promise<EvaluationMark[]> {
    return [...this.marks.values()].filter((m) => m.exchange === exchange);
  }
  async listFirings(userId: number, filter: { ruleId?: number; since?: number; limit: number }): Promise<StoredFiring[]> {
    return this.firings
      .filter((f) => f.userId === userId && (filter.ruleId === undefined || f.ruleId === filter.ruleId) && (filter.since === undefined || f.firedAt >= filter.since))
      .slice(-filter.limit)
      .reverse();
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
    return this.outbox
      .filter((o) => o.status === 'pending' && o.nextAttemptAt <= now && (this.claims.get(o.id) ?? 0) <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
      .slice(0, limit)
      .map((o) => ({ ...o }));
  }
  async getFiring(id: number): Promise<StoredFiring | null> {
    return this.firings.find((f) => f.id === id) ?? null;
  }
  async listOutbox(firingId: number, userId?: number): Promise<OutboxItem[]> {
    return this.outbox.filter((o) => o.firingId === firingId && (userId === undefined || o.userId === userId)).map((o) => ({ ...o }));
  }
  async markDelivered(outboxId: number, at: number): Promise<void> {
    this.claims.delete(outboxId);
    const o = this.outbox.find((x) => x.id === outboxId);
    if (o) Object.assign(o, { status: 'delivered', deliveredAt: at, attempts: o.attempts + 1 });
  }
  async markAttemptFailed(outboxId: number, error: string, nextAttemptAt: number | null): Promise<void> {
    this.claims.delete(outboxId);
    const o = this.outbox.find((x) => x.id === outboxId);
    if (!o) return;
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
    if (!c || c.expiresAt <= now) return null;
    this.codes.delete(code);
    return this.linkChat(c.userId, chatId, title, now);
  }
  async linkChat(userId: number, chatId: string, title: string | null, now: number): Promise<ChatLink> {
    const i = this.links.findIndex((l) => l.chatId === chatId);
    if (i >= 0) this.links.splice(i, 1);
    const link: ChatLink = { userId, chatId, title, linkedAt: now };
    this.links.push(link);
    return { ...link };
  }
  async unlinkChat(userId: number, chatId: string): Promise<boolean> {
    const i = this.links.findIndex((l) => l.chatId === chatId && l.userId === userId);
    if (i >= 0) this.links.splice(i, 1);
    return i >= 0;
  }
  async listChatLinks(userId?: number): Promise<ChatLink[]> {
    return this.links.filter((l) => userId === undefined || l.userId === userId).map((l) => ({ ...l }));
  }
  async chatOwner(chatId: string): Promise<number | null> {
    return this.links.find((l) => l.chatId === chatId)?.userId ?? null;
  }
  async migrateChat(fromChatId: string, toChatId: string): Promise<void> {
    for (const l of this.links) if (l.chatId === fromChatId) l.chatId = toChatId;
    for (const o of this.outbox) {
      if (o.status === 'pending' && o.channel === `telegram:${fromChatId}`) o.channel = `telegram:${toChatId}`;
    }
  }
}
