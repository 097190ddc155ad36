/**
 * The evaluator, pure: (rule, its fire state on one symbol, one closed bar with its operand
 * values) → (new fire state, a firing or none). No clock, no I/O: the live engine and the preview
 * call it the same way, so they fire on the same bars.
 *
 * Every node of the expression is evaluated on every bar, `or` and `and` included, so the state of
 * a cross or a `for N bars` run inside a branch not taken still advances.
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { inQuietHours } from './quiet-hours.js';
import type { ConditionNode, IndicatorRef, NumberNode, RuleExpression } from './rule-ast.js';
import type { BarRuleDefinition } from './rule-draft.js';

/** A rule ready to evaluate: its document, parsed expression and the store's switches. */
export interface CompiledRule {
  id: number;
  userId: number;
  definition: BarRuleDefinition;
  expression: RuleExpression;
  interval: Interval;
  /** Epoch ms until which the rule does not fire (muted), or null. */
  mutedUntil: number | null;
}

/** What a rule remembers about one symbol between bars (JSON: NaN is kept as null). */
export interface SymbolFireState {
  /** Previous (left, right) values of each cross, in slot order: `[l0, r0, l1, r1, …]`. */
  cross: Array<number | null>;
  /** Consecutive bars each `for N bars` condition has held, in slot order. */
  runs: number[];
  /** Open time of the last bar evaluated (a bar is never evaluated twice). */
  lastBarOpenTime: number | null;
  /** `firedAt` of the last firing, for frequency and cooldown. */
  lastFiredAt: number | null;
}

export interface EvalBar {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface BarContext {
  symbol: string;
  bar: EvalBar;
  /** The bar was evaluated while still incomplete (after the grace period). */
  incomplete: boolean;
  /** When the bar is evaluated: its close, or later for a bar evaluated after the grace period. */
  evaluatedAt: number;
  /**
   * An indicator operand's value at the last closed bar of its interval (NaN during warm-up);
   * `index` is its place in the expression's `indicators`.
   */
  value(ref: IndicatorRef, index: number): number;
}

/** A firing before it is stored: the bar and operand values that caused it, and where it goes. */
export interface RuleFiring {
  ruleId: number;
  userId: number;
  symbol: string;
  interval: Interval;
  barOpenTime: number;
  firedAt: number;
  incomplete: boolean;
  inputs: { bar: EvalBar; operands: Record<string, number | null> };
  message: string;
  /** The rule's channels, or none in quiet hours (the firing is kept in the history only). */
  channels: string[];
}

export function emptyFireState(expression: RuleExpression): SymbolFireState {
  return { cross: new Array<number | null>(expression.crossSlots * 2).fill(null), runs: new Array<number>(expression.forSlots).fill(0), lastBarOpenTime: null, lastFiredAt: null };
}

class Walk {
  constructor(
    private readonly ctx: BarContext,
    readonly cross: Array<number | null>,
    readonly runs: number[],
  ) {}

  number(n: NumberNode): number {
    switch (n.kind) {
      case 'number':
        return n.value;
      case 'field':
        return this.ctx.bar[n.field];
      case 'indicator':
        return this.ctx.value(n.ref, n.index);
      case 'negate':
        return -this.number(n.operand);
      case 'arithmetic': {
        const a = this.number(n.left);
        const b = this.number(n.right);
        return n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b;
      }
    }
  }

  condition(n: ConditionNode): boolean {
    switch (n.kind) {
      case 'compare': {
        const a = this.number(n.left);
        const b = this.number(n.right);
        switch (n.op) {
          case '<': return a < b;
          case '<=': return a <= b;
          case '>': return a > b;
          case '>=': return a >= b;
          case '==': return a === b;
          case '!=': return Number.isFinite(a) && Number.isFinite(b) && a !== b;
        }
        break;
      }
      case 'cross': {
        const a = this.number(n.left);
        const b = this.number(n.right);
        const pa = this.cross[n.slot * 2];
        const pb = this.cross[n.slot * 2 + 1];
        this.cross[n.slot * 2] = Number.isFinite(a) ? a : null;
        this.cross[n.slot * 2 + 1] = Number.isFinite(b) ? b : null;
        if (pa == null || pb == null || !Number.isFinite(a) || !Number.isFinite(b)) return false;
        // TradingView's ta.crossover: above now, at or below on the previous bar.
        return n.direction === 'above' ? a > b && pa <= pb : a < b && pa >= pb;
      }
      case 'logic': {
        const l = this.condition(n.left);
        const r = this.condition(n.right);
        return n.op === 'and' ? l && r : l || r;
      }
      case 'for': {
        const held = this.condition(n.condition);
        const run = held ? (this.runs[n.slot] ?? 0) + 1 : 0;
        this.runs[n.slot] = Math.min(run, n.bars);
        return run >= n.bars;
      }
    }
    return false;
  }
}

/** Whether frequency, cooldown, expiry and mute let the rule fire at `at`. */
function mayFire(rule: CompiledRule, state: SymbolFireState, at: number): boolean {
  const d = rule.definition;
  if (d.expiresAt !== null && at >= d.expiresAt) return false;
  if (rule.mutedUntil !== null && at < rule.mutedUntil) return false;
  const last = state.lastFiredAt;
  if (last === null) return true;
  if (d.frequency === 'once') return false;
  if (typeof d.frequency === 'object' && at - last < d.frequency.atMostEveryMinutes * 60_000) return false;
  return at - last >= d.cooldownMinutes * 60_000;
}

const round = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(8))) : 'n/a');

/** Evaluates one closed bar of one symbol. The state passed in is not changed. */
export function evaluateRuleBar(rule: CompiledRule, state: SymbolFireState, ctx: BarContext): { state: SymbolFireState; firing: RuleFiring | null } {
  if (state.lastBarOpenTime !== null && ctx.bar.openTime <= state.lastBarOpenTime) return { state, firing: null };
  const walk = new Walk(ctx, state.cross.slice(), state.runs.slice());
  const held = walk.condition(rule.expression.root);
  const next: SymbolFireState = { cross: walk.cross, runs: walk.runs, lastBarOpenTime: ctx.bar.openTime, lastFiredAt: state.lastFiredAt };
  if (!held || !mayFire(rule, state, ctx.evaluatedAt)) return { state: next, firing: null };
  next.lastFiredAt = ctx.evaluatedAt;

  const operands: Record<string, number | null> = {};
  for (const f of rule.expression.fields) operands[f] = ctx.bar[f];
  for (const [i, ref] of rule.expression.indicators.entries()) {
    const v = ctx.value(ref, i);
    operands[ref.text] = Number.isFinite(v) ? v : null;
  }
  const d = rule.definition;
  const shown = Object.entries(operands).map(([k, v]) => `${k} ${v === null ? 'n/a' : round(v)}`).join(', ');
  const quiet = d.quietHours !== null && inQuietHours(d.quietHours, ctx.evaluatedAt);
  return {
    state: next,
    firing: {
      ruleId: rule.id,
      userId: rule.userId,
      symbol: ctx.symbol,
      interval: rule.interval,
      barOpenTime: ctx.bar.openTime,
      firedAt: ctx.evaluatedAt,
      incomplete: ctx.incomplete,
      inputs: { bar: { ...ctx.bar }, operands },
      message: `${d.name}: ${ctx.symbol} ${rule.interval} bar ${new Date(ctx.bar.openTime).toISOString().slice(0, 16)}Z close ${round(ctx.bar.close)}${shown === '' ? '' : ` (${shown})`}${ctx.incomplete ? ' [bar incomplete]' : ''}`,
      channels: quiet ? [] : [...d.channels],
    },
  };
}

/** The bar's close: when it is evaluated if complete. */
export function barCloseTime(openTime: number, interval: Interval): number {
  return openTime + intervalMs(interval);
}
