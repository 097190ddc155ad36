/**
 * The real recorded 1m months every derived month is cut from: the three USD-M futures monthly
 * CSVs bundled in fixtures (LINKUSDT 2023-02, AVAXUSDT 2024-02, LTCUSDT 2026-02; provenance in
 * fixtures/SOURCES.md). Each row is kept as its recorded text, split only around the two time
 * columns that a derived row replaces, so the derived files carry real prices, volumes and trade
 * counts byte for byte, and compress like real files.
 *
 * @see https://github.com/binance/binance-public-data#klines
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../../core/errors.js';

export interface SourceMonth {
  /** Recorded symbol and month, e.g. `LINKUSDT 2023-02`. */
  name: string;
  /** Per row: `open,high,low,close,volume` as recorded. */
  ohlcv: string[];
  /** Per row: `quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore` as recorded. */
  rest: string[];
  /** Whole days in the month (28 or 29): rows / 1440. */
  days: number;
  /** Most decimals seen in a price and in a volume field: the derived tick and step sizes. */
  priceDecimals: number;
  volumeDecimals: number;
}

export const SOURCE_FILES = ['LINKUSDT-1m-2023-02.csv', 'AVAXUSDT-1m-2024-02.csv', 'LTCUSDT-1m-2026-02.csv'] as const;
const DECIMAL = /^\d+(\.\d+)?$/;

function decimals(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Reads one recorded month; every row must have 12 decimal fields on the 1m grid, no gaps. */
export function loadSourceMonth(path: string, name: string): SourceMonth {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[0]?.startsWith('open_time')) lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const out: SourceMonth = { name, ohlcv: [], rest: [], days: lines.length / 1440, priceDecimals: 0, volumeDecimals: 0 };
  if (!Number.isInteger(out.days)) throw new BadInputError(`${path}: ${lines.length} rows is not a whole number of days of 1m rows`);
  let previous = -1;
  for (const [n, line] of lines.entries()) {
    const f = line.split(',');
    if (f.length !== 12 || !f.every((x) => DECIMAL.test(x))) throw new BadInputError(`${path} row ${n + 1}: expected 12 decimal fields, got "${line}"`);
    const openTime = Number(f[0]);
    if (previous >= 0 && openTime !== previous + 60_000) throw new BadInputError(`${path} row ${n + 1}: open time ${openTime} is not 1 minute after the previous row`);
    previous = openTime;
    out.ohlcv.push(f.slice(1, 6).join(','));
    out.rest.push(f.slice(7).join(','));
    for (const p of f.slice(1, 5)) out.priceDecimals = Math.max(out.priceDecimals, decimals(p));
    out.volumeDecimals = Math.max(out.volumeDecimals, decimals(f[5] as string));
  }
  return out;
}

/** The three bundled months, from `fixtures/`. */
export function loadSourceMonths(fixturesDir: string): SourceMonth[] {
  const dir = join(fixturesDir, 'binance-vision', 'data', 'futures', 'um', 'monthly', 'klines-csv');
  return SOURCE_FILES.map((f) => loadSourceMonth(join(dir, f), f.replace('-1m-', ' ').replace('.csv', '')));
}
