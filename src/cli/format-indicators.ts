/**
 * Renders `tickerflow indicators` chunk by chunk: per bar its open time, close, every indicator
 * column and whether the bar is complete; `sr` adds the levels held after the last bar (a list
 * under the table, a `levels` member in JSON). The CSV and JSON are those of the batch renderer
 * this replaced, plus the `complete` column, and do not depend on how the bars were chunked.
 */
import type { SrLevel } from '../indicators/support-resistance.js';
import type { CandleFormat } from './format-candles.js';
import { incompleteNote } from './format-candles.js';
import { ColumnDecimals, exactCell, padDecimals, StreamedTable } from './streamed-table.js';
import { alignedTable, isoMinute, valueCell, valueColumn } from './text-table.js';

/** The printed bars of one chunk: `values[j][i]` is indicator column j at bar i. */
export interface IndicatorChunk {
  length: number;
  openTime: Float64Array;
  close: Float64Array;
  values: readonly Float64Array[];
  complete: Uint8Array;
}

/** What the end of the output says: the last bar read (warm-up included) and the `sr` levels. */
export interface IndicatorEnd {
  levels: SrLevel[] | undefined;
  lastOpenTime: number;
  lastClose: number;
}

export interface IndicatorFormatter {
  begin(): string;
  rows(c: IndicatorChunk): string;
  end(e: IndicatorEnd): string;
}

export function indicatorFormatter(format: CandleFormat, names: readonly string[], closeDecimals?: number): IndicatorFormatter {
  if (format === 'csv') return csvFormatter(names);
  if (format === 'json') return jsonFormatter(names);
  return tableFormatter(names, closeDecimals);
}

function csvFormatter(names: readonly string[]): IndicatorFormatter {
  return {
    begin: () => `${['open_time', 'close', ...names, 'complete'].join(',')}\n`,
    rows(c) {
      let out = '';
      for (let i = 0; i < c.length; i++) {
        out += `${c.openTime[i]},${c.close[i]}`;
        for (const v of c.values) out += Number.isNaN(v[i]) ? ',' : `,${v[i]}`;
        out += `,${c.complete[i] === 1}\n`;
      }
      return out;
    },
    end: () => '',
  };
}

function jsonFormatter(names: readonly string[]): IndicatorFormatter {
  const keys = names.map((n) => `,${JSON.stringify(n)}:`);
  let first = true;
  return {
    begin: () => '{"bars":[',
    rows(c) {
      let out = '';
      for (let i = 0; i < c.length; i++) {
        out += `${first ? '' : ','}{"open_time":${c.openTime[i]},"close":${c.close[i]}`;
        c.values.forEach((v, j) => {
          const x = v[i] as number;
          // JSON has no NaN or Infinity: null, as JSON.stringify writes them.
          out += `${keys[j]}${Number.isFinite(x) ? x : 'null'}`;
        });
        out += `,"complete":${c.complete[i] === 1}}`;
        first = false;
      }
      return out;
    },
    end: (e) => `]${e.levels === undefined ? '' : `,"levels":${JSON.stringify(e.levels)}`}}\n`,
  };
}

function tableFormatter(names: readonly string[], closeDecimals: number | undefined): IndicatorFormatter {
  const table = new StreamedTable(['open_time', 'close', ...names]);
  const decimals = new ColumnDecimals([closeDecimals, ...names.map(() => undefined)]);
  return {
    begin: () => '',
    rows(c) {
      const closeCells = Array.from(c.close.subarray(0, c.length), (v) => exactCell(v, 0));
      // Computed values rounded as valueCell rounds them, trailing zeros dropped, then padded to the column's decimals.
      const valueCells = c.values.map((v) => Array.from(v.subarray(0, c.length), (x) => valueCell(x).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')));
      const d = [decimals.of(0, () => closeCells), ...valueCells.map((cells, j) => decimals.of(j + 1, () => cells))];
      const rows: string[][] = new Array(c.length);
      for (let i = 0; i < c.length; i++) {
        const row = [isoMinute(c.openTime[i] as number), d[0] === undefined ? (closeCells[i] as string) : exactCell(c.close[i] as number, d[0])];
        valueCells.forEach((cells, j) => row.push(padDecimals(cells[i] as string, d[j + 1] ?? 0)));
        rows[i] = row;
      }
      return table.chunk(rows, c.complete);
    },
    end(e) {
      // Candles before --from (read as warm-up) but none in the window itself: said, not an empty table alone.
      let text = table.headerOnce() + (table.count === 0 ? '0 bars in the window\n' : '') + (table.marked === 0 ? '' : incompleteNote(table.marked));
      if (e.levels !== undefined) {
        text += `\nsupport/resistance levels at ${isoMinute(e.lastOpenTime)} (close ${e.lastClose}):\n`;
        const sorted = [...e.levels].sort((x, y) => y.price - x.price);
        const prices = valueColumn(sorted.map((l) => l.price));
        const levelRows = sorted.map((l, j) => [l.kind, prices[j] as string, String(l.touches), String(l.strength), String(l.breaks), Number.isNaN(l.lastTouchTime) ? '-' : isoMinute(l.lastTouchTime)]);
        text += alignedTable(['kind', 'price', 'touches', 'strength', 'breaks', 'last touch'], levelRows, '  ');
        if (e.levels.length === 0) text += '  none yet: no swing pivot confirmed so far\n';
      }
      return text;
    },
  };
}
