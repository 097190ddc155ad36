/**
 * Reads the published reference tables under `fixtures/indicators/` (bukosabino `ta` StockCharts
 * spreadsheets, LEAN test data; provenance in fixtures/SOURCES.md) into columns by header name.
 * Their quirks (shared/data/SOURCES.md §6–§7): mixed CRLF/LF, a BOM or unnamed first column,
 * header case that varies per file, empty cells during warm-up (read as NaN), no final newline.
 * Test support only: it does I/O.
 * @see https://github.com/bukosabino/ta/tree/master/test/data
 * @see https://github.com/QuantConnect/Lean/tree/master/Tests/TestData
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const FIXTURES = new URL('../../../fixtures/indicators/', import.meta.url);

/** A reference table: `column(name)` finds a header case-insensitively; empty cells are NaN. */
export interface ReferenceTable {
  rows: number;
  column(name: string): Float64Array;
}

/** Loads `fixtures/indicators/<path>` (comma-separated, one header row). */
export function loadReferenceCsv(path: string): ReferenceTable {
  const text = readFileSync(new URL(path, FIXTURES), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const cells = lines.slice(1).map((l) => l.split(','));
  return {
    rows: cells.length,
    column(name: string): Float64Array {
      const k = header.indexOf(name.toLowerCase());
      if (k < 0) throw new Error(`${path}: no column "${name}" in ${header.join(',')}`);
      return Float64Array.from(cells, (r, i) => {
        const cell = (r[k] ?? '').trim();
        if (cell === '') return NaN;
        const v = Number(cell);
        if (!Number.isFinite(v)) throw new Error(`${path} row ${i + 2}: ${name} "${cell}" is not a number`);
        return v;
      });
    },
  };
}

const TalibNetCaseSchema = z.object({
  name: z.string(),
  inputs: z.array(z.array(z.number())),
  options: z.array(z.number()),
  unstable: z.number().int().optional(),
  outputs: z.array(z.array(z.number())),
  range: z.tuple([z.number().int(), z.number().int()]),
});

/** One TA-Lib.NETCore test case; outputs cover input bars `range[0]..` (padding zeros may follow). */
export type TalibNetCase = z.infer<typeof TalibNetCaseSchema>;

/** The cases named `name` in `fixtures/indicators/talib-netcore/<file>`, across its group keys (`_`, `__`…); BOM stripped. */
export function loadTalibNetCases(file: string, name: string): TalibNetCase[] {
  const root = z
    .record(z.string(), z.unknown())
    .parse(JSON.parse(readFileSync(new URL(`talib-netcore/${file}`, FIXTURES), 'utf8').replace(/^\uFEFF/, '')));
  const found: TalibNetCase[] = [];
  for (const group of Object.values(root)) {
    if (!Array.isArray(group)) continue;
    for (const c of group) {
      const named = z.object({ name: z.string() }).safeParse(c);
      if (named.success && named.data.name === name) found.push(TalibNetCaseSchema.parse(c));
    }
  }
  return found;
}
