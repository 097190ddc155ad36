/** Renders candles for `tickerflow candles`: an aligned table, CSV (archive column order, epoch ms) or JSON. */
import { CANDLE_CSV_HEADER, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';
import { alignedTable, exactColumn, isoMinute } from './text-table.js';

export type CandleFormat = 'table' | 'csv' | 'json';
export const CANDLE_FORMATS: readonly CandleFormat[] = ['table', 'csv', 'json'];

export function formatCandles(c: CandleColumns, format: CandleFormat): string {
  if (format === 'csv') return formatCsv(c);
  if (format === 'json') return formatJson(c);
  return formatTable(c);
}

function formatCsv(c: CandleColumns): string {
  const lines = [CANDLE_CSV_HEADER];
  for (let i = 0; i < c.length; i++) lines.push(CANDLE_FIELDS.map((f) => String(c[f][i])).join(','));
  return `${lines.join('\n')}\n`;
}

function formatJson(c: CandleColumns): string {
  const rows = [];
  for (let i = 0; i < c.length; i++) {
    const r: Record<string, number> = {};
    for (const f of CANDLE_FIELDS) r[f] = c[f][i] as number;
    rows.push(r);
  }
  return `${JSON.stringify(rows, null, 0)}\n`;
}

function formatTable(c: CandleColumns): string {
  const header = ['open time (UTC)', 'open', 'high', 'low', 'close', 'volume', 'trades'];
  // Prices and volume exactly as stored, each column with one number of decimals.
  const cells = (['open', 'high', 'low', 'close', 'volume'] as const).map((f) => exactColumn(Array.from(c[f].subarray(0, c.length))));
  const rows: string[][] = [];
  for (let i = 0; i < c.length; i++) {
    rows.push([isoMinute(c.openTime[i] as number), ...cells.map((col) => col[i] as string), String(c.trades[i])]);
  }
  return `${alignedTable(header, rows)}${c.length} candles\n`;
}
