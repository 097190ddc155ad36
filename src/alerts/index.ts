// alerts: rules (grammar, draft schema), the pure evaluator, shared indicator streams, the live engine and the history preview; delivery channels live beside it. Reads the store only through Store and AlertStore.
export { RuleSyntaxError } from './rule-syntax-error.js';
export { RuleDraftError } from './rule-draft-error.js';
export { parseRuleExpression, MAX_FOR_BARS } from './rule-expression.js';
export type { RuleExpression, IndicatorRef, SignalRef, ConditionNode, NumberNode } from './rule-ast.js';
export { SIGNAL_OPERANDS, SIGNAL_WINDOW_MS, type SignalName } from './signal-catalog.js';
export {
  parseRuleDraft,
  FREQUENCIES,
  HEALTH_EVENTS,
  MAX_SCOPE_SYMBOLS,
  type RuleDefinition,
  type BarRuleDefinition,
  type HealthRuleDefinition,
  type RuleScope,
  type Frequency,
  type QuietHours,
} from './rule-draft.js';
export { evaluateRuleBar, emptyFireState, type CompiledRule, type SymbolFireState, type BarContext, type EvalBar, type RuleFiring } from './rule-evaluator.js';
export { compileDefinition, compileStoredRule } from './compile-rule.js';
export { RuleRunner, type RuleFireState, type SeriesBar } from './rule-runner.js';
export { AlertEngine, type AlertEngineOptions } from './alert-engine.js';
export { previewRule, HORIZONS, type Horizon, type PreviewOptions, type PreviewResult, type PreviewFiring, type PreviewSummary } from './preview.js';
export { resolveScope } from './resolve-scope.js';
export { evaluateHealthEvent, type HealthRule, type PipelineEvent, type HealthState } from './health-rule.js';
