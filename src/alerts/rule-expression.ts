/**
 * The rule expression grammar (docs/ALERTS.md), parsed by precedence climbing and then typed, so
 * that `(close + open) / 2 > ema:20` and `(rsi:14 < 30 or close > sr.resistance) for 2 bars` both
 * read without lookahead tricks:
 *
 *   expression := or
 *   or         := and ("or" and)*
 *   and        := held ("and" held)*
 *   held       := compare ("for" INTEGER ("bars" | "bar"))?
 *   compare    := sum (("<" | "<=" | ">" | ">=" | "==" | "!=" | "crosses_above" | "crosses_below") sum)?
 *   sum        := product (("+" | "-") product)*
 *   product    := unary (("*" | "/") unary)*
 *   unary      := "-" unary | NUMBER | FIELD | INDICATOR | SIGNAL | "(" or ")"
 *
 * FIELD is open, high, low, close or volume; INDICATOR is a catalog `--ind` spec with an optional
 * input field, output and interval; SIGNAL is a liquidity signal with its exchange and an optional
 * symbol, `bid_ask_ratio@gemini[:BTCUSD]` (rule-tokens.ts). Every error is a RuleSyntaxError with the
 * position of the token at fault.
 */
import type { BarField } from '../indicators/stream-catalog.js';
import type { ComparisonOp, ConditionNode, IndicatorRef, NumberNode, RuleExpression, SignalRef } from './rule-ast.js';
import { RuleSyntaxError } from './rule-syntax-error.js';
import { tokenize, type Token } from './rule-tokens.js';

/** Longest `for N bars` run a rule may ask for (its counter lives in the rule state). */
export const MAX_FOR_BARS = 10_000;

type Node = NumberNode | ConditionNode;

const isCondition = (n: Node): n is ConditionNode => n.kind === 'compare' || n.kind === 'cross' || n.kind === 'logic' || n.kind === 'for';
const COMPARISONS: readonly string[] = ['<', '<=', '>', '>=', '==', '!='];

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'the end of the expression';
    case 'number':
      return `number ${t.value}`;
    case 'field':
      return `"${t.field}"`;
    case 'indicator':
    case 'signal':
      return `"${t.ref.text}"`;
    case 'keyword':
      return `"${t.word}"`;
    case 'op':
      return `"${t.op}"`;
  }
}

class Parser {
  private at = 0;
  private crossSlots = 0;
  private forSlots = 0;
  readonly indicators = new Map<string, IndicatorRef>();
  readonly signals = new Map<string, SignalRef>();
  readonly fields = new Set<BarField>();

  constructor(private readonly tokens: Token[]) {}

  parse(): RuleExpression['root'] {
    const root = this.or();
    const next = this.peek();
    if (next.type !== 'end') throw new RuleSyntaxError(next.position, `unexpected ${describe(next)}: expected "and", "or" or the end`);
    return this.condition(root, 'the expression must be a condition (a comparison, a cross, or conditions joined by and/or)');
  }

  get slots(): { crossSlots: number; forSlots: number } {
    return { crossSlots: this.crossSlots, forSlots: this.forSlots };
  }

  private peek(): Token {
    return this.tokens[this.at] as Token;
  }

  private next(): Token {
    return this.tokens[this.at++] as Token;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'keyword' && t.word === word;
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.type === 'op' && ops.includes(t.op);
  }

  private condition(n: Node, message: string): ConditionNode {
    if (!isCondition(n)) throw new RuleSyntaxError(n.position, message);
    return n;
  }

  private number(n: Node, message: string): NumberNode {
    if (isCondition(n)) throw new RuleSyntaxError(n.position, message);
    return n;
  }

  private or(): Node {
    let left = this.and();
    while (this.isKeyword('or')) {
      const position = this.next().position;
      const l = this.condition(left, '"or" joins conditions, and its left side is a number');
      const r = this.condition(this.and(), '"or" joins conditions, and its right side is a number');
      left = { kind: 'logic', op: 'or', left: l, right: r, position };
    }
    return left;
  }

  private and(): Node {
    let left = this.held();
    while (this.isKeyword('and')) {
      const position = this.next().position;
      const l = this.condition(left, '"and" joins conditions, and its left side is a number');
      const r = this.condition(this.held(), '"and" joins conditions, and its right side is a number');
      left = { kind: 'logic', op: 'and', left: l, right: r, position };
    }
    return left;
  }

  private held(): Node {
    const inner = this.compare();
    if (!this.isKeyword('for')) return inner;
    const position = this.next().position;
    const condition = this.condition(inner, '"for N bars" follows a condition, not a number');
    const count = this.next();
    if (count.type !== 'number' || !Number.isInteger(count.value) || count.value < 1 || count.value > MAX_FOR_BARS) {
      throw new RuleSyntaxError(count.position, `"for" takes a whole number of bars from 1 to ${MAX_FOR_BARS}, not ${describe(count)}`);
    }
    const unit = this.next();
    if (unit.type !== 'keyword' || (unit.word !== 'bars' && unit.word !== 'bar')) {
      throw new RuleSyntaxError(unit.position, `expected "bars" after "for ${count.value}", not ${describe(unit)}`);
    }
    return { kind: 'for', bars: count.value, condition, position, slot: this.forSlots++ };
  }

  private compare(): Node {
    const left = this.sum();
    const t = this.peek();
    if (t.type === 'op' && COMPARISONS.includes(t.op)) {
      this.next();
      const l = this.number(left, `"${t.op}" compares numbers, and its left side is a condition`);
      const r = this.number(this.sum(), `"${t.op}" compares numbers, and its right side is a condition`);
      return { kind: 'compare', op: t.op as ComparisonOp, left: l, right: r, position: t.position };
    }
    if (t.type === 'keyword' && (t.word === 'crosses_above' || t.word === 'crosses_below')) {
      this.next();
      const l = this.number(left, `"${t.word}" compares numbers, and its left side is a condition`);
      const r = this.number(this.sum(), `"${t.word}" compares numbers, and its right side is a condition`);
      return { kind: 'cross', direction: t.word === 'crosses_above' ? 'above' : 'below', left: l, right: r, position: t.position, slot: this.crossSlots++ };
    }
    return left;
  }

  private sum(): Node {
    let left = this.product();
    while (this.isOp('+', '-')) {
      const t = this.next() as Token & { op: '+' | '-' };
      const l = this.number(left, `"${t.op}" adds numbers, not conditions`);
      const r = this.number(this.product(), `"${t.op}" adds numbers, not conditions`);
      left = { kind: 'arithmetic', op: t.op, left: l, right: r, position: t.position };
    }
    return left;
  }

  private product(): Node {
    let left = this.unary();
    while (this.isOp('*', '/')) {
      const t = this.next() as Token & { op: '*' | '/' };
      const l = this.number(left, `"${t.op}" multiplies numbers, not conditions`);
      const r = this.number(this.unary(), `"${t.op}" multiplies numbers, not conditions`);
      left = { kind: 'arithmetic', op: t.op, left: l, right: r, position: t.position };
    }
    return left;
  }

  private unary(): Node {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value, position: t.position };
      case 'field':
        this.fields.add(t.field);
        return { kind: 'field', field: t.field, position: t.position };
      case 'indicator': {
        if (!this.indicators.has(t.ref.text)) this.indicators.set(t.ref.text, t.ref);
        const index = [...this.indicators.keys()].indexOf(t.ref.text);
        return { kind: 'indicator', ref: this.indicators.get(t.ref.text) as IndicatorRef, index, position: t.position };
      }
      case 'signal': {
        if (!this.signals.has(t.ref.text)) this.signals.set(t.ref.text, t.ref);
        const index = [...this.signals.keys()].indexOf(t.ref.text);
        return { kind: 'signal', ref: this.signals.get(t.ref.text) as SignalRef, index, position: t.position };
      }
      case 'op':
        if (t.op === '-') {
          const operand = this.number(this.unary(), '"-" negates a number, not a condition');
          return { kind: 'negate', operand, position: t.position };
        }
        if (t.op === '(') {
          const inner = this.or();
          const close = this.next();
          if (close.type !== 'op' || close.op !== ')') throw new RuleSyntaxError(close.position, `expected ")" to close the "(" at ${t.position + 1}, not ${describe(close)}`);
          return inner;
        }
        break;
      default:
        break;
    }
    throw new RuleSyntaxError(t.position, `expected a number, a bar field or an indicator, not ${describe(t)}`);
  }
}

/** Parses and type-checks a rule expression; throws RuleSyntaxError naming the position at fault. */
export function parseRuleExpression(source: string): RuleExpression {
  if (source.trim() === '') throw new RuleSyntaxError(0, 'the expression is empty (e.g. rsi:14 < 30)');
  const parser = new Parser(tokenize(source));
  const root = parser.parse();
  return { source, root, indicators: [...parser.indicators.values()], signals: [...parser.signals.values()], fields: [...parser.fields], ...parser.slots };
}
