/**
 * A recorded `/api/v3/klines` response read as candle columns with `JSON.parse` and `Number()`
 * alone: expected values for end-to-end tests, independent of the client's REST parser.
 */
import { readFileSync } from 'node:fs';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../../src/core/candle.js';

export function recordedKlines(url: URL): CandleColumns {
  const rows: unknown = JSON.parse(readFileSync(url, 'utf8'));
  if (!Array.isArray(rows)) throw new Error(`${url.pathname} is not a klines array`);
  const out = allocateColumns(rows.length);
  rows.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== 12) throw new Error(`${url.pathname} row ${i + 1} is not a 12-element kline`);
    CANDLE_FIELDS.forEach((f, c) => {
      out[f][i] = Number(row[c]);
    });
  });
  out.length = rows.length;
  return out;
}
