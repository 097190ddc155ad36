/**
 * The bundled BTCUSDT 1m archive days, decoded independently of tickerflow: the values every
 * stored candle must equal. Expected values must not come from the client's decoder (nor from the
 * replay server's, which serves them): a bug there would be both served and expected. So the zip
 * is opened by Info-ZIP's `unzip -p` (a different zip implementation altogether) and the CSV read
 * with a plain split and `Number()`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { allocateColumns, type CandleColumns } from '../../src/core/candle.js';

export const BTC_1M_KEY = (day: string): string => `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-${day}.zip`;

/** The text of the one CSV inside the zip at `path`, through the system's `unzip`. */
export function unzipText(path: string): string {
  try {
    return execFileSync('unzip', ['-p', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`test support needs Info-ZIP's \`unzip\` on PATH to read ${path} independently of tickerflow: ${(err as Error).message}`, { cause: err });
  }
}

const NAMES = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;

/** Candle columns of a headerless millisecond kline CSV (the 2020 spot files). */
export function csvColumns(text: string): CandleColumns {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const out = allocateColumns(lines.length);
  lines.forEach((line, row) => {
    const f = line.split(',');
    if (f.length !== 12) throw new Error(`row ${row + 1} has ${f.length} fields`);
    NAMES.forEach((name, c) => {
      out[name][row] = Number(f[c]);
    });
  });
  out.length = lines.length;
  return out;
}

export function archiveDay(day: '2020-01-01' | '2020-01-02' | '2020-01-03'): CandleColumns {
  return csvColumns(unzipText(fileURLToPath(new URL(`../../fixtures/binance-vision/${BTC_1M_KEY(day)}`, import.meta.url))));
}
