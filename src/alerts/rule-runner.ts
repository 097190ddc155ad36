/**
 * Rules over a set of series, bar by bar: the one loop the live engine and the preview share.
 * Bars of every series that close at one moment are stepped into the shared indicator streams
 * first, then every rule whose interval closed then is evaluated, so an operand of another
 * interval reads its last closed bar at that moment and never a later one.
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { IndicatorPool, type StreamCell } from './indicator-pool.js';
import type { IndicatorRef } from './rule-ast.js';
import { emptyFireState, evaluateRuleBar, type BarContext, type CompiledRule, type EvalBar, type RuleFiring, type SymbolFireState } from './rule-evaluator.js';

/** A rule's fire state on every symbol of its scope: `StoredRuleState.state`. */
export interface RuleFireState {
  /** The expression the state belongs to: an edited rule starts afresh. */
  expression: string;
  symbols: Record<string, SymbolFireState>;
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

/** One rule on one symbol: where its operands live and its context object, reused bar after bar. */
class Binding {
  state: SymbolFireState;
  readonly ctx: BarContext;
  private readonly outputs: Array<string | null>;

  constructor(
    readonly rule: CompiledRule,
    symbol: string,
    private readonly cells: StreamCell[],
    state: SymbolFireState | undefined,
  ) {
    this.state = state ?? emptyFireState(rule.expression);
    this.outputs = rule.expression.indicators.map((r) => r.outputKey);
    const cellsOf = this.cells;
    const outputs = this.outputs;
    this.ctx = {
      symbol,
      bar: { openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
      incomplete: false,
      evaluatedAt: 0,
      value: (_ref: IndicatorRef, index: number) => (cellsOf[index] as StreamCell).read(outputs[index] as string | null),
    };
  }
}

export class RuleRunner {
  readonly pool = new IndicatorPool();
  /** Bindings by the series (`symbol|interval`) whose close evaluates them. */
  private readonly byRuleSeries = new Map<string, Binding[]>();
  private readonly byRule = new Map<number, { rule: CompiledRule; bindings: Map<string, Binding> }>();
  private readonly changed = new Set<number>();

  constructor(rules: readonly CompiledRule[], symbolsOf: (rule: CompiledRule) => readonly string[], states: ReadonlyMap<number, unknown> = new Map()) {
    for (const rule of rules) {
      const saved = asFireState(states.get(rule.id), rule);
      const bindings = new Map<string, Binding>();
      for (const symbol of symbolsOf(rule)) {
        const cells = rule.expression.indicators.map((ref) => this.pool.series(symbol, ref.interval ?? rule.interval).cell(ref));
        this.pool.series(symbol, rule.interval);
        const b = new Binding(rule, symbol, cells, saved?.symbols[symbol]);
        bindings.set(symbol, b);
        const key = `${symbol}|${rule.interval}`;
        const list = this.byRuleSeries.get(key);
        if (list === undefined) this.byRuleSeries.set(key, [b]);
        else list.push(b);
      }
      this.byRule.set(rule.id, { rule, bindings });
    }
  }

  /**
   * Steps the bars (any order; a bar at or before its series' last is ignored) and evaluates the
   * rules they close, in close-time order. Returns the firings in that order.
   */
  advance(bars: readonly SeriesBar[]): RuleFiring[] {
    const sorted = [...bars].sort((a, b) => a.bar.openTime + intervalMs(a.interval) - (b.bar.openTime + intervalMs(b.interval)));
    const firings: RuleFiring[] = [];
    const closing: SeriesBar[] = [];
    for (let i = 0; i < sorted.length; ) {
      const t = closeOf(sorted[i] as SeriesBar);
      closing.length = 0;
      for (; i < sorted.length && closeOf(sorted[i] as SeriesBar) === t; i++) {
        const sb = sorted[i] as SeriesBar;
        const series = this.pool.series(sb.symbol, sb.interval);
        if (series.lastOpenTime !== null && sb.bar.openTime <= series.lastOpenTime) continue;
        series.step(sb.bar);
        closing.push(sb);
      }
      for (const sb of closing) {
        const list = this.byRuleSeries.get(`${sb.symbol}|${sb.interval}`);
        if (list === undefined) continue;
        for (const b of list) {
          const ctx = b.ctx;
          ctx.bar = sb.bar;
          ctx.incomplete = sb.incomplete;
          ctx.evaluatedAt = sb.evaluatedAt;
          const out = evaluateRuleBar(b.rule, b.state, ctx);
          b.state = out.state;
          this.changed.add(b.rule.id);
          if (out.firing !== null) firings.push(out.firing);
        }
      }
    }
    return firings;
  }

  /** The fire states of the rules evaluated since the last call, to store; clears the list. */
  takeChangedStates(): Array<{ ruleId: number; state: RuleFireState }> {
    const out = [...this.changed].map((ruleId) => ({ ruleId, state: this.ruleState(ruleId) }));
    this.changed.clear();
    return out;
  }

  ruleState(ruleId: number): RuleFireState {
    const r = this.byRule.get(ruleId);
    if (r === undefined) throw new Error(`rule ${ruleId} is not loaded`);
    const symbols: Record<string, SymbolFireState> = {};
    for (const [s, b] of r.bindings) symbols[s] = b.state;
    return { expression: r.rule.expression.source, symbols };
  }
}

const closeOf = (sb: SeriesBar): number => sb.bar.openTime + intervalMs(sb.interval);

/** A stored state if it belongs to this rule's expression and has its shape; else none (start afresh). */
function asFireState(raw: unknown, rule: CompiledRule): RuleFireState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Partial<RuleFireState>;
  if (s.expression !== rule.expression.source || typeof s.symbols !== 'object' || s.symbols === null) return undefined;
  const symbols: Record<string, SymbolFireState> = {};
  for (const [sym, st] of Object.entries(s.symbols)) {
    const ok = Array.isArray(st.cross) && st.cross.length === rule.expression.crossSlots * 2 && Array.isArray(st.runs) && st.runs.length === rule.expression.forSlots;
    if (ok) symbols[sym] = { cross: st.cross, runs: st.runs, lastBarOpenTime: st.lastBarOpenTime ?? null, lastFiredAt: st.lastFiredAt ?? null };
  }
  return { expression: s.expression, symbols };
}
