/**
 * Backfills beside the scheduler's loop: `up` hands symbols over and goes on syncing the others,
 * while one backfill job at a time runs here. The sync asks `busy(symbol)` and leaves a symbol
 * alone while its full backfill is queued or running, so the two never fetch the same minutes.
 * An archive-only pass (reconcile) does not make a symbol busy: it writes published past days,
 * the sync writes minutes after the last stored one, and archive rows outrank REST rows anyway;
 * holding the sync back for it would stall every symbol for the length of the pass.
 */
import type { Logger } from 'pino';
import type { Interval } from '../core/intervals.js';
import type { Store } from '../store/store.js';
import { failureLevel } from './abortable.js';
import { runBackfillJob } from './backfill-job.js';
import type { NothingFound } from './nothing-found.js';
import type { QueuedFileLoader } from './queued-file-loader.js';
import type { Sources } from './sources.js';

export interface BackfillLaneOptions {
  interval: Interval;
  since?: number;
  concurrency?: number;
  /** Symbols whose full backfill stored nothing are remembered here. */
  nothingFound: NothingFound;
  /** Scale-out: the archive files go to workers through this queue (the plan and the REST tail stay here). */
  files?: QueuedFileLoader;
}

export class BackfillLane {
  /** Queued symbols; true for a full backfill, false for archive files only (reconcile). */
  readonly #queued = new Map<string, boolean>();
  /** Symbols in the running job; true for a full backfill. */
  readonly #running = new Map<string, boolean>();
  #loop: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly sources: Sources,
    private readonly logger: Logger,
    private readonly opts: BackfillLaneOptions,
    private readonly signal: AbortSignal,
  ) {}

  /** Queues symbols; a full backfill asked for a symbol queued for archive files only wins. */
  request(symbols: readonly string[], archiveOnly = false): void {
    for (const s of symbols) {
      if (this.#running.has(s) && archiveOnly) continue;
      this.#queued.set(s, this.#queued.get(s) === true || !archiveOnly);
    }
    if (this.#queued.size > 0 && this.#loop === null && !this.signal.aborted) {
      this.#loop = this.#drain().finally(() => {
        this.#loop = null;
      });
    }
  }

  /** True while a full backfill of `symbol` is queued or running. */
  busy(symbol: string): boolean {
    return this.#queued.get(symbol) === true || this.#running.get(symbol) === true;
  }

  /** Resolves when no backfill is running (after an abort: once the running job has stopped). */
  async idle(): Promise<void> {
    while (this.#loop !== null) await this.#loop;
  }

  async #drain(): Promise<void> {
    while (this.#queued.size > 0 && !this.signal.aborted) {
      const full = [...this.#queued].filter(([, f]) => f).map(([s]) => s);
      const archiveOnly = full.length > 0 ? [] : [...this.#queued.keys()];
      const batch = full.length > 0 ? full : archiveOnly;
      for (const s of batch) {
        this.#queued.delete(s);
        this.#running.set(s, full.length > 0);
      }
      try {
        await runBackfillJob(this.store, this.sources, this.logger, {
          symbols: batch,
          interval: this.opts.interval,
          since: this.opts.since,
          concurrency: this.opts.concurrency,
          signal: this.signal,
          archiveOnly: full.length === 0,
          queue: this.opts.files,
        });
        if (!this.signal.aborted) await this.#rememberEmpty(batch, full.length > 0);
      } catch (err) {
        this.logger[failureLevel(err)]({ err }, `backfill of ${batch.join(', ')} failed: ${(err as Error).message}`);
      } finally {
        for (const s of batch) this.#running.delete(s);
      }
    }
  }

  /**
   * After a full backfill a symbol still without candles is remembered; after an archive-only
   * check it stays remembered from the first time (so the daily retry still comes). A symbol
   * with candles is forgotten either way.
   */
  async #rememberEmpty(symbols: readonly string[], full: boolean): Promise<void> {
    const now = this.sources.exchange.now();
    for (const symbol of symbols) {
      const stats = await this.store.seriesStats({ exchange: this.sources.exchange.exchange, symbol, interval: this.opts.interval });
      if (stats !== null) this.opts.nothingFound.forget(symbol);
      else if (full) {
        this.opts.nothingFound.remember(symbol, now);
        this.logger.info(`${symbol}: the backfill found no candles; only its archive listing is checked (hourly) until the universe changes or a day has passed`);
      }
    }
  }
}
