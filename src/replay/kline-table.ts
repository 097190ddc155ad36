/**
 * The replay server's in-memory kline series: open times plus each row already serialised as
 * the JSON text Binance sends (`[openTime,"open",…,"0"]`), so a response is a join, not a
 * re-encode. Rows recorded from the REST API keep their exact strings; rows from archive CSVs or
 * aggregated from 1m are printed with 8 decimals, the precision of Binance spot klines.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import { z } from 'zod';
import { allocateColumns, type CandleColumns } from '../core/candle.js';

export interface KlineTable {
  /** Sorted ascending, no duplicates. */
  openTime: Float64Array;
  /** JSON text of each row, same order. */
  rows: string[];
}

export const EMPTY_TABLE: KlineTable = { openTime: new Float64Array(0), rows: [] };

const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const ms = z.number().int().nonnegative();
/** One recorded `/api/v3/klines` row: 12 elements, prices and volumes as decimal strings. */
export const restKlineRowSchema = z.tuple([ms, decimal, decimal, decimal, decimal, decimal, ms, decimal, ms, decimal, decimal, z.string()]);
export const restKlineBodySchema = z.array(restKlineRowSchema);
export type RestKlineRow = z.infer<typeof restKlineRowSchema>;

/** A table from recorded REST rows, strings kept byte for byte. */
export function tableFromRestRows(rows: readonly RestKlineRow[]): KlineTable {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const openTime = new Float64Array(sorted.length);
  const out: string[] = [];
  let n = 0;
  for (const r of sorted) {
    if (n > 0 && openTime[n - 1] === r[0]) continue;
    openTime[n++] = r[0];
    out.push(JSON.stringify(r));
  }
  return { openTime: openTime.slice(0, n), rows: out };
}

function d8(v: number): string {
  return v.toFixed(8);
}

/** A table from candle columns (archive CSV or aggregates); `c` must be sorted by open time. */
export function tableFromColumns(c: CandleColumns): KlineTable {
  const rows: string[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) {
    rows[i] =
      `[${c.openTime[i]},"${d8(c.open[i] as number)}","${d8(c.high[i] as number)}","${d8(c.low[i] as number)}",` +
      `"${d8(c.close[i] as number)}","${d8(c.volume[i] as number)}",${c.closeTime[i]},"${d8(c.quoteVolume[i] as number)}",` +
      `${c.trades[i]},"${d8(c.takerBuyBase[i] as number)}","${d8(c.takerBuyQuote[i] as number)}","0"]`;
  }
  return { openTime: c.openTime.slice(0, c.length), rows };
}

/** Union of tables by open time; on a clash the earlier table in `tables` wins. */
export function mergeTables(tables: readonly KlineTable[]): KlineTable {
  const nonEmpty = tables.filter((t) => t.rows.length > 0);
  if (nonEmpty.length === 0) return EMPTY_TABLE;
  if (nonEmpty.length === 1) return nonEmpty[0] as KlineTable;
  const byTime = new Map<number, string>();
  for (let t = nonEmpty.length - 1; t >= 0; t--) {
    const table = nonEmpty[t] as KlineTable;
    for (let i = 0; i < table.rows.length; i++) byTime.set(table.openTime[i] as number, table.rows[i] as string);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  return { openTime: Float64Array.from(times), rows: times.map((k) => byTime.get(k) as string) };
}

/** Exact sum of 8-decimal values (as Binance computes in decimal), via scaled BigInt. */
function sum8(values: Float64Array, from: number, to: number): number {
  let s = 0n;
  for (let i = from; i < to; i++) s += BigInt((values[i] as number).toFixed(8).replace('.', ''));
  const neg = s < 0n;
  const digits = (neg ? -s : s).toString().padStart(9, '0');
  return Number(`${neg ? '-' : ''}${digits.slice(0, -8)}.${digits.slice(-8)}`);
}

/**
 * Rolls 1m columns up to `lenMs` buckets on the UTC grid. Only complete buckets (every minute
 * present) are produced: the replay never serves a higher-interval candle the exchange would
 * have built from minutes we do not have.
 */
export function aggregateMinutes(m: CandleColumns, lenMs: number): CandleColumns {
  const per = lenMs / 60_000;
  const out = allocateColumns(Math.ceil(m.length / per));
  let i = 0;
  while (i < m.length) {
    const bucket = Math.floor((m.openTime[i] as number) / lenMs) * lenMs;
    let j = i;
    while (j < m.length && (m.openTime[j] as number) < bucket + lenMs) j++;
    if (j - i === per) {
      const k = out.length++;
      let high = -Infinity;
      let low = Infinity;
      let trades = 0;
      for (let x = i; x < j; x++) {
        high = Math.max(high, m.high[x] as number);
        low = Math.min(low, m.low[x] as number);
        trades += m.trades[x] as number;
      }
      out.openTime[k] = bucket;
      out.open[k] = m.open[i] as number;
      out.high[k] = high;
      out.low[k] = low;
      out.close[k] = m.close[j - 1] as number;
      out.volume[k] = sum8(m.volume, i, j);
      out.closeTime[k] = bucket + lenMs - 1;
      out.quoteVolume[k] = sum8(m.quoteVolume, i, j);
      out.trades[k] = trades;
      out.takerBuyBase[k] = sum8(m.takerBuyBase, i, j);
      out.takerBuyQuote[k] = sum8(m.takerBuyQuote, i, j);
    }
    i = j;
  }
  return out;
}
