/**
 * What `tickerflow alerts` prints: the rule list, a rule draft's error in terms of the command's
 * flags (the expression with a caret under the position), and a preview as a table, CSV or JSON.
 * Both ways of running (on the store, through a running `up`) print through here, so they match.
 */
import type { RuleJson } from '../api/routes/alert-routes.js';
import { HORIZONS, type Horizon, type PreviewResult } from '../alerts/preview.js';
import type { RuleDraftError } from '../alerts/rule-draft-error.js';
import { alignedTable, isoMinute, valueCell } from './text-table.js';

const HORIZON_NAMES = Object.keys(HORIZONS) as Horizon[];

/** The flag a rule draft's field came from. */
const FLAG_OF_FIELD: Record<string, string> = {
  scope: '--symbol/--symbols/--top',
  interval: '--interval',
  frequency: '--frequency',
  cooldownMinutes: '--cooldown',
  expiresAt: '--expires',
  quietHours: '--quiet',
  name: '--name',
  channels: '--channel',
};

/**
 * A draft error as the command's user typed it: an expression error with the expression and a
 * caret under the position; any other field named by its flag (and the value, for a channel).
 */
export function draftErrorText(err: RuleDraftError, expression: string, channels: readonly string[]): string {
  if (err.field === 'expression') {
    if (err.position === undefined) return err.message;
    return `${err.message}\n  ${expression}\n  ${' '.repeat(err.position)}^`;
  }
  const [head, index] = err.field.split('.');
  const flag = FLAG_OF_FIELD[head ?? ''] ?? head ?? 'rule';
  const reason = err.message.slice(err.field.length + 2);
  if (head === 'channels' && index !== undefined && channels[Number(index)] !== undefined) return `--channel ${channels[Number(index)]}: ${reason}`;
  return `${flag}: ${reason}`;
}

function scopeText(r: RuleJson): string {
  const scope = r.scope as { symbols?: string[]; top?: number } | null | undefined;
  if (scope === null || scope === undefined) return r.kind === 'health' ? 'all' : '-';
  if (scope.top !== undefined) return `top ${scope.top}`;
  return (scope.symbols ?? []).join(',');
}

function frequencyText(f: unknown): string {
  if (typeof f === 'string') return f;
  if (typeof f === 'object' && f !== null && 'atMostEveryMinutes' in f) return `every:${String(f.atMostEveryMinutes)}`;
  return '-';
}

/** The `alerts list` table, one row per rule by id; `now` decides whether a mute still holds. */
export function formatRules(rules: readonly RuleJson[], userName: string, now: number): string {
  if (rules.length === 0) return `${userName} has no alert rules yet: \`tickerflow alerts add "<expr>" --symbol S --interval I --channel dashboard\` adds one\n`;
  const rows = [...rules]
    .sort((a, b) => a.id - b.id)
    .map((r) => {
      const state = !r.enabled ? 'disabled' : r.mutedUntil !== null && r.mutedUntil > now ? `muted to ${isoMinute(r.mutedUntil)}` : 'armed';
      const what = r.kind === 'health' ? `health: ${String(r.event)}` : String(r.expression);
      return [String(r.id), r.name, what, scopeText(r), typeof r.interval === 'string' ? r.interval : '-', frequencyText(r.frequency), (r.channels as string[] | undefined)?.join(' ') ?? '', state];
    });
  return alignedTable(['id', 'name', 'rule', 'scope', 'interval', 'frequency', 'channels', 'state'], rows);
}

/** Operand names in the order they first appear across the firings. */
function operandNames(p: PreviewResult): string[] {
  const names = new Set<string>();
  for (const f of p.firings) for (const k of Object.keys(f.operands)) names.add(k);
  return [...names];
}

const numberCell = (v: number | null | undefined): string => (v === null || v === undefined ? '' : valueCell(v));
const percent = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)} %`);

/**
 * A preview in `format`: `csv` one row per firing (open_time and fired_at in epoch ms, whether it
 * fired intrabar, close, the operands, the forward returns as fractions) for scripts; `json` the API's answer; `table` the rows with UTC
 * times and returns in percent, then the summary.
 */
export function formatPreview(p: PreviewResult, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(p, null, 2)}\n`;
  const operands = operandNames(p);
  if (format === 'csv') {
    const header = ['symbol', 'open_time', 'fired_at', 'intrabar', 'close', 'incomplete', ...operands, ...HORIZON_NAMES.map((h) => `return_${h}`)];
    const lines = p.firings.map((f) => [f.symbol, String(f.openTime), String(f.firedAt), String(f.intrabar), String(f.close), String(f.incomplete), ...operands.map((o) => String(f.operands[o] ?? '')), ...HORIZON_NAMES.map((h) => String(f.returns[h] ?? ''))].join(','));
    return `${[header.join(','), ...lines].join('\n')}\n`;
  }
  const rows = p.firings.map((f) => [f.symbol, `${isoMinute(f.openTime)}${f.intrabar ? ` (forming, at ${isoMinute(f.firedAt).slice(11)})` : ''}${f.incomplete ? ' (incomplete)' : ''}`, String(f.close), ...operands.map((o) => numberCell(f.operands[o])), ...HORIZON_NAMES.map((h) => percent(f.returns[h]))]);
  const table = p.firings.length === 0 ? 'no firings in this window\n' : alignedTable(['symbol', 'open (UTC)', 'close', ...operands, ...HORIZON_NAMES.map((h) => `after ${h}`)], rows);
  const s = p.summary;
  const listed = p.firings.length < s.count ? ` (the first ${p.firings.length} listed)` : '';
  const summary = alignedTable(
    ['after', 'positive', 'median', 'worst'],
    HORIZON_NAMES.map((h) => [h, s.positive[h] === null ? '-' : `${((s.positive[h] ?? 0) * 100).toFixed(0)} %`, percent(s.median[h]), percent(s.worst[h])]),
    '  ',
  );
  return `${table}\n${s.count} firing${s.count === 1 ? '' : 's'}${listed}\n${summary}`;
}
