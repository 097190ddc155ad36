/** Reads LEAN's TD Sequential test data (fixtures/indicators/lean, Apache-2.0) into bars and the `TDS` column. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bars } from '../types.js';

const FILE = fileURLToPath(new URL('../../../fixtures/indicators/lean/lean_td_sequential_test_data.csv', import.meta.url));

/**
 * LEAN's `TomDemarkSequentialPhase` codes, the `TDS` column: 0 none, 1 buy setup, 2 sell setup,
 * 3 buy countdown bar, 4 sell countdown bar, 5 perfected buy setup 9, 6 perfected sell setup 9.
 * @see https://github.com/QuantConnect/Lean/blob/master/Indicators/TomDemarkSequential.cs
 */
export interface LeanTdData {
  bars: Bars;
  tds: number[];
}

function num(cell: string | undefined, row: number, col: string): number {
  const v = Number(cell);
  if (cell === undefined || cell.trim() === '' || !Number.isFinite(v)) {
    throw new Error(`lean_td_sequential_test_data.csv row ${row}: ${col} is not a number (${cell})`);
  }
  return v;
}

export function loadLeanTdData(): LeanTdData {
  const lines = readFileSync(FILE, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',') ?? [];
  const want = ['Date', 'Open', 'High', 'Low', 'Close', 'Volume', 'TDS'];
  if (want.some((h, i) => header[i] !== h)) throw new Error(`unexpected header ${lines[0]}`);
  const rows = lines.slice(1).map((l) => l.split(','));
  const col = (k: number, name: string): Float64Array => Float64Array.from(rows, (r, i) => num(r[k], i + 2, name));
  return {
    bars: { open: col(1, 'Open'), high: col(2, 'High'), low: col(3, 'Low'), close: col(4, 'Close'), volume: col(5, 'Volume') },
    tds: Array.from(col(6, 'TDS')),
  };
}
