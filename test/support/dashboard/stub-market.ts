/**
 * The market data the dashboard's stand-in API serves: real recorded Binance 1h klines from
 * fixtures/ (the 14 continuous months 2023-01 … 2024-02 per coin; see fixtures/SOURCES.md) read
 * with JSON.parse and Number() alone, price decimals from the recorded exchangeInfo's
 * PRICE_FILTER tickSize.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import { readdirSync, readFileSync } from 'node:fs';

export const HOUR = 3_600_000;

/** Candle columns of one symbol at 1h, oldest first. */
export interface HourlySeries {
  symbol: string;
  priceDecimals: number;
  openTime: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

const FIXTURES = new URL('../../../fixtures/', import.meta.url);
export const STUB_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'SOLUSDT', 'DOTUSDT', 'AVAXUSDT', 'LINKUSDT'];

function tickDecimals(): Map<string, number> {
  const info = JSON.parse(readFileSync(new URL('binance-rest/binance_exchangeInfo_2021-10-12_full.json', FIXTURES), 'utf8')) as {
    symbols: Array<{ symbol: string; filters: Array<{ filterType: string; tickSize?: string }> }>;
  };
  const out = new Map<string, number>();
  for (const s of info.symbols) {
    const tick = s.filters.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize;
    if (tick) out.set(s.symbol, Math.max(0, Math.round(-Math.log10(Number(tick)))));
  }
  return out;
}

function emptySeries(symbol: string, priceDecimals: number): HourlySeries {
  return { symbol, priceDecimals, openTime: [], open: [], high: [], low: [], close: [], volume: [] };
}

/** Every recorded 1h month of the ten coins, months concatenated in time order. */
export function recordedHourly(): Map<string, HourlySeries> {
  const decimals = tickDecimals();
  const out = new Map<string, HourlySeries>();
  for (const symbol of STUB_SYMBOLS) {
    const dir = new URL(`binance-rest/klines/${symbol}/1h/`, FIXTURES);
    const s = emptySeries(symbol, decimals.get(symbol) ?? 2);
    for (const file of readdirSync(dir).sort()) {
      const rows = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as unknown[][];
      for (const r of rows) {
        s.openTime.push(Number(r[0]));
        s.open.push(Number(r[1]));
        s.high.push(Number(r[2]));
        s.low.push(Number(r[3]));
        s.close.push(Number(r[4]));
        s.volume.push(Number(r[5]));
      }
    }
    out.set(symbol, s);
  }
  return out;
}


/** Bars of `s` regrouped to `hours`-hour buckets aligned to UTC epoch (1h, 4h, 1d). */
export function regroup(s: HourlySeries, hours: number): HourlySeries {
  if (hours === 1) return s;
  const out = emptySeries(s.symbol, s.priceDecimals);
  const size = hours * HOUR;
  for (let i = 0; i < s.openTime.length; i++) {
    const bucket = Math.floor(s.openTime[i]! / size) * size;
    const last = out.openTime.length - 1;
    if (last >= 0 && out.openTime[last] === bucket) {
      out.high[last] = Math.max(out.high[last]!, s.high[i]!);
      out.low[last] = Math.min(out.low[last]!, s.low[i]!);
      out.close[last] = s.close[i]!;
      out.volume[last]! += s.volume[i]!;
    } else {
      out.openTime.push(bucket);
      out.open.push(s.open[i]!);
      out.high.push(s.high[i]!);
      out.low.push(s.low[i]!);
      out.close.push(s.close[i]!);
      out.volume.push(s.volume[i]!);
    }
  }
  return out;
}

/** Index range [lo, hi) of bars with from <= openTime <= to. */
export function window(s: HourlySeries, from: number, to: number): [number, number] {
  let lo = 0;
  while (lo < s.openTime.length && s.openTime[lo]! < from) lo++;
  let hi = lo;
  while (hi < s.openTime.length && s.openTime[hi]! <= to) hi++;
  return [lo, hi];
}
