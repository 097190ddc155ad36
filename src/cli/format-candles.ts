/**
 * Renders candles for `tickerflow candles`, chunk by chunk: an aligned table, CSV (archive column
 * order, epoch ms) or JSON (one array). Every format ends each bar with whether it is complete
 * (core/bar-complete.ts): CSV and JSON in a last `complete` column, the table with a trailing `*`
 * and a footnote.
 */
import { CANDLE_CSV_HEADER, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';
import { AsciiBytes, NUMBER_MAX_BYTES } from './ascii-bytes.js';
import { ColumnDecimals, exactCell, StreamedTable } from './streamed-table.js';
import { isoMinute } from './text-table.js';

export type CandleFormat = 'table' | 'csv' | 'json';
export const CANDLE_FORMATS: readonly CandleFormat[] = ['table', 'csv', 'json'];
/** Formats that can be written to a file only (`--output`). */
export type FileFormat = CandleFormat | 'parquet';
export const EXPORT_FORMATS: readonly FileFormat[] = [...CANDLE_FORMATS, 'parquet'];

/** A piece of an export: text, or the bytes of ASCII text (CSV rows are made as bytes). */
export type ExportText = string | Uint8Array;

/** Text of one export, produced in order: begin, rows of each chunk, end. */
export interface ChunkFormatter {
  begin(): string;
  /** `complete[i]` is 1 when bar i is complete. */
  rows(c: CandleColumns, complete: Uint8Array): ExportText;
  end(): string;
}

/** An export piece as a string. */
export function exportString(text: ExportText): string {
  return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1');
}

export interface TableDecimals {
  /** Decimals of every price column (from the symbol's tick size), when known. */
  price?: number;
  /** Decimals of the volume column (from the symbol's step size), when known. */
  volume?: number;
}

export function candleFormatter(format: CandleFormat, decimals: TableDecimals = {}): ChunkFormatter {
  if (format === 'csv') return csvFormatter();
  if (format === 'json') return jsonFormatter();
  return tableFormatter(decimals);
}

/** Candles in one piece (one chunk): what the streamed formatters write for a window that fits one chunk. */
export function formatCandles(c: CandleColumns, complete: Uint8Array, format: CandleFormat, decimals: TableDecimals = {}): string {
  const f = candleFormatter(format, decimals);
  return f.begin() + exportString(f.rows(c, complete)) + f.end();
}

export const CANDLE_CSV_COLUMNS = `${CANDLE_CSV_HEADER},complete`;

/** The most bytes of one CSV row: 11 numbers, 11 commas, `false` and a newline. */
const CSV_ROW_MAX_BYTES = 11 * NUMBER_MAX_BYTES + 11 + 6;
/** What a CSV row of real 1m candles takes, about: the first guess of a chunk's size. */
const CSV_ROW_BYTES = 128;
const COMMA = 44;

function csvFormatter(): ChunkFormatter {
  // Each number as String() prints it (its shortest exact form), written as bytes. The decimals
  // last seen in each column start the search for the next value's.
  const decimals = new Int32Array(CANDLE_FIELDS.length);
  return {
    begin: () => `${CANDLE_CSV_COLUMNS}\n`,
    rows(c, complete) {
      const columns = CANDLE_FIELDS.map((f) => c[f]);
      const out = new AsciiBytes(c.length * CSV_ROW_BYTES);
      for (let i = 0; i < c.length; i++) {
        out.reserve(CSV_ROW_MAX_BYTES);
        for (let j = 0; j < columns.length; j++) {
          decimals[j] = out.number((columns[j] as Float64Array)[i] as number, decimals[j] as number);
          out.byte(COMMA);
        }
        out.ascii(complete[i] === 1 ? 'true\n' : 'false\n');
      }
      return out.written();
    },
    end: () => '',
  };
}

function jsonFormatter(): ChunkFormatter {
  let first = true;
  return {
    begin: () => '[',
    rows(c, complete) {
      let out = '';
      for (let i = 0; i < c.length; i++) {
        out += `${first ? '' : ','}{"openTime":${c.openTime[i]},"open":${c.open[i]},"high":${c.high[i]},"low":${c.low[i]},"close":${c.close[i]},"volume":${c.volume[i]},"closeTime":${c.closeTime[i]},"quoteVolume":${c.quoteVolume[i]},"trades":${c.trades[i]},"takerBuyBase":${c.takerBuyBase[i]},"takerBuyQuote":${c.takerBuyQuote[i]},"complete":${complete[i] === 1}}`;
        first = false;
      }
      return out;
    },
    end: () => ']\n',
  };
}

const TABLE_HEADER = ['open time (UTC)', 'open', 'high', 'low', 'close', 'volume', 'trades'];
const TABLE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function tableFormatter(fixed: TableDecimals): ChunkFormatter {
  const table = new StreamedTable(TABLE_HEADER);
  const decimals = new ColumnDecimals([fixed.price, fixed.price, fixed.price, fixed.price, fixed.volume]);
  return {
    begin: () => '',
    rows(c, complete) {
      // Each column's decimals are settled on the first chunk (shortest forms), then every cell is padded to them.
      const d = TABLE_FIELDS.map((f, j) => decimals.of(j, () => shortest(c[f], c.length)) ?? 0);
      const rows: string[][] = new Array(c.length);
      for (let i = 0; i < c.length; i++) {
        const row = [isoMinute(c.openTime[i] as number)];
        for (let j = 0; j < TABLE_FIELDS.length; j++) row.push(exactCell(c[TABLE_FIELDS[j]!][i] as number, d[j] as number));
        row.push(String(c.trades[i]));
        rows[i] = row;
      }
      return table.chunk(rows, complete);
    },
    end: () => `${table.headerOnce()}${table.count} candles\n${table.marked === 0 ? '' : incompleteNote(table.marked)}`,
  };
}

/** The table's footnote for bars marked `*`. */
export function incompleteNote(marked: number): string {
  return `* ${marked} bar${marked === 1 ? '' : 's'} not complete: still forming, or with minutes missing that the gap ledger does not record as an exchange outage\n`;
}

function* shortest(v: Float64Array, n: number): Iterable<string> {
  for (let i = 0; i < n; i++) yield exactCell(v[i] as number, 0);
}
