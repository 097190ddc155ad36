/**
 * Rules over a set of series, bar by bar: the one loop the live engine and the preview share.
 * Bars of every series that close at one moment are stepped into the shared indicator streams
 * first, then every rule whose interval closed then is evaluated, so an operand of another
 * interval reads its last closed bar at that moment and never a later one. Then the minutes
 * closed at that moment update the bars still forming, on which `once_per_bar` rules are
 * evaluated (intrabar).
 */
import { intervalMs, MINUTE_MS, type Interval } from '../core/intervals.js';
import { FormingBar } from './forming-bar.js';
import { IndicatorPool, type SeriesStreams } from './indicator-pool.js';
import { RuleBinding } from './rule-binding.js';
import type { IndicatorRef } from './rule-ast.js';
import { SignalPool } from './signal-windows.js';
import { emptyFireState, evaluatesIntrabar, peekRuleBar, stepRuleBar, type CompiledRule, type EvalBar, type RuleFiring, type SymbolFireState } from './rule-evaluator.js';

/** A symbol's fire state as stored: JSON has no NaN, so a cross without a previous value holds null. */
export type StoredSymbolState = Omit<SymbolFireState, 'cross' | 'changed'> & { cross: Array<number | null> };

/** A rule's fire state on every symbol of its scope: `StoredRuleState.state`. */
export interface RuleFireState {
  /** The expression the state belongs to: an edited rule starts afresh. */
  expression: string;
  symbols: Record<string, StoredSymbolState>;
}

/** One closed bar of one series, as the engine or the preview read it (or, peeked, a bar still forming). */
export interface SeriesBar {
  symbol: string;
  interval: Interval;
  bar: EvalBar;
  incomplete: boolean;
  /** Its close, or its close plus the grace period for a bar evaluated while incomplete; a forming bar's last minute's close. */
  evaluatedAt: number;
}

/** A series some `once_per_bar` rule evaluates intrabar: its forming bar, as the rules read it when peeked. */
interface IntrabarSeries {
  series: SeriesStreams;
  forming: FormingBar;
  peekBar: SeriesBar;
}

interface RuleEntry {
  rule: CompiledRule;
  /** One per symbol of the rule's scope. */
  list: RuleBinding[];
  /** A binding's state changed (cross, runs, last firing) since the last takeChangedStates. */
  changed: boolean;
  /** Where an intrabar evaluation advances crosses and runs, and forgets them (peekRuleBar). */
  scratch: SymbolFireState;
}

export class RuleRunner {
  readonly pool = new IndicatorPool();
  /** The stored windows the rules' signal operands read: load them for the bars before `advance` (SignalPool.load). */
  readonly signals = new SignalPool();
  private readonly byRule = new Map<number, RuleEntry>();
  /** Per symbol, its series evaluated intrabar: each of the symbol's stored minutes updates their forming bars. */
  private readonly intrabar = new Map<string, IntrabarSeries[]>();
  /** The `once_per_bar` rules evaluated intrabar, in rule order. */
  private readonly intrabarRules: RuleEntry[] = [];
  /** Closes stepped so far: marks the series stepped at the current one. */
  private steps = 0;
  /** Rule × symbol evaluations of closed bars in the last `advance`. */
  evaluated = 0;
  /** Rule × symbol evaluations of forming bars in the last `advance`. */
  peeked = 0;

  constructor(rules: readonly CompiledRule[], symbolsOf: (rule: CompiledRule) => readonly string[], states: ReadonlyMap<number, unknown> = new Map()) {
    for (const rule of rules) {
      const saved = asFireState(states.get(rule.id), rule);
      const entry: RuleEntry = { rule, list: [], changed: false, scratch: emptyFireState(rule.expression) };
      const intrabar = evaluatesIntrabar(rule);
      const ownInterval = rule.expression.indicators.map((ref) => (ref.interval ?? rule.interval) === rule.interval);
      const symbols = [...new Set(symbolsOf(rule))];
      const openTimes = new Float64Array(symbols.length);
      for (const [slot, symbol] of symbols.entries()) {
        const series = this.pool.series(symbol, rule.interval);
        const cells = rule.expression.indicators.map((ref) => this.pool.series(symbol, ref.interval ?? rule.interval).cell(ref).output(ref.outputKey));
        const signalCells = rule.expression.signals.map((ref) => ({ market: this.signals.market(ref.exchange, ref.symbol ?? symbol, ref.field), field: ref.field }));
        const state = saved?.symbols[symbol] ?? emptyFireState(rule.expression);
        const binding = new RuleBinding(openTimes, slot, symbol, series, cells, signalCells, ownInterval, state);
        entry.list.push(binding);
        if (intrabar) this.evaluateIntrabar(binding, rule.expression.indicators.filter((_, i) => ownInterval[i]));
      }
      this.byRule.set(rule.id, entry);
      if (intrabar) this.intrabarRules.push(entry);
    }
  }

  /** Registers a binding evaluated on its forming bar: its series' minutes are read (a 1m series in the pool), its own-interval streams peeked. */
  private evaluateIntrabar(binding: RuleBinding, own: readonly IndicatorRef[]): void {
    const { series } = binding;
    for (const ref of own) series.peekedCells.add(series.cell(ref));
    this.pool.series(series.symbol, '1m');
    let list = this.intrabar.get(series.symbol);
    if (list === undefined) {
      list = [];
      this.intrabar.set(series.symbol, list);
    }
    if (list.some((x) => x.series === series)) return;
    const forming = new FormingBar(series.interval);
    list.push({ series, forming, peekBar: { symbol: series.symbol, interval: series.interval, bar: forming, incomplete: false, evaluatedAt: NaN } });
  }

  /** Whether some rule is evaluated on forming bars (its minutes are then worth reading after every sync). */
  get evaluatesIntrabar(): boolean {
    return this.intrabar.size > 0;
  }

  /**
   * Minutes of the bars forming at the start (open ≤ minute < start), ascending, per symbol: they
   * build the forming bars without being evaluated (seedRunner).
   */
  seedForming(symbol: string, minutes: readonly EvalBar[]): void {
    for (const s of this.intrabar.get(symbol) ?? []) for (const m of minutes) s.forming.add(m);
  }

  /** The symbols with series evaluated intrabar, and those series' intervals (seedRunner reads their forming bars' minutes). */
  intrabarSymbols(): Map<string, Interval[]> {
    return new Map([...this.intrabar].map(([symbol, list]) => [symbol, list.map((s) => s.series.interval)]));
  }

  /**
   * Steps the bars (any order; a bar at or before its series' last is ignored) and evaluates the
   * rules they close, in close-time order. Returns the firings in that order.
   */
  advance(bars: readonly SeriesBar[]): RuleFiring[] {
    const { sorted, closes } = byClose(bars);
    const firings: RuleFiring[] = [];
    let evaluated = 0;
    this.peeked = 0;
    const minutes: SeriesBar[] = [];
    for (let i = 0; i < sorted.length; ) {
      const t = closes[i] as number;
      // Each series stepped at this close is marked with the step's number and its bar, so that a
      // rule finds its closing bar without a lookup.
      const mark = ++this.steps;
      minutes.length = 0;
      for (; i < sorted.length && closes[i] === t; i++) {
        const sb = sorted[i] as SeriesBar;
        const series = this.pool.series(sb.symbol, sb.interval);
        if (series.lastOpenTime !== null && sb.bar.openTime <= series.lastOpenTime) continue;
        series.step(sb.bar);
        series.closingStep = mark;
        series.closingBar = sb;
        if (sb.interval === '1m' && this.intrabar.has(sb.symbol)) minutes.push(sb);
      }
      // Rule after rule (each rule's tree stays in cache across its symbols), symbol after symbol.
      for (const entry of this.byRule.values()) {
        for (const b of entry.list) {
          if (b.series.closingStep !== mark) continue;
          const firing = stepRuleBar(entry.rule, b, b);
          evaluated++;
          if (b.changed) entry.changed = true;
          if (firing !== null) firings.push(firing);
        }
      }
      // Then the minutes closed now, on the bars they belong to that are still forming: after the
      // closes, so that a bar closing now is evaluated closed, and one forming is peeked over
      // streams that hold the bar before it.
      let peeked = false;
      for (const m of minutes) for (const s of this.intrabar.get(m.symbol) as IntrabarSeries[]) if (this.peekMinute(s, m, mark)) peeked = true;
      if (peeked) this.evaluatePeeked(mark, firings);
    }
    this.evaluated = evaluated;
    return firings;
  }

  /**
   * Adds a closed minute to its forming bar and peeks that bar's streams, marking the series with
   * `mark`; false when the bar is not evaluated intrabar now: the minute is its last (the close
   * evaluates it), the bar is closed already (a late minute), or its streams are not at the bar
   * before it (an earlier bar waits for its grace period).
   */
  private peekMinute(s: IntrabarSeries, minute: SeriesBar, mark: number): boolean {
    const { series, forming } = s;
    forming.add(minute.bar);
    const open = forming.openTime;
    if (minute.bar.openTime + MINUTE_MS >= open + series.intervalMs) return false;
    if (series.lastOpenTime !== null && series.lastOpenTime >= open) return false;
    if (series.waitingFrom !== null && series.waitingFrom < open) return false;
    series.peek(forming);
    s.peekBar.evaluatedAt = forming.upTo;
    series.peekBar = s.peekBar;
    series.peekStep = mark;
    return true;
  }

  /** Evaluates the intrabar rules on the series peeked at `mark`: rule after rule, as at a close (each rule's tree stays in cache across its symbols). */
  private evaluatePeeked(mark: number, firings: RuleFiring[]): void {
    for (const entry of this.intrabarRules) {
      for (const b of entry.list) {
        if (b.series.peekStep !== mark) continue;
        b.intrabar = true;
        const firing = peekRuleBar(entry.rule, b, entry.scratch, b);
        b.intrabar = false;
        this.peeked++;
        if (b.changed) entry.changed = true;
        if (firing !== null) firings.push(firing);
      }
    }
  }

  /**
   * The fire states to store, of the rules whose state changed since the last call beyond the last
   * bar evaluated; clears the list. A rule whose bars changed nothing is not rewritten (10,000
   * rules at a close rewrote 209,000 symbol states): its stored state differs only by an older
   * `lastBarOpenTime`. The engine never evaluates a bar closed before it starts, so this shows
   * only when it restarts at an earlier moment (after a failed write): such a bar is evaluated
   * again from the same state, and changes nothing again unless its indicator values differ.
   */
  takeChangedStates(): Array<{ ruleId: number; state: RuleFireState }> {
    const out: Array<{ ruleId: number; state: RuleFireState }> = [];
    for (const [ruleId, entry] of this.byRule) {
      if (!entry.changed) continue;
      out.push({ ruleId, state: this.ruleState(ruleId) });
      entry.changed = false;
      for (const b of entry.list) b.changed = false;
    }
    return out;
  }

  ruleState(ruleId: number): RuleFireState {
    const r = this.byRule.get(ruleId);
    if (r === undefined) throw new Error(`rule ${ruleId} is not loaded`);
    const symbols: Record<string, StoredSymbolState> = {};
    for (const b of r.list) {
      const st = b;
      const cross = new Array<number | null>(st.cross.length);
      for (let i = 0; i < cross.length; i++) {
        const x = st.cross[i] as number;
        cross[i] = Number.isFinite(x) ? x : null;
      }
      symbols[b.symbol] = { cross, runs: st.runs.slice(), lastBarOpenTime: st.lastBarOpenTime, lastFiredAt: st.lastFiredAt, firedBarOpenTime: st.firedBarOpenTime };
    }
    return { expression: r.rule.expression.source, symbols };
  }
}

/** The bars in close-time order (stable) with their close times; the array itself when already in order (a single series read). */
function byClose(bars: readonly SeriesBar[]): { sorted: readonly SeriesBar[]; closes: Float64Array } {
  const closes = new Float64Array(bars.length);
  let inOrder = true;
  for (let i = 0; i < bars.length; i++) {
    const sb = bars[i] as SeriesBar;
    closes[i] = sb.bar.openTime + intervalMs(sb.interval);
    if (i > 0 && (closes[i] as number) < (closes[i - 1] as number)) inOrder = false;
  }
  if (inOrder) return { sorted: bars, closes };
  const order = Array.from(bars.keys()).sort((a, b) => (closes[a] as number) - (closes[b] as number) || a - b);
  return { sorted: order.map((k) => bars[k] as SeriesBar), closes: Float64Array.from(order, (k) => closes[k] as number) };
}

/** A stored state if it belongs to this rule's expression and has its shape; else none (start afresh). */
function asFireState(raw: unknown, rule: CompiledRule): { symbols: Record<string, SymbolFireState> } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Partial<RuleFireState>;
  if (s.expression !== rule.expression.source || typeof s.symbols !== 'object' || s.symbols === null) return undefined;
  const symbols: Record<string, SymbolFireState> = {};
  for (const [sym, st] of Object.entries(s.symbols)) {
    const ok = Array.isArray(st.cross) && st.cross.length === rule.expression.crossSlots * 2 && Array.isArray(st.runs) && st.runs.length === rule.expression.forSlots;
    // firedBarOpenTime is absent from states stored before once_per_bar was evaluated intrabar.
    if (ok) symbols[sym] = { cross: st.cross.map((x) => (typeof x === 'number' ? x : NaN)), runs: st.runs.slice(), lastBarOpenTime: st.lastBarOpenTime ?? null, lastFiredAt: st.lastFiredAt ?? null, firedBarOpenTime: st.firedBarOpenTime ?? null, changed: false };
  }
  return { symbols };
}
