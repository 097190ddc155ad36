/**
 * The live alert engine: told that series got bars up to a moment (the sync calls it), it reads
 * every bar that closed since, evaluates the enabled rules on them with the shared indicator
 * streams (and `once_per_bar` rules on their forming bars, minute by minute: the 1m series is one
 * of those read), and records the new fire states with the firings (and their outbox rows) in one
 * `recordEvaluation` transaction. The preview runs the same runner with the same seeding, so over
 * one window the two fire on the same bars.
 */
import type { AlertStore, EvaluationMark, NewFiring, StoredFiring, StoredRuleState } from '../store/alert-records.js';
import type { Store } from '../store/store.js';
import { compileStoredRule } from './compile-rule.js';
import { barCloseTime, type CompiledRule, type RuleFiring } from './rule-evaluator.js';
import type { RuleScope } from './rule-draft.js';
import { RuleRunner, type SeriesBar } from './rule-runner.js';
import { seedRunner } from './seed-runner.js';
import { readClosedBars } from './series-bars.js';

export interface AlertEngineOptions {
  store: Store;
  alerts: AlertStore;
  exchange: string;
  /** Minutes after its close an incomplete bar is evaluated anyway, its firing marked incomplete. */
  graceMinutes: number;
  /** The symbols of a scope at `now` (resolveScope over the store's universe, in production). */
  symbolsOf(scope: RuleScope, now: number): Promise<readonly string[]>;
}

export class AlertEngine {
  private runner: RuleRunner | null = null;
  /** The moment up to which every closed bar's result is committed (start, or the last recorded evaluation). */
  private committedUpTo: number | null = null;
  /** Per series `symbol|interval`: open time of the next bar to read. */
  private next = new Map<string, number>();
  /** Rules whose stored definition did not compile (reported, never evaluated). */
  rejected: Array<{ ruleId: number; error: string }> = [];

  constructor(private readonly o: AlertEngineOptions) {}

  /**
   * Loads the enabled rules and their fire states and seeds the indicator streams from bars closed
   * by the start: `now`, or the earliest evaluation mark of the loaded series when one is earlier
   * (a previous evaluator's, before a restart or takeover), so that the next onBars evaluates the
   * bars stored since it. A series marked later than the start has bars evaluated again: a rule
   * skips a bar its stored state has evaluated (or evaluates it from the same state, to the same
   * result), and a firing of a rule and bar is stored once (recordEvaluation).
   */
  async start(now: number): Promise<void> {
    const stored = await this.o.alerts.listEnabledRules();
    const rules: CompiledRule[] = [];
    this.rejected = [];
    for (const r of stored) {
      try {
        const c = compileStoredRule(r);
        if (c !== null) rules.push(c);
      } catch (err) {
        this.rejected.push({ ruleId: r.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const symbols = new Map<number, readonly string[]>();
    for (const r of rules) symbols.set(r.id, await this.o.symbolsOf(r.definition.scope, now));
    const states = new Map((await this.o.alerts.listRuleStates()).map((s) => [s.ruleId, s.state]));
    this.runner = new RuleRunner(rules, (r) => symbols.get(r.id) ?? [], states);
    const marks = new Map((await this.o.alerts.listEvaluationMarks(this.o.exchange)).map((m) => [`${m.symbol}|${m.interval}`, m.evaluatedUntil]));
    let start = now;
    for (const series of this.runner.pool.all()) start = Math.min(start, marks.get(`${series.symbol}|${series.interval}`) ?? now);
    this.next = await seedRunner(this.runner, this.o.store, this.o.exchange, start);
    this.committedUpTo = start;
  }

  /** Whether a loaded rule is evaluated on forming bars: then every stored minute counts, not only closes. */
  get evaluatesIntrabar(): boolean {
    return this.runner?.evaluatesIntrabar ?? false;
  }

  /** Rules changed (saved, edited, muted): reload them all, reseeding from the store. */
  reload(now: number): Promise<void> {
    return this.start(now);
  }

  /**
   * Evaluates every bar closed by `upTo` since the last call (of `symbols` only, when given),
   * and records states and firings in one transaction. Returns the stored firings.
   */
  async onBars(upTo: number, symbols?: readonly string[]): Promise<StoredFiring[]> {
    if (this.runner === null && this.committedUpTo !== null) await this.start(this.committedUpTo);
    const runner = this.runner;
    if (runner === null) throw new Error('AlertEngine.start() must run before onBars()');
    const only = symbols === undefined ? null : new Set(symbols);
    const bars: SeriesBar[] = [];
    // Every series read up to a new bar: its mark moves to the open time after it.
    const marks: EvaluationMark[] = [];
    for (const series of runner.pool.all()) {
      if (only !== null && !only.has(series.symbol)) continue;
      const key = `${series.symbol}|${series.interval}`;
      const from = this.next.get(key) ?? 0;
      const read = await readClosedBars(this.o.store, this.o.exchange, series.symbol, series.interval, from, Number.MAX_SAFE_INTEGER, upTo, this.o.graceMinutes * 60_000);
      bars.push(...read.bars);
      series.waitingFrom = read.waitingFrom;
      const last = read.bars.at(-1);
      if (last !== undefined) {
        const until = last.bar.openTime + series.intervalMs;
        this.next.set(key, until);
        marks.push({ exchange: this.o.exchange, symbol: series.symbol, interval: series.interval, evaluatedUntil: until });
      }
    }
    if (runner.signals.size > 0) {
      let from = Infinity;
      let to = -Infinity;
      for (const b of bars) {
        from = Math.min(from, b.bar.openTime);
        to = Math.max(to, barCloseTime(b.bar.openTime, b.interval));
      }
      await runner.signals.load(this.o.store, from, to);
    }
    const firings = runner.advance(bars);
    const states: StoredRuleState[] = runner.takeChangedStates().map((s) => ({ ruleId: s.ruleId, state: s.state, updatedAt: upTo }));
    if (states.length === 0 && firings.length === 0 && marks.length === 0) {
      // Rules evaluated but no state changed (takeChangedStates): these bars are as good as recorded.
      if (only === null && runner.evaluated + runner.peeked > 0) this.committedUpTo = upTo;
      return [];
    }
    try {
      const stored = await this.o.alerts.recordEvaluation(states, firings.map((f) => this.toNewFiring(f)), marks);
      if (only === null) this.committedUpTo = upTo;
      return stored;
    } catch (err) {
      // Nothing was written: forget what was evaluated in memory, so the next call reloads the
      // stored states and evaluates these bars again instead of losing their firings.
      this.runner = null;
      throw err;
    }
  }

  private toNewFiring(f: RuleFiring): NewFiring {
    return {
      ruleId: f.ruleId,
      userId: f.userId,
      exchange: this.o.exchange,
      symbol: f.symbol,
      interval: f.interval,
      barOpenTime: f.barOpenTime,
      firedAt: f.firedAt,
      inputs: f.inputs,
      incomplete: f.incomplete,
      message: f.message,
      channels: f.channels,
    };
  }
}
