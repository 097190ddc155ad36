/**
 * Real recorded candles for indicator tests, as {@link Bars} with openTime and volume.
 * Reads `fixtures/` (see fixtures/SOURCES.md): Binance REST kline arrays and data.binance.vision
 * daily zips. Test support only: it does I/O, so nothing under src/indicators outside tests imports it.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 * @see https://github.com/binance/binance-public-data#klines
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import type { Bars } from '../types.js';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** Bars plus where they came from. */
export interface RealBars extends Bars {
  open: Float64Array;
  volume: Float64Array;
  openTime: Float64Array;
  label: string;
}

function toBars(label: string, rows: number[][]): RealBars {
  const n = rows.length;
  const b: RealBars = {
    label,
    openTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    b.openTime[i] = r[0]!;
    b.open[i] = r[1]!;
    b.high[i] = r[2]!;
    b.low[i] = r[3]!;
    b.close[i] = r[4]!;
    b.volume[i] = r[5]!;
  }
  return b;
}

function num(label: string, row: number, v: unknown): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(x)) throw new Error(`${label} row ${row}: ${String(v)} is not a number`);
  return x;
}

/** Parses a REST `/api/v3/klines` body: arrays of [openTime, "open", "high", "low", "close", "volume", …]. */
export function parseRestKlines(label: string, body: unknown): RealBars {
  if (!Array.isArray(body)) throw new Error(`${label}: klines body is not an array`);
  const rows = body.map((r: unknown, i) => {
    if (!Array.isArray(r) || r.length < 6) throw new Error(`${label} row ${i + 1}: not a kline array`);
    return [0, 1, 2, 3, 4, 5].map((k) => num(label, i + 1, r[k]));
  });
  return toBars(label, rows);
}

/** Loads `fixtures/binance-rest/klines/<symbol>/<interval>/<file>`. */
export function loadRestBars(symbol: string, interval: string, file: string): RealBars {
  const path = `binance-rest/klines/${symbol}/${interval}/${file}`;
  return parseRestKlines(path, JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')));
}

/** The bytes of the single entry of a zip archive (read through the central directory). */
export function unzipSingle(label: string, zip: Buffer): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${label}: no zip end-of-central-directory record`);
  const cd = zip.readUInt32LE(eocd + 16);
  if (zip.readUInt32LE(cd) !== 0x02014b50) throw new Error(`${label}: bad central directory`);
  const method = zip.readUInt16LE(cd + 10);
  const size = zip.readUInt32LE(cd + 20);
  const local = zip.readUInt32LE(cd + 42);
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${label}: bad local header`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return data;
  if (method === 8) return inflateRawSync(data);
  throw new Error(`${label}: unsupported zip method ${method}`);
}

/**
 * Loads a data.binance.vision kline zip by its key under `fixtures/binance-vision/`, e.g.
 * `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip`. Millisecond timestamps
 * only (spot files before 2025); a header row, when present, is skipped.
 */
export function loadArchiveBars(key: string): RealBars {
  const csv = unzipSingle(key, readFileSync(new URL(`binance-vision/${key}`, FIXTURES))).toString('utf8');
  const rows: number[][] = [];
  const lines = csv.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || /^[a-z_]/i.test(line)) continue;
    const f = line.split(',');
    rows.push([0, 1, 2, 3, 4, 5].map((k) => num(key, i + 1, f[k])));
  }
  return toBars(key, rows);
}

/** Concatenates bar sets in order. */
export function concatBars(label: string, parts: readonly RealBars[]): RealBars {
  const rows: number[][] = [];
  for (const p of parts) {
    for (let i = 0; i < p.close.length; i++) {
      rows.push([p.openTime[i]!, p.open[i]!, p.high[i]!, p.low[i]!, p.close[i]!, p.volume[i]!]);
    }
  }
  return toBars(label, rows);
}

let btc: RealBars | undefined;

/** The 4,320 BTCUSDT spot 1m candles of 2020-01-01..03 from the archive zips. */
export function btcusdt1m(): RealBars {
  btc ??= concatBars(
    'BTCUSDT 1m 2020-01-01..03 (archive)',
    ['01', '02', '03'].map((d) => loadArchiveBars(`data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-${d}.zip`)),
  );
  return btc;
}

let sets: RealBars[] | undefined;

/**
 * The datasets the contract suite runs on: BTCUSDT 1m (4,320 bars, archive), ETHUSDT 1h
 * (744 bars from 2023-01-01, REST) and DOGEUSDT 1d (731 bars from 2020-01-01, REST: low prices,
 * a 10× rally, and flat stretches).
 */
export function realDatasets(): RealBars[] {
  sets ??= [
    btcusdt1m(),
    { ...loadRestBars('ETHUSDT', '1h', '2023-01-01.json'), label: 'ETHUSDT 1h 2023-01 (REST)' },
    { ...loadRestBars('DOGEUSDT', '1d', '2020-01-01.json'), label: 'DOGEUSDT 1d 2020..2021 (REST)' },
  ];
  return sets;
}
