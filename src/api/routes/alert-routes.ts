/**
 * A user's alerts: rules (CRUD, preview over history, "send a test message"), their firings, the
 * live feed of firings as server-sent events, and the channels they may use (linked Telegram
 * chats, webhooks). Every read and change names the signed-in user: another user's rule is 404.
 * The rule document is the alerts module's (parseRuleDraft); this file only shapes it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DAY_MS } from '../../core/intervals.js';
import { utcDate } from '../../core/time.js';
import { previewRule, type PreviewResult } from '../../alerts/preview.js';
import { resolveScope } from '../../alerts/resolve-scope.js';
import { parseRuleDraft, isWebhookUrl, type BarRuleDefinition, type RuleDefinition } from '../../alerts/rule-draft.js';
import { RuleDraftError } from '../../alerts/rule-draft-error.js';
import type { StoredFiring, StoredRule, User } from '../../store/alert-records.js';
import type { Store } from '../../store/store.js';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { idParams, intField, timeField } from '../query-fields.js';
import { signedIn, tokenStillValid } from '../request-auth.js';

/** Longest preview window: a year of 1m bars is the speed goal (issue 16); more is refused, not slow. */
export const MAX_PREVIEW_MS = 366 * DAY_MS;
/** Firings listed by a preview (its summary counts them all). */
const MAX_PREVIEW_FIRINGS = 2000;
/** How long a Telegram link code is valid. */
const LINK_CODE_MS = 15 * 60_000;
/** A comment line on an idle event stream, so proxies and browsers keep it open. */
const SSE_HEARTBEAT_MS = 15_000;
/** How often an open event stream asks again whether its token still signs in. */
const TOKEN_RECHECK_MS = 5_000;

const draftSchema = z.record(z.string(), z.unknown()).describe('a rule draft: {name?, expression, scope:{symbols:[…]}|{symbol}|{top:N}, interval, frequency?, expiresAt?, cooldownMinutes?, quietHours?, channels:[…]} or a health rule {kind:"health", event:"gap"|"job_failed", …}');
export const ruleSchema = z.looseObject({ id: z.number().int(), name: z.string(), enabled: z.boolean(), mutedUntil: z.number().nullable(), createdAt: z.number(), updatedAt: z.number() });
const firingSchema = z.object({ id: z.number().int(), ruleId: z.number().int(), symbol: z.string(), interval: z.string(), barOpenTime: z.number(), firedAt: z.number(), message: z.string(), incomplete: z.boolean(), inputs: z.unknown() });
const horizonRecord = z.record(z.string(), z.number().nullable());
export const previewSchema = z.object({
  firings: z.array(z.object({ symbol: z.string(), openTime: z.number(), firedAt: z.number(), intrabar: z.boolean(), close: z.number(), incomplete: z.boolean(), operands: horizonRecord, returns: horizonRecord })),
  summary: z.object({ count: z.number().int(), positive: horizonRecord, median: horizonRecord, worst: horizonRecord }),
});
const mutedUntilField = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.null()]);

export function registerAlertRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const store = deps.store;

  api.get('/alerts', { schema: { summary: 'your rules', tags: ['alerts'], response: { 200: z.object({ alerts: z.array(ruleSchema) }) } } }, async (request) => ({
    alerts: (await store.listRules(signedIn(request).id)).map(ruleJson),
  }));

  api.post('/alerts', { schema: { summary: 'save a rule', tags: ['alerts'], body: draftSchema, response: { 201: ruleSchema } } }, async (request, reply) => {
    const user = signedIn(request);
    const definition = await checkedDraft(store, user, request.body, 'body');
    return reply.status(201).send(ruleJson(await store.createRule(user.id, definition.name, definition, deps.now())));
  });

  api.post(
    '/alerts/preview',
    {
      schema: {
        summary: 'how often a draft rule would have fired over stored history, and what the price did 1h, 4h and 1d after',
        tags: ['alerts'],
        body: z.object({ rule: draftSchema, from: z.union([z.number(), z.string()]), to: z.union([z.number(), z.string()]).optional(), exchange: z.literal('binance').default('binance') }).strict(),
        response: { 200: previewSchema },
      },
    },
    async (request) => {
      const user = signedIn(request);
      const definition = await checkedDraft(store, user, request.body.rule, 'body.rule');
      if (definition.kind !== 'bar') throw new ApiError(400, 'a health rule has no history to preview', { field: 'body.rule.kind' });
      const now = deps.now();
      const from = bodyTime(request.body.from, 'body.from');
      const to = request.body.to === undefined ? now : bodyTime(request.body.to, 'body.to');
      if (to <= from) throw new ApiError(400, 'to must be after from', { field: 'body.to' });
      if (to - from > MAX_PREVIEW_MS) throw new ApiError(400, 'a preview covers at most 366 days', { field: 'body.from' });
      return previewDraft(store, request.body.exchange, definition, from, to, now);
    },
  );

  api.get('/alerts/:id', { schema: { summary: 'one of your rules', tags: ['alerts'], params: idParams, response: { 200: ruleSchema } } }, async (request) =>
    ruleJson(await ownRule(store, signedIn(request).id, request.params.id)),
  );

  api.patch(
    '/alerts/:id',
    {
      schema: {
        summary: 'change a rule: any draft field, enabled, mutedUntil',
        tags: ['alerts'],
        params: idParams,
        body: z.record(z.string(), z.unknown()).describe('draft fields to replace, and/or enabled (boolean), mutedUntil (epoch ms, ISO time or null)'),
        response: { 200: ruleSchema },
      },
    },
    async (request) => {
      const user = signedIn(request);
      const rule = await ownRule(store, user.id, request.params.id);
      const { enabled, mutedUntil, ...fields } = request.body;
      const change: Parameters<Store['updateRule']>[2] = {};
      if (enabled !== undefined) {
        if (typeof enabled !== 'boolean') throw new ApiError(400, 'enabled: expected true or false', { field: 'body.enabled' });
        change.enabled = enabled;
      }
      if (mutedUntil !== undefined) {
        const parsed = mutedUntilField.safeParse(mutedUntil);
        if (!parsed.success) throw new ApiError(400, 'mutedUntil: expected epoch ms, an ISO-8601 time or null', { field: 'body.mutedUntil' });
        change.mutedUntil = parsed.data;
      }
      if (Object.keys(fields).length > 0) {
        const base = typeof rule.definition === 'object' && rule.definition !== null ? rule.definition : {};
        const definition = await checkedDraft(store, user, { ...base, ...fields }, 'body');
        change.definition = definition;
        change.name = definition.name;
      }
      const updated = await store.updateRule(user.id, rule.id, change, deps.now());
      if (updated === null) throw notFound(rule.id);
      return ruleJson(updated);
    },
  );

  api.delete('/alerts/:id', { schema: { summary: 'delete a rule (its firings stay in the history)', tags: ['alerts'], params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    if (!(await store.deleteRule(signedIn(request).id, request.params.id))) throw notFound(request.params.id);
    return reply.status(204).send(null);
  });

  api.post(
    '/alerts/:id/test',
    { schema: { summary: "send a test message to each of the rule's channels now", tags: ['alerts'], params: idParams, response: { 200: z.object({ delivered: z.array(z.string()), failed: z.array(z.object({ channel: z.string(), error: z.string() })) }) } } },
    async (request) => {
      const user = signedIn(request);
      const rule = await ownRule(store, user.id, request.params.id);
      if (deps.delivery === undefined) throw new ApiError(409, 'delivery does not run in this server (tickerflow up runs it)');
      return deps.delivery.sendTest(user.id, storedChannels(rule), rule.name);
    },
  );

  api.get(
    '/firings',
    {
      schema: {
        summary: 'your firings, newest first',
        tags: ['alerts'],
        querystring: z.object({ rule: intField(1, Number.MAX_SAFE_INTEGER).optional(), since: timeField.optional(), limit: intField(1, 1000).default(100) }).strict(),
        response: { 200: z.object({ firings: z.array(firingSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const list = await store.listFirings(signedIn(request).id, { limit: q.limit, ...(q.rule === undefined ? {} : { ruleId: q.rule }), ...(q.since === undefined ? {} : { since: q.since }) });
      return { firings: list.map(firingJson) };
    },
  );

  api.get(
    '/events',
    {
      config: { queryToken: true },
      schema: {
        summary: 'server-sent events: `firing` (and `test`) with the firing JSON, as your rules fire',
        description: 'EventSource cannot set headers: the token may come as ?token= (it is never logged).',
        tags: ['alerts'],
        querystring: z.object({ token: z.string().optional() }).strict(),
      },
    },
    async (request, reply) => {
      const user = signedIn(request);
      if (deps.delivery === undefined) throw new ApiError(409, 'delivery does not run in this server (tickerflow up runs it)');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': connected\n\n');
      const unsubscribe = deps.delivery.dashboard.subscribe(user.id, (event) => {
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(firingJson(event.firing))}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
      // A logout, a revoked token or an expired session ends the stream within TOKEN_RECHECK_MS.
      const recheck = setInterval(() => {
        void tokenStillValid(request, store, deps.authNow()).then((ok) => {
          if (ok || res.writableEnded) return;
          res.end('event: end\ndata: {"message":"the token is revoked or expired; sign in again"}\n\n');
        }, () => undefined);
      }, TOKEN_RECHECK_MS);
      res.once('close', () => {
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
      });
    },
  );

  api.post(
    '/telegram/link-code',
    { schema: { summary: 'a one-time code: send /start <code> to the bot to link the chat to you', tags: ['alerts'], response: { 200: z.object({ code: z.string(), expiresAt: z.number() }) } } },
    async (request) => {
      const user = signedIn(request);
      const code = randomBytes(6).toString('hex');
      const expiresAt = deps.now() + LINK_CODE_MS;
      await store.createLinkCode(user.id, code, expiresAt);
      return { code, expiresAt };
    },
  );

  api.post(
    '/telegram/chats',
    {
      // Admin only: a code proves the chat is the user's; the local admin (the CLI's
      // `alerts add --channel telegram:<id>` through a running `up`) is trusted to name it.
      config: { auth: 'admin' as const },
      schema: {
        summary: 'link a Telegram chat to you by its id, without a code (admins: the local CLI)',
        tags: ['alerts'],
        body: z.object({ chatId: z.string().regex(/^-?\d{1,20}$/, 'a Telegram chat id: digits, negative for a group') }).strict(),
        response: { 200: z.object({ chatId: z.string(), title: z.string().nullable() }) },
      },
    },
    async (request) => {
      const user = signedIn(request);
      // Naming a chat without its code never takes it from the user who linked it with one.
      const owner = await store.chatOwner(request.body.chatId);
      if (owner !== null && owner !== user.id) throw new ApiError(409, `chat ${request.body.chatId} is linked to another user; it moves only by a /start <code> sent from it`, { field: 'body.chatId' });
      const link = await store.linkChat(user.id, request.body.chatId, null, deps.now());
      return { chatId: link.chatId, title: link.title };
    },
  );

  api.get(
    '/channels',
    { schema: { summary: 'your linked Telegram chats and the webhooks your rules use', tags: ['alerts'], response: { 200: z.object({ telegram: z.array(z.object({ chatId: z.string(), title: z.string().nullable() })), webhooks: z.array(z.string()) }) } } },
    async (request) => {
      const user = signedIn(request);
      const chats = await store.listChatLinks(user.id);
      const webhooks = new Set<string>();
      for (const r of await store.listRules(user.id)) for (const c of storedChannels(r)) if (c.startsWith('webhook:')) webhooks.add(c.slice('webhook:'.length));
      return { telegram: chats.map((c) => ({ chatId: c.chatId, title: c.title })), webhooks: [...webhooks] };
    },
  );

  api.get(
    '/channels/webhook-secret',
    {
      schema: {
        summary: 'the secret your webhook at `url` is signed with (X-Tickerflow-Signature), for its receiver to verify calls; yours only',
        tags: ['alerts'],
        querystring: z.object({ url: z.string().max(2000) }).strict(),
        response: { 200: z.object({ url: z.string(), secret: z.string() }) },
      },
    },
    async (request) => {
      const user = signedIn(request);
      const { url } = request.query;
      if (!isWebhookUrl(url)) throw new ApiError(400, 'url: an http(s) URL without user or password, as in a webhook:<url> channel', { field: 'query.url' });
      const secret = deps.delivery?.webhookSecret(user.id, url) ?? null;
      if (secret === null) throw new ApiError(409, 'webhooks are off in this server: TICKERFLOW_WEBHOOK_KEY is not set');
      return { url, secret };
    },
  );
}

/** Quiet hours given without a time zone are in the user's own (as `tickerflow alerts add --quiet` makes them). */
function inUserZone(draft: unknown, timezone: string): unknown {
  if (typeof draft !== 'object' || draft === null || !('quietHours' in draft)) return draft;
  const q = (draft as { quietHours: unknown }).quietHours;
  if (typeof q !== 'object' || q === null || Array.isArray(q) || 'timezone' in q) return draft;
  return { ...draft, quietHours: { ...q, timezone } };
}

/**
 * Validates a draft with the alerts module's schema (errors name `<prefix>.<field>` and the
 * expression position), then checks that each Telegram chat is linked to the user: alerts go only
 * to chats their owner linked.
 */
async function checkedDraft(store: Store, user: Pick<User, 'id' | 'timezone' | 'role'>, draft: unknown, prefix: string): Promise<RuleDefinition> {
  const userId = user.id;
  let definition: RuleDefinition;
  try {
    definition = parseRuleDraft(inUserZone(draft, user.timezone));
  } catch (err) {
    if (err instanceof RuleDraftError) throw new ApiError(400, err.message, { field: `${prefix}.${err.field}`, ...(err.position === undefined ? {} : { position: err.position }) });
    throw err;
  }
  // A health rule's firings tell of the pipeline (gaps, failed jobs), which only admins may read.
  if (definition.kind === 'health' && user.role !== 'admin') throw new ApiError(403, 'health rules (gaps, failed jobs) are for admins, as the pipeline routes are', { field: `${prefix}.kind` });
  const linked = new Set((await store.listChatLinks(userId)).map((c) => c.chatId));
  definition.channels.forEach((c, i) => {
    if (c.startsWith('telegram:') && !linked.has(c.slice('telegram:'.length))) {
      throw new ApiError(400, `${c} is not a chat linked to you: send /start <code> to the bot (POST /api/v1/telegram/link-code gives the code)`, { field: `${prefix}.channels.${i}` });
    }
  });
  return definition;
}

async function ownRule(store: Store, userId: number, id: number): Promise<StoredRule> {
  const rule = await store.getRule(userId, id);
  if (rule === null) throw notFound(id);
  return rule;
}

function notFound(id: number): ApiError {
  return new ApiError(404, `you have no rule ${id}`, { field: 'params.id' });
}

/**
 * A checked bar rule's preview over [from, to) with the API's limits on what it lists; the CLI's
 * `alerts preview` runs it on the store directly, so both print the same firings.
 */
export async function previewDraft(store: Store, exchange: string, definition: BarRuleDefinition, from: number, to: number, now: number): Promise<PreviewResult> {
  const symbols = await resolveScope(store, exchange, definition.scope, utcDate(now));
  return previewRule({ store, exchange, definition, symbols, from, to, now, graceMinutes: 5, maxFirings: MAX_PREVIEW_FIRINGS });
}

export type RuleJson = z.infer<typeof ruleSchema>;

/** The contract's Rule: the stored document's fields, then the row's (the CLI prints rules from it too). */
export function ruleJson(r: StoredRule): RuleJson {
  const definition = typeof r.definition === 'object' && r.definition !== null ? r.definition : {};
  return { ...definition, id: r.id, name: r.name, enabled: r.enabled, mutedUntil: r.mutedUntil, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

function storedChannels(r: StoredRule): string[] {
  const parsed = z.object({ channels: z.array(z.string()) }).safeParse(r.definition);
  return parsed.success ? parsed.data.channels : [];
}

function firingJson(f: StoredFiring): z.infer<typeof firingSchema> {
  return { id: f.id, ruleId: f.ruleId, symbol: f.symbol, interval: f.interval, barOpenTime: f.barOpenTime, firedAt: f.firedAt, message: f.message, incomplete: f.incomplete, inputs: f.inputs };
}

function bodyTime(v: number | string, field: string): number {
  const parsed = timeField.safeParse(String(v));
  if (!parsed.success) throw new ApiError(400, `${field}: ${parsed.error.issues[0]?.message ?? 'not a time'}`, { field });
  return parsed.data;
}
