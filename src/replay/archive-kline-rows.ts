/**
 * The replay server's own reader of archive kline CSVs (its REST klines are derived from the
 * archive rows it serves). Deliberately simple and separate from the client's byte-level parser
 * (`connectors/binance-archive/kline-csv.ts`): split lines and fields, `Number()` each field, so
 * the two implementations can disagree and a test against the replay can catch it. A header row
 * (futures files, spot files since 2025) is skipped; microsecond timestamps (spot since 2025)
 * are brought to milliseconds, as `/api/v3/klines` answers in ms by default.
 *
 * @see https://github.com/binance/binance-public-data#klines
 */
import { allocateColumns, type CandleColumns } from '../core/candle.js';
import { BadInputError } from '../core/errors.js';

const COLUMNS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;

/** Candle columns of every data row of `csv`, in file order; `what` names the file in errors. */
export function archiveKlineRows(csv: string, what: string): CandleColumns {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  if (lines.length > 0 && !/^\d/.test(lines[0] as string)) lines.shift();
  const out = allocateColumns(lines.length);
  for (const [n, line] of lines.entries()) {
    const fields = line.trim().split(',');
    if (fields.length !== 12) throw new BadInputError(`${what} row ${n + 1}: ${fields.length} fields, expected 12`);
    for (const [c, name] of COLUMNS.entries()) {
      const v = Number(fields[c]);
      if (!Number.isFinite(v) || fields[c] === '') throw new BadInputError(`${what} row ${n + 1}: ${name} "${fields[c]}" is not a number`);
      out[name][n] = (name === 'openTime' || name === 'closeTime') && v >= 1e15 ? Math.floor(v / 1000) : v;
    }
  }
  out.length = lines.length;
  return out;
}
