/**
 * Where `tickerflow alerts` reads and changes a user's rules: straight in the store when no `up`
 * holds it, or through the running `up`'s API (as the local admin its token names). Both answer
 * in the API's shapes (RuleJson, PreviewResult, TestResult), so the command prints the same
 * either way. Drafts arrive already checked by parseRuleDraft (the command shows a bad one).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { previewDraft, previewSchema, ruleJson, ruleSchema, type RuleJson } from '../api/routes/alert-routes.js';
import type { PreviewResult } from '../alerts/preview.js';
import type { BarRuleDefinition, RuleDefinition } from '../alerts/rule-draft.js';
import type { TestResult } from '../alerts/delivery/index.js';
import { ConfigError, NotFoundError } from '../core/errors.js';
import type { StoredRule, User } from '../store/alert-records.js';
import { runningUp, withContext, type CliContext } from './context.js';
import { setupDelivery } from './delivery-setup.js';
import type { RemoteApi } from './remote-api.js';

/** The only exchange rules run on today (as the API's default). */
const EXCHANGE = 'binance';

export interface AlertsAccess {
  /** Whose rules these are. */
  readonly user: { name: string; timezone: string };
  list(): Promise<RuleJson[]>;
  /** Saves a checked rule; its Telegram chats are linked to the user first (the local admin may name a chat). */
  add(draft: Record<string, unknown>, definition: RuleDefinition): Promise<RuleJson>;
  remove(id: number): Promise<void>;
  setMutedUntil(id: number, mutedUntil: number | null): Promise<RuleJson>;
  /** Sends a test message on each of the rule's channels. */
  test(id: number): Promise<{ rule: RuleJson; result: TestResult }>;
  preview(draft: Record<string, unknown>, definition: BarRuleDefinition, from: number, to: number): Promise<PreviewResult>;
}

function noRule(id: number, user: string): NotFoundError {
  return new NotFoundError(`${user} has no rule ${id} (\`tickerflow alerts list\` shows them)`);
}

/** Runs `fn` with the rules of `userName` (default: the only admin) in the store, or of the running `up`'s local admin. */
export async function withAlerts(cmd: Command, userName: string | undefined, fn: (access: AlertsAccess) => Promise<void>): Promise<void> {
  const remote = runningUp(cmd);
  if (remote !== null) {
    await fn(await remoteAccess(remote, userName));
    return;
  }
  await withContext(cmd, async (ctx) => fn(localAccess(ctx, await pickUser(ctx, userName))));
}

/** `--user NAME`, or the only admin; a clear error when there is none or more than one. */
async function pickUser(ctx: CliContext, name: string | undefined): Promise<User> {
  if (name !== undefined) {
    const user = await ctx.store.getUserByName(name);
    if (user === null) throw new NotFoundError(`--user: no user named "${name}" (\`tickerflow users list\` shows them)`);
    return user;
  }
  const admins = (await ctx.store.listUsers()).filter((u) => u.role === 'admin');
  if (admins.length === 1) return admins[0] as User;
  if (admins.length === 0) throw new ConfigError('no admin yet: add one with `tickerflow users add <name> --admin`, or name a user with --user');
  throw new ConfigError(`${admins.length} admins (${admins.map((u) => u.name).join(', ')}): name whose rules with --user`);
}

function localAccess(ctx: CliContext, user: User): AlertsAccess {
  const { store } = ctx;
  const own = async (id: number): Promise<StoredRule> => {
    const rule = await store.getRule(user.id, id);
    if (rule === null) throw noRule(id, user.name);
    return rule;
  };
  const changed = (rule: StoredRule | null, id: number): RuleJson => {
    if (rule === null) throw noRule(id, user.name);
    return ruleJson(rule);
  };
  return {
    user: { name: user.name, timezone: user.timezone },
    list: async () => (await store.listRules(user.id)).map(ruleJson),
    async add(_draft, definition) {
      for (const c of definition.channels) if (c.startsWith('telegram:')) await store.linkChat(user.id, c.slice('telegram:'.length), null, Date.now());
      return ruleJson(await store.createRule(user.id, definition.name, definition, Date.now()));
    },
    async remove(id) {
      if (!(await store.deleteRule(user.id, id))) throw noRule(id, user.name);
    },
    setMutedUntil: async (id, mutedUntil) => changed(await store.updateRule(user.id, id, { mutedUntil }, Date.now()), id),
    async test(id) {
      const rule = ruleJson(await own(id));
      const delivery = setupDelivery(store, ctx.config, ctx.secrets, ctx.logger);
      return { rule, result: await delivery.sendTest(user.id, (rule.channels as string[] | undefined) ?? [], rule.name) };
    },
    preview: (_draft, definition, from, to) => previewDraft(store, EXCHANGE, definition, from, to, Date.now()),
  };
}

const meSchema = z.object({ name: z.string(), timezone: z.string() });
const testSchema = z.object({ delivered: z.array(z.string()), failed: z.array(z.object({ channel: z.string(), error: z.string() })) });

async function remoteAccess(api: RemoteApi, userName: string | undefined): Promise<AlertsAccess> {
  const user = meSchema.parse(await api.getJson('/api/v1/me'));
  if (userName !== undefined && userName !== user.name) {
    throw new ConfigError(`--user ${userName}: tickerflow up holds the store, and through its API (${api.url}) the rules are its local admin's, ${user.name}; stop up to manage another user's`);
  }
  /** The API's 404 as the store's wording. */
  const mine = async <T>(id: number, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof NotFoundError) throw noRule(id, user.name);
      throw err;
    }
  };
  const rule = (json: unknown): RuleJson => ruleSchema.parse(json);
  return {
    user,
    list: async () => z.object({ alerts: z.array(ruleSchema) }).parse(await api.getJson('/api/v1/alerts')).alerts,
    async add(draft, definition) {
      for (const c of definition.channels) if (c.startsWith('telegram:')) await api.sendJson('POST', '/api/v1/telegram/chats', { chatId: c.slice('telegram:'.length) });
      return rule(await api.sendJson('POST', '/api/v1/alerts', draft));
    },
    remove: (id) => mine(id, async () => void (await api.sendJson('DELETE', `/api/v1/alerts/${id}`))),
    setMutedUntil: (id, mutedUntil) => mine(id, async () => rule(await api.sendJson('PATCH', `/api/v1/alerts/${id}`, { mutedUntil }))),
    test: (id) =>
      mine(id, async () => {
        const found = rule(await api.getJson(`/api/v1/alerts/${id}`));
        return { rule: found, result: testSchema.parse(await api.sendJson('POST', `/api/v1/alerts/${id}/test`)) };
      }),
    preview: async (draft, _definition, from, to) => previewSchema.parse(await api.sendJson('POST', '/api/v1/alerts/preview', { rule: draft, from, to })) as PreviewResult,
  };
}
