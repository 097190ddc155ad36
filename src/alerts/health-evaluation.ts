/**
 * Health rules on the pipeline's own records: each call reads the gap ledger's open gaps and the
 * recent jobs that ended `failed` or `abandoned`, and hands every event a health rule has not seen
 * yet to `evaluateHealthEvent`. The firings (with their outbox rows) and the rules' new states
 * are recorded in one `recordEvaluation` transaction, the same path as bar rules; the state
 * holds the events already seen, so a second call, a restart or a failed transaction retried
 * never fires one event twice.
 *
 * Reading the records rather than being told by the jobs means a job of another process (a
 * `tickerflow backfill` on PostgreSQL, a job found abandoned at the next open) is seen too. A gap
 * fires while it is open: a hole the same gaps job repaired is never reported.
 */
import { intervalMs } from '../core/intervals.js';
import { isoMinute, utcDate } from '../core/time.js';
import type { NewFiring, StoredFiring, StoredRule, StoredRuleState } from '../store/alert-records.js';
import type { Gap, JobRun, Store } from '../store/store.js';
import { evaluateHealthEvent, type PipelineEvent } from './health-rule.js';
import { parseRuleDraft } from './rule-draft.js';
import { resolveScope } from './resolve-scope.js';

/**
 * Recent jobs read per call: far more than end between two sync cycles. `up --bus` records a job
 * per symbol for each sync, and hourly for each gaps and reconcile (plus one per queuing cycle):
 * 1,000 covers an hourly cycle of some 300 followed symbols.
 */
const JOB_WINDOW = 1_000;

/** What a health rule keeps between calls (rule_states.state). */
interface HealthRuleState {
  lastFiredAt: number | null;
  /** Failed or abandoned jobs already handled (pruned to the jobs still in the window). */
  seenJobs: number[];
  /** Open gaps already handled, by `symbol|interval|from` (pruned to the gaps still open). */
  seenGaps: string[];
}

function numbers(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A stored state read back; null when the rule has none yet (its first call sets a baseline). */
function readState(raw: unknown): HealthRuleState | null {
  if (typeof raw !== 'object' || raw === null || !('seenJobs' in raw) || !('seenGaps' in raw)) return null;
  const lastFiredAt = 'lastFiredAt' in raw && typeof raw.lastFiredAt === 'number' ? raw.lastFiredAt : null;
  return { lastFiredAt, seenJobs: numbers(raw.seenJobs), seenGaps: strings(raw.seenGaps) };
}

function gapKey(g: Gap): string {
  return `${g.symbol}|${g.interval}|${g.from}`;
}

function gapEvent(g: Gap): PipelineEvent {
  const minutes = (g.to - g.from) / intervalMs(g.interval) + 1;
  return {
    kind: 'gap',
    exchange: g.exchange,
    symbol: g.symbol,
    interval: g.interval,
    at: g.from,
    detail: `${isoMinute(g.from)}–${isoMinute(g.to)} (${g.kind}, ${minutes} ${g.interval === '1m' ? 'minutes' : `${g.interval} bars`})`,
  };
}

function jobEvent(j: JobRun, exchange: string): PipelineEvent {
  const symbol = typeof j.params.symbol === 'string' ? j.params.symbol : null;
  return {
    kind: 'job_failed',
    exchange,
    symbol,
    interval: null,
    at: j.finishedAt ?? j.startedAt,
    detail: `${j.kind} job ${j.id} ${j.status}${j.summary === null ? '' : `: ${j.summary}`}`,
  };
}

export class HealthEvaluation {
  constructor(
    private readonly store: Store,
    private readonly exchange: string,
  ) {}

  /** Evaluates the enabled health rules (of `rules`, default all enabled) on the events new since their last call; returns the stored firings. */
  async evaluate(now: number, rules?: readonly StoredRule[]): Promise<StoredFiring[]> {
    const health = (rules ?? (await this.store.listEnabledRules())).flatMap((r) => {
      try {
        const d = parseRuleDraft(r.definition);
        return d.kind === 'health' ? [{ rule: r, definition: d }] : [];
      } catch {
        return []; // LiveEvaluation reports rules whose stored definition does not parse
      }
    });
    if (health.length === 0) return [];
    const jobs = (await this.store.listJobs(JOB_WINDOW)).filter((j) => j.status === 'failed' || j.status === 'abandoned').sort((a, b) => a.id - b.id);
    const gaps = (await this.store.listGaps({ exchange: this.exchange, status: 'open' })).sort((a, b) => a.detectedAt - b.detectedAt || a.from - b.from);
    const stored = new Map((await this.store.listRuleStates()).map((s) => [s.ruleId, readState(s.state)]));
    const states: StoredRuleState[] = [];
    const firings: NewFiring[] = [];
    for (const { rule, definition } of health) {
      const before = stored.get(rule.id) ?? null;
      // First call for this rule: what was there before the rule was made is not news.
      const seenJobs = new Set(before?.seenJobs ?? jobs.filter((j) => (j.finishedAt ?? j.startedAt) < rule.createdAt).map((j) => j.id));
      const seenGaps = new Set(before?.seenGaps ?? gaps.filter((g) => g.detectedAt < rule.createdAt).map(gapKey));
      const events = definition.event === 'gap'
        ? gaps.filter((g) => !seenGaps.has(gapKey(g))).map((g) => ({ event: gapEvent(g), seen: () => seenGaps.add(gapKey(g)) }))
        : jobs.filter((j) => !seenJobs.has(j.id)).map((j) => ({ event: jobEvent(j, this.exchange), seen: () => seenJobs.add(j.id) }));
      const scope = definition.scope === null ? null : await resolveScope(this.store, this.exchange, definition.scope, utcDate(now));
      let state = { lastFiredAt: before?.lastFiredAt ?? null };
      for (const { event, seen } of events) {
        const out = evaluateHealthEvent({ id: rule.id, userId: rule.userId, definition, mutedUntil: rule.mutedUntil }, state, event, scope, now);
        state = out.state;
        if (out.firing !== null) firings.push(out.firing);
        seen();
      }
      const next: HealthRuleState = {
        lastFiredAt: state.lastFiredAt,
        seenJobs: jobs.map((j) => j.id).filter((id) => seenJobs.has(id)),
        seenGaps: gaps.map(gapKey).filter((k) => seenGaps.has(k)),
      };
      if (before === null || JSON.stringify(next) !== JSON.stringify(before)) states.push({ ruleId: rule.id, state: next, updatedAt: now });
    }
    if (states.length === 0 && firings.length === 0) return [];
    return this.store.recordEvaluation(states, firings);
  }
}
