/**
 * The rule document: what a user saves (API body, CLI flags) and what the store keeps as
 * `StoredRule.definition`. `parseRuleDraft` validates untrusted JSON into a normalised
 * {@link RuleDefinition} (one spelling per setting), refusing bad input with the field at fault;
 * the expression is parsed here too, so a saved rule always compiles.
 */
import { z } from 'zod';
import { isInterval } from '../core/intervals.js';
import { RuleDraftError } from './rule-draft-error.js';
import { parseRuleExpression } from './rule-expression.js';
import { RuleSyntaxError } from './rule-syntax-error.js';

export const FREQUENCIES = ['once', 'once_per_bar', 'once_per_bar_close'] as const;
export type Frequency = (typeof FREQUENCIES)[number] | { atMostEveryMinutes: number };
export const HEALTH_EVENTS = ['gap', 'job_failed'] as const;
export type HealthEvent = (typeof HEALTH_EVENTS)[number];

/** Most symbols a listed scope or a top-N scope may name. */
export const MAX_SCOPE_SYMBOLS = 1000;
const MAX_MINUTES = 366 * 24 * 60;

export type RuleScope = { symbols: string[] } | { top: number };
export interface QuietHours {
  /** Local `HH:MM` at which quiet starts (inclusive) and ends (exclusive); may wrap midnight. */
  from: string;
  to: string;
  /** IANA time zone of the user; UTC when absent. */
  timezone: string;
}

interface CommonFields {
  name: string;
  /** Epoch ms after which the rule no longer fires, or null. */
  expiresAt: number | null;
  cooldownMinutes: number;
  quietHours: QuietHours | null;
  /** `telegram:<chat id>`, `webhook:<http(s) url>` or `dashboard`. */
  channels: string[];
}

/** A rule on bars: an expression evaluated at each close of `interval` on every symbol of its scope. */
export interface BarRuleDefinition extends CommonFields {
  kind: 'bar';
  expression: string;
  scope: RuleScope;
  interval: string;
  frequency: Frequency;
}

/** A pipeline-health rule: fires on a data gap or a failed job (of the scope's symbols, or any). */
export interface HealthRuleDefinition extends CommonFields {
  kind: 'health';
  event: HealthEvent;
  scope: RuleScope | null;
}

export type RuleDefinition = BarRuleDefinition | HealthRuleDefinition;

const SYMBOL = z.string().trim().regex(/^[A-Za-z0-9]{2,30}$/, 'a symbol is 2 to 30 letters and digits, e.g. BTCUSDT').transform((s) => s.toUpperCase());
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, e.g. 22:00');
const MINUTES = z.number().int('a whole number of minutes').min(0).max(MAX_MINUTES);

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function validChannel(c: string): boolean {
  if (c === 'dashboard') return true;
  if (c.startsWith('telegram:')) return /^-?\d{1,20}$/.test(c.slice('telegram:'.length));
  if (c.startsWith('webhook:')) return isWebhookUrl(c.slice('webhook:'.length));
  return false;
}

/** An http(s) URL without user or password (fetch refuses those: such a channel could never deliver). */
export function isWebhookUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const scopeSchema = z.union([
  z.object({ symbols: z.array(SYMBOL).min(1, 'name at least one symbol').max(MAX_SCOPE_SYMBOLS) }).strict(),
  z.object({ symbol: SYMBOL }).strict().transform((s) => ({ symbols: [s.symbol] })),
  z.object({ top: z.number().int().min(1).max(MAX_SCOPE_SYMBOLS) }).strict(),
]);

const frequencySchema = z.union([
  z.enum(FREQUENCIES),
  z.object({ atMostEveryMinutes: MINUTES.min(1) }).strict(),
  // The CLI's spelling: `at_most_every:15` or `at_most_every 15`.
  z.string().regex(/^at_most_every[: ]\d+$/, 'once, once_per_bar, once_per_bar_close or at_most_every:<minutes>')
    .transform((s) => ({ atMostEveryMinutes: Number(s.slice('at_most_every:'.length)) }))
    .pipe(z.object({ atMostEveryMinutes: MINUTES.min(1) })),
]);

const common = {
  name: z.string().trim().min(1).max(200).optional(),
  expiresAt: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.null()]).default(null),
  cooldownMinutes: MINUTES.default(0),
  quietHours: z
    .object({ from: HHMM, to: HHMM, timezone: z.string().refine(validTimeZone, 'an IANA time zone, e.g. Europe/Amsterdam').default('UTC') })
    .strict()
    .nullable()
    .default(null),
  channels: z
    .array(z.string().trim().refine(validChannel, 'a channel is telegram:<chat id>, webhook:<http(s) url without user or password> or dashboard'))
    .min(1, 'name at least one channel')
    .max(20)
    .refine((cs) => new Set(cs).size === cs.length, 'a channel is listed twice'),
};

const barSchema = z
  .object({
    kind: z.literal('bar').default('bar'),
    expression: z.string().max(2000),
    scope: scopeSchema,
    interval: z.string().refine(isInterval, 'an interval such as 1m, 5m, 15m, 1h, 4h, 1d'),
    frequency: frequencySchema.default('once_per_bar_close'),
    ...common,
  })
  .strict();

const healthSchema = z
  .object({ kind: z.literal('health'), event: z.enum(HEALTH_EVENTS), scope: scopeSchema.nullable().default(null), ...common })
  .strict();

/**
 * Validates a rule draft (the API body, the CLI's flags) into its stored form; throws
 * RuleDraftError naming the first bad field (and the position, for the expression).
 */
export function parseRuleDraft(json: unknown): RuleDefinition {
  const kind = typeof json === 'object' && json !== null && 'kind' in json ? (json as { kind: unknown }).kind : 'bar';
  if (kind !== 'bar' && kind !== 'health') throw new RuleDraftError('kind', 'a rule kind is "bar" (an expression on bars) or "health" (a gap or failed job)');
  const parsed = (kind === 'health' ? healthSchema : barSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') throw new RuleDraftError([...issue.path, issue.keys[0]].join('.'), 'is not a field of a rule');
    const field = issue === undefined || issue.path.length === 0 ? 'rule' : issue.path.join('.');
    throw new RuleDraftError(field, issue?.message ?? 'invalid rule');
  }
  const d = parsed.data;
  if (d.kind === 'health') {
    return { kind: 'health', name: d.name ?? `${d.event === 'gap' ? 'data gap' : 'failed job'}`, event: d.event, scope: d.scope, ...settings(d) };
  }
  try {
    parseRuleExpression(d.expression);
  } catch (err) {
    if (err instanceof RuleSyntaxError) throw new RuleDraftError('expression', err.message, err.position, { cause: err });
    throw err;
  }
  return { kind: 'bar', name: d.name ?? d.expression, expression: d.expression, scope: d.scope, interval: d.interval, frequency: d.frequency, ...settings(d) };
}

function settings(d: { expiresAt: number | null; cooldownMinutes: number; quietHours: QuietHours | null; channels: string[] }): Omit<CommonFields, 'name'> {
  return { expiresAt: d.expiresAt, cooldownMinutes: d.cooldownMinutes, quietHours: d.quietHours, channels: d.channels };
}
