/**
 * Pipeline-health rules, evaluated on pipeline events instead of bars: a data gap found, or a job
 * that failed. Pure, like the bar evaluator: (rule, its state, event) → (state, firing or none),
 * with the same expiry, mute, cooldown and quiet hours.
 */
import type { NewFiring } from '../store/alert-records.js';
import { inQuietHours } from './quiet-hours.js';
import type { HealthRuleDefinition } from './rule-draft.js';

export interface HealthRule {
  id: number;
  userId: number;
  definition: HealthRuleDefinition;
  mutedUntil: number | null;
}

/** What the pipeline reports: a gap (of a series) or a failed job (of a symbol, or of none). */
export interface PipelineEvent {
  kind: HealthRuleDefinition['event'];
  exchange: string;
  symbol: string | null;
  /** The gap's series interval; null for a job. */
  interval: string | null;
  /** The gap's first missing open time, or the job's end (epoch ms). */
  at: number;
  /** Human text: the gap's range and kind, or the job's error. */
  detail: string;
}

export interface HealthState {
  lastFiredAt: number | null;
}

/** The symbol and interval of a health firing of an event that has none (a job over every symbol). */
export const ALL_SYMBOLS = '*';
export const NO_INTERVAL = '-';

/**
 * `scopeSymbols`: the rule's scope as symbols (null: every symbol). An event without a symbol
 * (a job over all of them) matches every scope.
 */
export function evaluateHealthEvent(rule: HealthRule, state: HealthState, event: PipelineEvent, scopeSymbols: readonly string[] | null, now: number): { state: HealthState; firing: NewFiring | null } {
  const d = rule.definition;
  const none = { state, firing: null };
  if (event.kind !== d.event) return none;
  if (scopeSymbols !== null && event.symbol !== null && !scopeSymbols.includes(event.symbol)) return none;
  if (d.expiresAt !== null && now >= d.expiresAt) return none;
  if (rule.mutedUntil !== null && now < rule.mutedUntil) return none;
  if (state.lastFiredAt !== null && now - state.lastFiredAt < d.cooldownMinutes * 60_000) return none;
  const what = event.kind === 'gap' ? 'data gap' : 'job failed';
  return {
    state: { lastFiredAt: now },
    firing: {
      ruleId: rule.id,
      userId: rule.userId,
      exchange: event.exchange,
      // A job over every symbol is stored as `*` (the store refuses an empty symbol or interval).
      symbol: event.symbol ?? ALL_SYMBOLS,
      interval: event.interval ?? NO_INTERVAL,
      // A firing never predates its event: an event stamped by another clock (a job's end on the
      // machine's, a replay's exchange clock) ahead of `now` is recorded at `now`.
      barOpenTime: Math.min(event.at, now),
      firedAt: now,
      inputs: { event },
      incomplete: false,
      message: `${d.name}: ${what}${event.symbol === null ? '' : ` on ${event.symbol}${event.interval === null ? '' : ` ${event.interval}`}`}: ${event.detail}`,
      channels: d.quietHours !== null && inQuietHours(d.quietHours, now) ? [] : [...d.channels],
    },
  };
}
