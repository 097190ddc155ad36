/**
 * How many of a user's rules are armed on each symbol of the universe table: enabled, not muted,
 * and scoped to the symbol by name or by the universe's top N. Only the scope of a stored rule
 * document is read here (the alerts module owns the rest of it); a document without a readable
 * scope arms nothing.
 */
import { z } from 'zod';
import type { AlertStore } from '../store/alert-records.js';

const scopeOnly = z.object({ scope: z.union([z.object({ symbols: z.array(z.string()) }), z.object({ top: z.number().int() })]) });

export async function armedCounts(alerts: AlertStore, userId: number, rows: ReadonlyArray<{ symbol: string; rank: number | null }>, now: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const rule of await alerts.listRules(userId)) {
    if (!rule.enabled || (rule.mutedUntil !== null && rule.mutedUntil > now)) continue;
    const parsed = scopeOnly.safeParse(rule.definition);
    if (!parsed.success) continue;
    const scope = parsed.data.scope;
    for (const r of rows) {
      const covered = 'symbols' in scope ? scope.symbols.includes(r.symbol) : r.rank !== null && r.rank <= scope.top;
      if (covered) counts.set(r.symbol, (counts.get(r.symbol) ?? 0) + 1);
    }
  }
  return counts;
}
