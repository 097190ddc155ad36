/**
 * What the pipeline needs from the outside world, as small interfaces. cli/ wires the real
 * connectors (Binance archive, Binance REST, CoinGecko) behind them; tests may wire the same
 * connectors against the replay server.
 */
import type { CandleColumns } from '../core/candle.js';
import type { Interval } from '../core/intervals.js';
import type { Instrument } from '../core/instrument.js';
import type { ArchiveManifestEntry } from '../store/store.js';

/** A coin ranked by market cap (the fields the universe needs of a CoinGecko markets row). */
export interface CoinMarket {
  id: string;
  /** Lower-case ticker, e.g. "btc"; not unique across coins. */
  symbol: string;
  marketCapRank: number | null;
  marketCap: number | null;
  totalVolume: number | null;
}

export interface MarketCapSource {
  topByMarketCap(n: number, vsCurrency: string): Promise<CoinMarket[]>;
}

export interface ExchangeSource {
  readonly exchange: string;
  /** Every spot instrument the exchange lists, with its status. */
  instruments(): Promise<Instrument[]>;
  /** Open time of the exchange's first candle of the symbol, or null if it has none yet. */
  firstCandleTime(symbol: string, interval: Interval): Promise<number | null>;
  /** Closed candles with from ≤ openTime < to, page by page, in the fewest requests the API allows. */
  klines(symbol: string, interval: Interval, from: number, to: number): AsyncIterable<CandleColumns>;
  /** The exchange's idea of now (server clock), epoch ms. */
  now(): number;
}

/** One archive object that holds candles of [start, end). */
export interface ArchiveFile {
  key: string;
  period: 'daily' | 'monthly';
  start: number;
  end: number;
  /**
   * Size in bytes and Last-Modified (epoch ms) as the listing gives them; compared with the
   * manifest to see a re-published object. Absent when the listing did not say.
   */
  size?: number;
  lastModified?: number;
}

export interface ArchiveSource {
  /** The files published for the symbol and interval, oldest first; throws when the listing fails. */
  listFiles(symbol: string, interval: Interval): Promise<ArchiveFile[]>;
  /**
   * Downloads, verifies (SHA-256 against .CHECKSUM) and parses one file; throws on any fault.
   * `signal` may stop it early; the backfill stops waiting for it on abort either way.
   */
  load(file: ArchiveFile, interval: Interval, signal?: AbortSignal): Promise<{ candles: CandleColumns; manifest: ArchiveManifestEntry }>;
  /**
   * Optional: takes back the columns of a loaded file once nothing reads them, to parse a later
   * file into (they are empty afterwards). Saves the main thread's collector a full heap each few files.
   */
  release?(candles: CandleColumns): void;
}

export interface Sources {
  marketCaps: MarketCapSource;
  exchange: ExchangeSource;
  archive: ArchiveSource;
}
