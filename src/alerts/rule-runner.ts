/**
 * Rules over a set of series, bar by bar: the one loop the live engine and the preview share.
 * Bars of every series that close at one moment are stepped into the shared indicator streams
 * first, then every rule whose interval closed then is evaluated, so an operand of another
 * interval reads its last closed bar at that moment and never a later one.
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { IndicatorPool, type SeriesStreams, type StreamCell } from './indicator-pool.js';
import type { IndicatorRef } from './rule-ast.js';
import { emptyFireState, stepRuleBar, type BarContext, type CompiledRule, type EvalBar, type RuleFiring, type SymbolFireState } from './rule-evaluator.js';

/** A symbol's fire state as stored: JSON has no NaN, so a cross without a previous value holds null. */
export type StoredSymbolState = Omit<SymbolFireState, 'cross'> & { cross: Array<number | null> };

/** A rule's fire state on every symbol of its scope: `StoredRuleState.state`. */
export interface RuleFireState {
  /** The expression the state belongs to: an edited rule starts afresh. */
  expression: string;
  symbols: Record<string, StoredSymbolState>;
}

/** One closed bar of one series, as the engine or the preview read it. */
export interface SeriesBar {
  symbol: string;
  interval: Interval;
  bar: EvalBar;
  incomplete: boolean;
  /** Its close, or its close plus the grace period for a bar evaluated while incomplete. */
  evaluatedAt: number;
}

/** One rule on one symbol: its fire state and its context, reused bar after bar (no allocation per bar). */
class Binding implements BarContext {
  state: SymbolFireState;
  bar: EvalBar = { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  incomplete = false;
  evaluatedAt = 0;
  private readonly outputs: Array<string | null>;

  constructor(
    readonly rule: CompiledRule,
    readonly entry: RuleEntry,
    readonly symbol: string,
    /** The series whose close evaluates this binding (the rule's interval on its symbol). */
    readonly series: SeriesStreams,
    private readonly cells: StreamCell[],
    state: SymbolFireState | undefined,
  ) {
    this.state = state ?? emptyFireState(rule.expression);
    this.outputs = rule.expression.indicators.map((r) => r.outputKey);
  }

  value(_ref: IndicatorRef, index: number): number {
    return (this.cells[index] as StreamCell).read(this.outputs[index] as string | null);
  }
}

interface RuleEntry {
  rule: CompiledRule;
  bindings: Map<string, Binding>;
  list: Binding[];
  /** Evaluated since the last takeChangedStates. */
  changed: boolean;
}

export class RuleRunner {
  readonly pool = new IndicatorPool();
  private readonly byRule = new Map<number, RuleEntry>();
  /** Closes stepped so far: marks the series stepped at the current one. */
  private steps = 0;

  constructor(rules: readonly CompiledRule[], symbolsOf: (rule: CompiledRule) => readonly string[], states: ReadonlyMap<number, unknown> = new Map()) {
    for (const rule of rules) {
      const saved = asFireState(states.get(rule.id), rule);
      const entry: RuleEntry = { rule, bindings: new Map<string, Binding>(), list: [], changed: false };
      for (const symbol of symbolsOf(rule)) {
        const cells = rule.expression.indicators.map((ref) => this.pool.series(symbol, ref.interval ?? rule.interval).cell(ref));
        const b = new Binding(rule, entry, symbol, this.pool.series(symbol, rule.interval), cells, saved?.symbols[symbol]);
        entry.bindings.set(symbol, b);
        entry.list.push(b);
      }
      this.byRule.set(rule.id, entry);
    }
  }

  /**
   * Steps the bars (any order; a bar at or before its series' last is ignored) and evaluates the
   * rules they close, in close-time order. Returns the firings in that order.
   */
  advance(bars: readonly SeriesBar[]): RuleFiring[] {
    const sorted = byClose(bars);
    const firings: RuleFiring[] = [];
    for (let i = 0; i < sorted.length; ) {
      const t = closeOf(sorted[i] as SeriesBar);
      // Each series stepped at this close is marked with the step's number and its bar, so that a
      // rule finds its closing bar without a lookup.
      const mark = ++this.steps;
      for (; i < sorted.length && closeOf(sorted[i] as SeriesBar) === t; i++) {
        const sb = sorted[i] as SeriesBar;
        const series = this.pool.series(sb.symbol, sb.interval);
        if (series.lastOpenTime !== null && sb.bar.openTime <= series.lastOpenTime) continue;
        series.step(sb.bar);
        series.closingStep = mark;
        series.closingBar = sb;
      }
      // Rule after rule (each rule's tree stays in cache across its symbols), symbol after symbol.
      for (const entry of this.byRule.values()) {
        for (const b of entry.list) {
          const series = b.series;
          if (series.closingStep !== mark) continue;
          const sb = series.closingBar as SeriesBar;
          b.bar = sb.bar;
          b.incomplete = sb.incomplete;
          b.evaluatedAt = sb.evaluatedAt;
          const firing = stepRuleBar(entry.rule, b.state, b);
          entry.changed = true;
          if (firing !== null) firings.push(firing);
        }
      }
    }
    return firings;
  }

  /** The fire states of the rules evaluated since the last call, to store; clears the list. */
  takeChangedStates(): Array<{ ruleId: number; state: RuleFireState }> {
    const out: Array<{ ruleId: number; state: RuleFireState }> = [];
    for (const [ruleId, entry] of this.byRule) {
      if (!entry.changed) continue;
      out.push({ ruleId, state: this.ruleState(ruleId) });
      entry.changed = false;
    }
    return out;
  }

  ruleState(ruleId: number): RuleFireState {
    const r = this.byRule.get(ruleId);
    if (r === undefined) throw new Error(`rule ${ruleId} is not loaded`);
    const symbols: Record<string, StoredSymbolState> = {};
    for (const [s, b] of r.bindings) {
      const st = b.state;
      symbols[s] = { cross: st.cross.map((x) => (Number.isFinite(x) ? x : null)), runs: st.runs.slice(), lastBarOpenTime: st.lastBarOpenTime, lastFiredAt: st.lastFiredAt };
    }
    return { expression: r.rule.expression.source, symbols };
  }
}

const closeOf = (sb: SeriesBar): number => sb.bar.openTime + intervalMs(sb.interval);

/** The bars in close-time order (stable), the array itself when already in order (a single series read). */
function byClose(bars: readonly SeriesBar[]): readonly SeriesBar[] {
  let prev = -Infinity;
  for (const sb of bars) {
    const t = closeOf(sb);
    if (t < prev) return [...bars].sort((a, b) => closeOf(a) - closeOf(b));
    prev = t;
  }
  return bars;
}

/** A stored state if it belongs to this rule's expression and has its shape; else none (start afresh). */
function asFireState(raw: unknown, rule: CompiledRule): { symbols: Record<string, SymbolFireState> } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Partial<RuleFireState>;
  if (s.expression !== rule.expression.source || typeof s.symbols !== 'object' || s.symbols === null) return undefined;
  const symbols: Record<string, SymbolFireState> = {};
  for (const [sym, st] of Object.entries(s.symbols)) {
    const ok = Array.isArray(st.cross) && st.cross.length === rule.expression.crossSlots * 2 && Array.isArray(st.runs) && st.runs.length === rule.expression.forSlots;
    if (ok) symbols[sym] = { cross: st.cross.map((x) => (typeof x === 'number' ? x : NaN)), runs: st.runs.slice(), lastBarOpenTime: st.lastBarOpenTime ?? null, lastFiredAt: st.lastFiredAt ?? null };
  }
  return { symbols };
}
