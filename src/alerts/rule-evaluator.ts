/**
 * The evaluator, pure: (rule, its fire state on one symbol, one closed bar with its operand
 * values) → (new fire state, a firing or none). No clock, no I/O: the live engine and the preview
 * call it the same way, so they fire on the same bars.
 *
 * Every node of the expression is evaluated on every bar, `or` and `and` included, so the state of
 * a cross or a `for N bars` run inside a branch not taken still advances.
 */
import type { Candle } from '../core/candle.js';
import { intervalMs, MINUTE_MS, type Interval } from '../core/intervals.js';
import { inQuietHours } from './quiet-hours.js';
import type { ConditionNode, IndicatorRef, NumberNode, RuleExpression, SignalRef } from './rule-ast.js';
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
  /** The expression compiled to closures (compileCondition), evaluated without walking the tree. */
  test: CompiledCondition;
}

export type CompiledCondition = (ctx: BarContext, state: SymbolFireState) => boolean;
type CompiledNumber = (ctx: BarContext) => number;

/** What a rule remembers about one symbol between bars. */
export interface SymbolFireState {
  /** Previous (left, right) values of each cross, in slot order: `[l0, r0, l1, r1, …]`; NaN for none (null in JSON). */
  cross: number[];
  /** Consecutive bars each `for N bars` condition has held, in slot order. */
  runs: number[];
  /** Open time of the last bar evaluated (a bar is never evaluated twice). */
  lastBarOpenTime: number | null;
  /** `firedAt` of the last firing, for frequency and cooldown. */
  lastFiredAt: number | null;
  /** Open time of the bar of the last firing: a `once_per_bar` rule fires at most once per bar, intrabar or at its close. */
  firedBarOpenTime: number | null;
  /**
   * Set when a bar changed `cross`, `runs` or `lastFiredAt` (not `lastBarOpenTime` alone): the
   * runner stores only such states. Not stored itself.
   */
  changed: boolean;
}

export type EvalBar = Pick<Candle, 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

export interface BarContext {
  symbol: string;
  /** The closed bar, or for an intrabar evaluation the bar as formed so far. */
  bar: EvalBar;
  /** The bar was evaluated while still incomplete (after the grace period). */
  incomplete: boolean;
  /**
   * When the bar is evaluated: its close, or later for a bar evaluated after the grace period; for
   * an intrabar evaluation, the close of the bar's last stored minute.
   */
  evaluatedAt: number;
  /**
   * An indicator operand's value at the last closed bar of its interval (NaN during warm-up);
   * `index` is its place in the expression's `indicators`.
   */
  value(ref: IndicatorRef, index: number): number;
  /**
   * A signal operand's value in the newest window of its market that ended within the bar
   * (open < end ≤ close), NaN when there is none or the field is null; `index` is its place in
   * the expression's `signals`.
   */
  signal(ref: SignalRef, index: number): number;
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
  /** `intrabar`: fired on the bar still forming (`once_per_bar`), `bar` as it stood at `firedAt`. */
  inputs: { bar: EvalBar; operands: Record<string, number | null>; intrabar: boolean };
  message: string;
  /** The rule's channels, or none in quiet hours (the firing is kept in the history only). */
  channels: string[];
}

export function emptyFireState(expression: RuleExpression): SymbolFireState {
  return { cross: new Array<number>(expression.crossSlots * 2).fill(NaN), runs: new Array<number>(expression.forSlots).fill(0), lastBarOpenTime: null, lastFiredAt: null, firedBarOpenTime: null, changed: false };
}

function compileNumber(n: NumberNode): CompiledNumber {
  switch (n.kind) {
    case 'number': {
      const v = n.value;
      return () => v;
    }
    case 'field':
      // One closure per field: a property read the engine can inline, not a lookup by name.
      switch (n.field) {
        case 'open': return (ctx) => ctx.bar.open;
        case 'high': return (ctx) => ctx.bar.high;
        case 'low': return (ctx) => ctx.bar.low;
        case 'close': return (ctx) => ctx.bar.close;
        case 'volume': return (ctx) => ctx.bar.volume;
      }
      break;
    case 'indicator': {
      const { ref, index } = n;
      return (ctx) => ctx.value(ref, index);
    }
    case 'signal': {
      const { ref, index } = n;
      return (ctx) => ctx.signal(ref, index);
    }
    case 'negate': {
      const a = compileNumber(n.operand);
      return (ctx) => -a(ctx);
    }
    case 'arithmetic': {
      const a = compileNumber(n.left);
      const b = compileNumber(n.right);
      switch (n.op) {
        case '+': return (ctx) => a(ctx) + b(ctx);
        case '-': return (ctx) => a(ctx) - b(ctx);
        case '*': return (ctx) => a(ctx) * b(ctx);
        case '/': return (ctx) => a(ctx) / b(ctx);
      }
    }
  }
}

/**
 * The condition as closures: whether it holds at this bar, advancing the cross and run state in
 * place. Compiled once per rule, so evaluation does no tree walk.
 */
export function compileCondition(n: ConditionNode): CompiledCondition {
  switch (n.kind) {
    case 'compare': {
      const a = compileNumber(n.left);
      const b = compileNumber(n.right);
      switch (n.op) {
        case '<': return (ctx) => a(ctx) < b(ctx);
        case '<=': return (ctx) => a(ctx) <= b(ctx);
        case '>': return (ctx) => a(ctx) > b(ctx);
        case '>=': return (ctx) => a(ctx) >= b(ctx);
        case '==': return (ctx) => a(ctx) === b(ctx);
        case '!=': return (ctx) => {
          const x = a(ctx);
          const y = b(ctx);
          return Number.isFinite(x) && Number.isFinite(y) && x !== y;
        };
      }
      break;
    }
    case 'cross': {
      const a = compileNumber(n.left);
      const b = compileNumber(n.right);
      const i = n.slot * 2;
      const above = n.direction === 'above';
      return (ctx, state) => {
        const x = a(ctx);
        const y = b(ctx);
        const px = state.cross[i] as number;
        const py = state.cross[i + 1] as number;
        if (!same(px, x) || !same(py, y)) {
          state.cross[i] = x;
          state.cross[i + 1] = y;
          state.changed = true;
        }
        if (!Number.isFinite(px) || !Number.isFinite(py) || !Number.isFinite(x) || !Number.isFinite(y)) return false;
        // TradingView's ta.crossover: above now, at or below on the previous bar.
        return above ? x > y && px <= py : x < y && px >= py;
      };
    }
    case 'logic': {
      const l = compileCondition(n.left);
      const r = compileCondition(n.right);
      // Both sides always run: a cross or a run inside the side not needed keeps its history.
      return n.op === 'and'
        ? (ctx, state) => {
            const x = l(ctx, state);
            return r(ctx, state) && x;
          }
        : (ctx, state) => {
            const x = l(ctx, state);
            return r(ctx, state) || x;
          };
    }
    case 'for': {
      const c = compileCondition(n.condition);
      const { slot, bars } = n;
      return (ctx, state) => {
        const run = c(ctx, state) ? (state.runs[slot] ?? 0) + 1 : 0;
        const kept = Math.min(run, bars);
        if (state.runs[slot] !== kept) {
          state.runs[slot] = kept;
          state.changed = true;
        }
        return run >= bars;
      };
    }
  }
  throw new Error('unreachable: every condition kind is compiled');
}

/** Equal, NaN equal to NaN (a cross side still warming up). */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
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
  const next: SymbolFireState = { cross: state.cross.slice(), runs: state.runs.slice(), lastBarOpenTime: state.lastBarOpenTime, lastFiredAt: state.lastFiredAt, firedBarOpenTime: state.firedBarOpenTime, changed: false };
  const firing = stepRuleBar(rule, next, ctx);
  return { state: next, firing };
}

/**
 * {@link evaluateRuleBar} writing the new state over the old one: the runner's form, which
 * allocates nothing for a bar that does not fire (10,000 rules on 200 symbols at one close).
 */
export function stepRuleBar(rule: CompiledRule, state: SymbolFireState, ctx: BarContext): RuleFiring | null {
  if (state.lastBarOpenTime !== null && ctx.bar.openTime <= state.lastBarOpenTime) return null;
  const held = rule.test(ctx, state);
  state.lastBarOpenTime = ctx.bar.openTime;
  if (!held || state.firedBarOpenTime === ctx.bar.openTime || !mayFire(rule, state, ctx.evaluatedAt)) return null;
  return fire(rule, state, ctx, false);
}

/**
 * A `once_per_bar` rule on the bar still forming (`ctx.bar` as formed so far, its indicator
 * operands peeked): whether it fires now. Crosses and `for` runs are evaluated on `scratch`, a
 * copy of the state's, and forgotten: they advance only at the bar's close. Only a firing changes
 * the state (its time, and the bar as fired, so that neither a later minute nor the close fires
 * again in that bar).
 */
export function peekRuleBar(rule: CompiledRule, state: SymbolFireState, scratch: SymbolFireState, ctx: BarContext): RuleFiring | null {
  if (state.lastBarOpenTime !== null && ctx.bar.openTime <= state.lastBarOpenTime) return null;
  if (state.firedBarOpenTime === ctx.bar.openTime) return null;
  for (let i = 0; i < state.cross.length; i++) scratch.cross[i] = state.cross[i] as number;
  for (let i = 0; i < state.runs.length; i++) scratch.runs[i] = state.runs[i] as number;
  if (!rule.test(ctx, scratch) || !mayFire(rule, state, ctx.evaluatedAt)) return null;
  return fire(rule, state, ctx, true);
}

function fire(rule: CompiledRule, state: SymbolFireState, ctx: BarContext, intrabar: boolean): RuleFiring {
  state.lastFiredAt = ctx.evaluatedAt;
  state.firedBarOpenTime = ctx.bar.openTime;
  state.changed = true;

  const operands: Record<string, number | null> = {};
  for (const f of rule.expression.fields) operands[f] = ctx.bar[f];
  for (const [i, ref] of rule.expression.indicators.entries()) {
    const v = ctx.value(ref, i);
    operands[ref.text] = Number.isFinite(v) ? v : null;
  }
  for (const [i, ref] of rule.expression.signals.entries()) {
    const v = ctx.signal(ref, i);
    operands[ref.text] = Number.isFinite(v) ? v : null;
  }
  const d = rule.definition;
  const shown = Object.entries(operands).map(([k, v]) => `${k} ${v === null ? 'n/a' : round(v)}`).join(', ');
  const quiet = d.quietHours !== null && inQuietHours(d.quietHours, ctx.evaluatedAt);
  const when = intrabar ? ` forming at ${new Date(ctx.evaluatedAt).toISOString().slice(11, 16)}Z` : '';
  return {
    ruleId: rule.id,
    userId: rule.userId,
    symbol: ctx.symbol,
    interval: rule.interval,
    barOpenTime: ctx.bar.openTime,
    firedAt: ctx.evaluatedAt,
    incomplete: ctx.incomplete,
    inputs: { bar: { openTime: ctx.bar.openTime, open: ctx.bar.open, high: ctx.bar.high, low: ctx.bar.low, close: ctx.bar.close, volume: ctx.bar.volume }, operands, intrabar },
    message: `${d.name}: ${ctx.symbol} ${rule.interval} bar ${new Date(ctx.bar.openTime).toISOString().slice(0, 16)}Z${when} close ${round(ctx.bar.close)}${shown === '' ? '' : ` (${shown})`}${ctx.incomplete ? ' [bar incomplete]' : ''}`,
    channels: quiet ? [] : [...d.channels],
  };
}

/** Whether the rule is evaluated on its bar while it forms: `once_per_bar` above 1m (a 1m bar has no minute before its close). */
export function evaluatesIntrabar(rule: CompiledRule): boolean {
  return rule.definition.frequency === 'once_per_bar' && intervalMs(rule.interval) > MINUTE_MS;
}

/** The bar's close: when it is evaluated if complete. */
export function barCloseTime(openTime: number, interval: Interval): number {
  return openTime + intervalMs(interval);
}
