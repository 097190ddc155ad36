/** A rule's scope as symbols: its list, or the top N of the newest stored universe snapshot. */
import type { Store } from '../store/store.js';
import type { RuleScope } from './rule-draft.js';

/**
 * The symbols of a scope on `date` (YYYY-MM-DD): a listed scope as is; `top: N` as the mapped
 * symbols of the N best-ranked coins of that day's universe snapshot (none stored: no symbols).
 */
export async function resolveScope(store: Store, exchange: string, scope: RuleScope, date: string): Promise<string[]> {
  if ('symbols' in scope) return scope.symbols;
  const snapshot = await store.getUniverse(exchange, date);
  if (snapshot === null) return [];
  return snapshot.entries
    .filter((e) => e.symbol !== null && !e.manual)
    .sort((a, b) => a.rank - b.rank)
    .slice(0, scope.top)
    .map((e) => e.symbol as string);
}
