/** Renders candles for `tickerflow candles`: an aligned table, CSV (archive column order, epoch ms) or JSON. */
import { CANDLE_CSV_HEADER, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';

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
  const rows: string[][] = [];
  for (let i = 0; i < c.length; i++) {
    rows.push([
      new Date(c.openTime[i] as number).toISOString().replace('T', ' ').slice(0, 16),
      String(c.open[i]),
      String(c.high[i]),
      String(c.low[i]),
      String(c.close[i]),
      String(c.volume[i]),
      String(c.trades[i]),
    ]);
  }
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] as string).length)));
  const line = (cells: string[]): string => cells.map((x, j) => (j === 0 ? x.padEnd(widths[j] as number) : x.padStart(widths[j] as number))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n${c.length} candles\n`;
}
