/**
 * Test helper: the real recorded Binance archive candles under fixtures/, read without the
 * archive connector (whose tests cover parsing) so the store suite depends on nothing but core.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../../core/candle.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** The first file of a zip archive, inflated (enough for Binance archive zips, one CSV each). */
export function firstZipEntry(zip: Buffer): Buffer {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const central = zip.readUInt32LE(eocd + 16);
  if (zip.readUInt32LE(central) !== 0x02014b50) throw new Error('not a zip: bad central directory');
  const method = zip.readUInt16LE(central + 10);
  const size = zip.readUInt32LE(central + 20);
  const local = zip.readUInt32LE(central + 42);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  throw new Error(`zip compression method ${method} not supported`);
}

/** Parses archive kline CSV text (optional header row) into columns; times are taken as given. */
export function parseKlineCsv(text: string): CandleColumns {
  const lines = text.split('\n').filter((l) => /^\d/.test(l));
  const out = allocateColumns(lines.length);
  for (const line of lines) {
    const cells = line.split(',');
    const i = out.length++;
    CANDLE_FIELDS.forEach((field, f) => {
      const v = Number(cells[f]);
      if (!Number.isFinite(v)) throw new Error(`fixture row ${i + 1}: ${field} is not a number`);
      out[field][i] = v;
    });
  }
  return out;
}

/** The 1,440 real BTCUSDT 1m spot candles of one day of January 2020 (day 1, 2 or 3). */
export function btcusdtDay(day: 1 | 2 | 3): CandleColumns {
  const path = `${FIXTURES}binance-vision/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-0${day}.zip`;
  return parseKlineCsv(firstZipEntry(readFileSync(path)).toString('utf8'));
}
