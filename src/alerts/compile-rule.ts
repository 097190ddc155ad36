/** A stored rule made ready for the evaluator: its document checked again and its expression parsed. */
import type { Interval } from '../core/intervals.js';
import type { StoredRule } from '../store/alert-records.js';
import { parseRuleDraft, type BarRuleDefinition } from './rule-draft.js';
import { parseRuleExpression } from './rule-expression.js';
import type { CompiledRule } from './rule-evaluator.js';

/** Compiles a bar rule's definition (as `parseRuleDraft` returned it) for a rule id and owner. */
export function compileDefinition(id: number, userId: number, definition: BarRuleDefinition, mutedUntil: number | null = null): CompiledRule {
  return { id, userId, definition, expression: parseRuleExpression(definition.expression), interval: definition.interval as Interval, mutedUntil };
}

/**
 * A stored bar rule compiled, or null for a health rule. The definition is validated again: the
 * store holds JSON that another version may have written, and a bad one must name its field.
 */
export function compileStoredRule(rule: StoredRule): CompiledRule | null {
  const definition = parseRuleDraft(rule.definition);
  if (definition.kind !== 'bar') return null;
  return compileDefinition(rule.id, rule.userId, definition, rule.mutedUntil);
}
