/**
 * The alert engine on the sync loop: the scheduler's `afterSync` hook (up and the demo) hands it
 * each cycle's "now"; when the sync wrote bars, every bar closed since the last call is evaluated
 * and its firings stored with their outbox rows (AlertEngine.onBars, one transaction); with a
 * `once_per_bar` rule loaded, after every sync, since minutes it did not write may have been stored. Rules saved,
 * edited or muted since (through the API or the CLI) are picked up first: the enabled rules'
 * ids and update times are compared each cycle, and a change reloads and reseeds the engine.
 * Health rules are evaluated on every call, whether or not bars were written: a failed or
 * abandoned job and a new open gap in the ledger fire them (HealthEvaluation), through the same
 * `recordEvaluation` and outbox as bar rules. `serve`, which runs no sync, calls `evaluateStored`
 * on a timer instead.
 */
import type { Logger } from 'pino';
import { utcDate } from '../core/time.js';
import type { StoredFiring } from '../store/alert-records.js';
import type { Store } from '../store/store.js';
import { AlertEngine } from './alert-engine.js';
import { HealthEvaluation } from './health-evaluation.js';
import { resolveScope } from './resolve-scope.js';

/** Minutes after its close an incomplete bar is evaluated anyway (its firing marked incomplete). */
export const DEFAULT_GRACE_MINUTES = 10;

export class LiveEvaluation {
  private readonly engine: AlertEngine;
  private readonly health: HealthEvaluation;
  private rulesKey: string | null = null;

  constructor(
    private readonly store: Store,
    exchange: string,
    private readonly logger: Logger,
    graceMinutes = DEFAULT_GRACE_MINUTES,
  ) {
    this.engine = new AlertEngine({
      store,
      alerts: store,
      exchange,
      graceMinutes,
      symbolsOf: (scope, now) => resolveScope(store, exchange, scope, utcDate(now)),
    });
    this.health = new HealthEvaluation(store, exchange);
  }

  /** Evaluates the bars closed by `now` (after a sync that wrote `rows`); returns the stored firings. */
  async afterSync(now: number, rows: number): Promise<StoredFiring[]> {
    const rules = await this.store.listEnabledRules();
    let health: StoredFiring[] = [];
    try {
      health = await this.health.evaluate(now, rules);
    } catch (err) {
      // Nothing was recorded: the same events are evaluated again at the next call.
      this.logger.error({ err }, `health rules not evaluated: ${err instanceof Error ? err.message : String(err)}`);
    }
    const key = rules.map((r) => `${r.id}@${r.updatedAt}/${r.mutedUntil ?? ''}`).join(',');
    if (key !== this.rulesKey) {
      // Started (or reloaded) at the stored evaluation marks (at now without them): bars closed
      // before only seed the indicator streams, those after are evaluated now, once.
      await this.engine.reload(now);
      this.rulesKey = key;
      for (const r of this.engine.rejected) this.logger.warn(`alert rule ${r.ruleId} is not evaluated: ${r.error}`);
    } else if (rows === 0 && !this.engine.evaluatesIntrabar) {
      // A `once_per_bar` rule is evaluated on every minute stored, also those the live stream wrote
      // (source `stream`) when the sync found nothing new to write.
      return health;
    }
    return [...health, ...(await this.engine.onBars(now))];
  }

  /**
   * For a process that stores no bars itself (`serve`): evaluates every bar closed by `now` that
   * is stored by now, whoever wrote it (workers, stream processes, a sync by hand), since the last
   * call. Each series is read from the open time after its last evaluated bar, so a bar is
   * evaluated once however often this is called.
   */
  evaluateStored(now: number): Promise<StoredFiring[]> {
    return this.afterSync(now, 1);
  }
}
