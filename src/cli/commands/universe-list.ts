/**
 * `tickerflow universe --list`: the followed symbols with their figures at an interval (the
 * dashboard's universe table, api/universe-summary.ts), read from the store or a running `up`.
 */
import type { UniverseRow } from '../../api/universe-summary.js';
import { alignedTable } from '../text-table.js';

function price(v: number | null, decimals: number | null): string {
  if (v === null) return '-';
  return decimals === null ? String(v) : v.toFixed(decimals);
}

function td(t: UniverseRow['td']): string {
  if (t === null) return '-';
  if (t.buySetup > 0) return `buy ${t.buySetup}`;
  if (t.sellSetup > 0) return `sell ${t.sellSetup}`;
  return '0';
}

/** The table `universe --list` prints; symbols without stored bars show `-`. */
export function formatUniverse(rows: readonly UniverseRow[], interval: string): string {
  if (rows.length === 0) return 'no symbols followed: run `tickerflow universe` or list them in [universe].symbols\n';
  return alignedTable(
    ['symbol', 'rank', 'last', '24h', `rsi14 ${interval}`, 'td setup'],
    rows.map((r) => [
      r.symbol,
      r.rank === null ? 'manual' : String(r.rank),
      price(r.last, r.priceDecimals),
      r.change24h === null ? '-' : `${r.change24h >= 0 ? '+' : ''}${r.change24h.toFixed(2)} %`,
      r.rsi14 === null ? '-' : r.rsi14.toFixed(1),
      td(r.td),
    ]),
  );
}
