/** The parsed form of a rule expression (rule-expression.ts builds it, rule-evaluator.ts reads it). */
import type { Interval } from '../core/intervals.js';
import type { IndicatorSpec } from '../indicators/catalog.js';
import type { BarField } from '../indicators/stream-catalog.js';

/**
 * A catalog indicator as an operand: `macd:12:26:9.signal@4h`, `sma:20(volume)`. `key` names the
 * stream (indicator, params, source field), shared by every rule that uses it on a series;
 * `interval` is null for the rule's own interval.
 */
export interface IndicatorRef {
  spec: IndicatorSpec;
  source: BarField;
  /** Output of a multi-output indicator (`signal`), null for a single-output one. */
  output: string | null;
  /** The output's key in the stream's value record (`buySetup` for `buy_setup`). */
  outputKey: string | null;
  interval: Interval | null;
  /** Stream identity without interval: `macd:12:26:9`, `sma:20(volume)`. */
  streamKey: string;
  /** The operand as the rule wrote it, normalised (`macd:12:26:9.signal@4h`): the name of its value in a firing's inputs. */
  text: string;
}

export type NumberNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'field'; field: BarField; position: number }
  /** `index`: the operand's place in {@link RuleExpression.indicators}. */
  | { kind: 'indicator'; ref: IndicatorRef; index: number; position: number }
  | { kind: 'negate'; operand: NumberNode; position: number }
  | { kind: 'arithmetic'; op: '+' | '-' | '*' | '/'; left: NumberNode; right: NumberNode; position: number };

export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export type ConditionNode =
  | { kind: 'compare'; op: ComparisonOp; left: NumberNode; right: NumberNode; position: number }
  /** `slot` indexes the rule state's previous (left, right) values of this cross. */
  | { kind: 'cross'; direction: 'above' | 'below'; left: NumberNode; right: NumberNode; position: number; slot: number }
  | { kind: 'logic'; op: 'and' | 'or'; left: ConditionNode; right: ConditionNode; position: number }
  /** True once `condition` has held on `bars` consecutive bars; `slot` indexes the run counter in the rule state. */
  | { kind: 'for'; bars: number; condition: ConditionNode; position: number; slot: number };

/** A parsed expression: its tree, its distinct indicator operands and the state slots it needs. */
export interface RuleExpression {
  source: string;
  root: ConditionNode;
  indicators: IndicatorRef[];
  fields: BarField[];
  crossSlots: number;
  forSlots: number;
}
