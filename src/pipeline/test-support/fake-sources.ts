/**
 * Test double for the pipeline's sources: an exchange and an archive whose candles are generated
 * from (symbol, open time, version), with counters, delays and failures the tests set. Generated
 * data stands in for no exchange format here: the pipeline only sees `CandleColumns`.
 */
import { allocateColumns, columnArrayBuffers, type CandleColumns } from '../../core/candle.js';
import type { ArchiveManifestEntry } from '../../core/archive-manifest.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { Instrument } from '../../core/instrument.js';
import { addUtcMonths } from '../../core/time.js';
import type { ArchiveFile, CoinMarket, Sources } from '../sources.js';

export interface FakeSymbol {
  /** Open time of the exchange's first candle, or null for none yet. */
  listedAt: number | null;
  /** Last open time + 1 of its candles (a delisted symbol); default: none. */
  delistedAt?: number;
}

/** A candle whose prices depend on the symbol, open time and a version (a re-published file). */
export function fakeCandles(symbol: string, interval: Interval, from: number, to: number, version = 0): CandleColumns {
  const len = intervalMs(interval);
  const c = allocateColumns(Math.max(0, Math.ceil((to - from) / len)));
  const seed = [...symbol].reduce((n, ch) => n + ch.charCodeAt(0), 0);
  for (let t = from; t < to; t += len) {
    const i = c.length++;
    const base = 100 + seed + ((t / len) % 97) + version * 0.5;
    c.openTime[i] = t;
    c.open[i] = base;
    c.high[i] = base + 2;
    c.low[i] = base - 1;
    c.close[i] = base + 1;
    c.volume[i] = 10 + (i % 7);
    c.closeTime[i] = t + len - 1;
    c.quoteVolume[i] = (10 + (i % 7)) * base;
    c.trades[i] = 5 + (i % 3);
    c.takerBuyBase[i] = 4;
    c.takerBuyQuote[i] = 4 * base;
  }
  return c;
}

/** Monthly archive files of `symbol` for the months starting at `from` (a month start), `count` of them. */
export function monthlyFiles(symbol: string, interval: Interval, from: number, count: number): ArchiveFile[] {
  const out: ArchiveFile[] = [];
  for (let m = 0; m < count; m++) {
    const start = addUtcMonths(from, m);
    const end = addUtcMonths(from, m + 1);
    const ym = new Date(start).toISOString().slice(0, 7);
    out.push({ key: `data/spot/monthly/klines/${symbol}/${interval}/${symbol}-${interval}-${ym}.zip`, period: 'monthly', start, end, size: 1000 + m, lastModified: end + 3_600_000 });
  }
  return out;
}

export class FakeSources implements Sources {
  now: number;
  readonly symbols = new Map<string, FakeSymbol>();
  readonly files = new Map<string, ArchiveFile[]>();
  /** Version of each archive key's content; bump it to re-publish an object with other values. */
  readonly versions = new Map<string, number>();
  /** REST candles carry this version (differ from the archive's version 0 when set). */
  restVersion = 0;
  /** Real milliseconds each archive load takes. */
  loadDelayMs = 0;
  /** Symbols whose archive listing rejects (as after the client's retries). */
  readonly failingListings = new Set<string>();
  readonly calls = { instruments: 0, firstCandle: 0, klines: 0, listFiles: 0, loads: 0, loadsFinished: 0, releases: 0 };
  /** Loads running now, and the most that ran at once. */
  loadsInFlight = 0;
  maxLoadsInFlight = 0;

  /** When set, the exchange's clock (e.g. simulated time running off the real one); else `now`. */
  clock: (() => number) | undefined;

  constructor(now: number) {
    this.now = now;
  }

  current(): number {
    return this.clock?.() ?? this.now;
  }

  readonly marketCaps = { topByMarketCap: (): Promise<CoinMarket[]> => Promise.resolve([]) };

  readonly exchange = {
    exchange: 'binance',
    now: (): number => this.current(),
    instruments: (): Promise<Instrument[]> => {
      this.calls.instruments++;
      return Promise.resolve(
        [...this.symbols.keys()].map((symbol) => ({ exchange: 'binance', symbol, base: symbol.replace(/USDT$/, ''), quote: 'USDT', status: 'TRADING', listedAt: null })),
      );
    },
    firstCandleTime: (symbol: string): Promise<number | null> => {
      this.calls.firstCandle++;
      const s = this.symbols.get(symbol);
      return Promise.resolve(s?.listedAt != null && s.listedAt <= this.current() ? s.listedAt : null);
    },
    klines: (symbol: string, interval: Interval, from: number, to: number): AsyncIterable<CandleColumns> => this.klines(symbol, interval, from, to),
  };

  readonly archive = {
    listFiles: (symbol: string): Promise<ArchiveFile[]> => {
      this.calls.listFiles++;
      if (this.failingListings.has(symbol)) return Promise.reject(new Error(`HTTP 503 from the listing of ${symbol} (after 5 attempts)`));
      return Promise.resolve([...(this.files.get(symbol) ?? [])]);
    },
    load: async (file: ArchiveFile, interval: Interval): Promise<{ candles: CandleColumns; manifest: ArchiveManifestEntry }> => {
      this.calls.loads++;
      this.loadsInFlight++;
      this.maxLoadsInFlight = Math.max(this.maxLoadsInFlight, this.loadsInFlight);
      try {
        if (this.loadDelayMs > 0) await new Promise((r) => setTimeout(r, this.loadDelayMs));
        const symbol = /klines\/([A-Z0-9]+)\//.exec(file.key)?.[1] ?? '';
        const candles = this.candles(symbol, interval, file.start, file.end, this.versions.get(file.key) ?? 0);
        this.calls.loadsFinished++;
        return {
          candles,
          manifest: { key: file.key, size: file.size ?? 1000, sha256: 'ab'.repeat(32), lastModified: file.lastModified ?? null, rows: candles.length, ingestedAt: this.current() },
        };
      } finally {
        this.loadsInFlight--;
      }
    },
    // As the real decode pool's: the memory moves away, so a read after the release finds empty columns.
    release: (candles: CandleColumns): void => {
      this.calls.releases++;
      const buffers = columnArrayBuffers(candles).filter((b) => b.byteLength > 0);
      structuredClone(buffers, { transfer: buffers });
    },
  };

  /** The symbol's candles of [from, to) that exist (after its listing, before its delisting). */
  candles(symbol: string, interval: Interval, from: number, to: number, version: number): CandleColumns {
    const s = this.symbols.get(symbol);
    if (s?.listedAt == null) return fakeCandles(symbol, interval, 0, 0);
    const lo = Math.max(from, s.listedAt);
    const hi = Math.min(to, s.delistedAt ?? to);
    return fakeCandles(symbol, interval, lo, Math.max(lo, hi), version);
  }

  private async *klines(symbol: string, interval: Interval, from: number, to: number): AsyncGenerator<CandleColumns> {
    this.calls.klines++;
    const len = intervalMs(interval);
    const closedEnd = Math.min(to, Math.floor(this.current() / len) * len);
    const pageSpan = 1000 * len;
    for (let t = from; t < closedEnd; t += pageSpan) {
      await Promise.resolve();
      yield this.candles(symbol, interval, t, Math.min(t + pageSpan, closedEnd), this.restVersion);
    }
  }
}
