/** The parsed form of a rule expression (rule-expression.ts builds it, rule-evaluator.ts reads it). */
import type { Interval } from '../core/intervals.js';
import type { IndicatorSpec } from '../indicators/catalog.js';
import type { StreamExchange } from '../core/market-events.js';
import type { BarField } from '../indicators/stream-catalog.js';
import type { SignalField, SignalName } from './signal-catalog.js';

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

/**
 * A liquidity signal as an operand: `bid_ask_ratio@gemini` (the market of that exchange with the
 * rule's symbol) or `bid_ask_ratio@gemini:BTCUSD` (that market, whatever the rule's symbol).
 */
export interface SignalRef {
  name: SignalName;
  field: SignalField;
  exchange: StreamExchange;
  /** The exchange's own symbol when the operand names one, else null (the rule's symbol). */
  symbol: string | null;
  /** The operand normalised (`bid_ask_ratio@gemini`): the name of its value in a firing's inputs. */
  text: string;
}

export type NumberNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'field'; field: BarField; position: number }
  /** `index`: the operand's place in {@link RuleExpression.indicators}. */
  | { kind: 'indicator'; ref: IndicatorRef; index: number; position: number }
  /** `index`: the operand's place in {@link RuleExpression.signals}. */
  | { kind: 'signal'; ref: SignalRef; index: number; position: number }
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

/** A parsed expression: its tree, its distinct indicator and signal operands and the state slots it needs. */
export interface RuleExpression {
  source: string;
  root: ConditionNode;
  indicators: IndicatorRef[];
  signals: SignalRef[];
  fields: BarField[];
  crossSlots: number;
  forSlots: number;
}
