/**
 * The typed configuration (tickerflow.toml), validated with zod. Parsing the file and the
 * environment happens in cli/; everything else receives a `Config`.
 */
import { z } from 'zod';
import { isInterval } from './intervals.js';
import { MARKET_EVENT_KINDS, parseMarketRef } from './market-events.js';

/** `binance:BTCUSDT`: an exchange with a live feed and its own symbol. */
const marketRef = z.string().refine((v) => {
  try {
    parseMarketRef(v);
    return true;
  } catch {
    return false;
  }
}, 'expected <exchange>:<symbol>, e.g. "binance:BTCUSDT" or "gemini:BTCUSD"');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const symbol = z.string().regex(/^[A-Z0-9]{2,20}$/, 'expected an exchange symbol in upper case, e.g. BTCUSDT');

/**
 * Bounded DuckDB defaults: DuckDB's own are 80 % of RAM and every core, and a backfill into an
 * unbounded DuckDB grew ≈ 200 B/row (3.8 GB at 18.9 M rows).
 * @see https://duckdb.org/docs/stable/configuration/overview
 */
export const DUCKDB_DEFAULTS = { memoryLimit: '512MB', threads: 2 } as const;
const duckdbSize = z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, 'expected a size such as "1GB" or "512MiB"');

export const configSchema = z
  .object({
    store: z
      .object({
        /** A DuckDB file path or a postgres:// URL. */
        db: z.string().min(1).default('./tickerflow-data/tickerflow.duckdb'),
        /** DuckDB's memory_limit (beyond it DuckDB spills to disk or fails a query, never grows). */
        duckdb_memory_limit: duckdbSize.default(DUCKDB_DEFAULTS.memoryLimit),
        /** DuckDB's worker threads. */
        duckdb_threads: z.number().int().min(1).max(256).default(DUCKDB_DEFAULTS.threads),
        /** Days of finished job runs (with their tasks and log lines) to keep; older ones are pruned. */
        keep_job_days: z.number().int().min(1).max(36_500).default(30),
      })
      .strict()
      .default({ db: './tickerflow-data/tickerflow.duckdb', duckdb_memory_limit: DUCKDB_DEFAULTS.memoryLimit, duckdb_threads: DUCKDB_DEFAULTS.threads, keep_job_days: 30 }),
    universe: z
      .object({
        /**
         * Selects the exchange connector (`createSources`) and names the exchange in every stored
         * series. Binance spot is the only connector there is; the key stays so that files written
         * by `tickerflow init` keep loading, and any other value is refused, not ignored.
         */
        exchange: z.literal('binance', { error: 'only "binance" is supported (the one exchange connector there is)' }).default('binance'),
        /** How many coins by market cap to follow (0 = only the hand-added symbols). */
        top: z.number().int().min(0).max(1000).default(20),
        vs_currency: z.string().min(2).default('usd'),
        /** Quote assets to try, in order, when mapping a coin to a pair. */
        quote_preference: z.array(z.string().regex(/^[A-Z0-9]+$/)).min(1).default(['USDT', 'FDUSD', 'USDC', 'BUSD', 'BTC']),
        /** Symbols followed whatever their rank. */
        symbols: z.array(symbol).default([]),
      })
      .strict()
      .default({ exchange: 'binance', top: 20, vs_currency: 'usd', quote_preference: ['USDT', 'FDUSD', 'USDC', 'BUSD', 'BTC'], symbols: [] }),
    history: z
      .object({
        interval: z.string().refine(isInterval, 'not a supported interval').default('1m'),
        /** Earliest day to keep; default: from each symbol's listing. */
        since: isoDate.optional(),
        /** Archive files a backfill downloads, verifies and parses at once (also its bound on parsed files in memory). */
        backfill_concurrency: z.number().int().min(1).max(32).default(4),
      })
      .strict()
      .default({ interval: '1m', backfill_concurrency: 4 }),
    sources: z
      .object({
        binance_rest: z.url().default('https://data-api.binance.vision'),
        binance_archive: z.url().default('https://data.binance.vision'),
        binance_archive_list: z.url().default('https://s3-ap-northeast-1.amazonaws.com/data.binance.vision'),
        coingecko: z.url().default('https://api.coingecko.com/api/v3'),
        /** Client-side pace for CoinGecko (the free tier's published limit has varied: 10–30, 30, 100/min). */
        coingecko_calls_per_minute: z.number().int().min(1).max(1000).default(30),
        /** Binance's market-data websocket host (combined streams at `/stream`). */
        binance_ws: z.url().default('wss://data-stream.binance.vision'),
        /** Gemini's websocket host (market data v2 at `/v2/marketdata`). */
        gemini_ws: z.url().default('wss://api.gemini.com'),
        /** Bitvavo's websocket API v2 (docs.bitvavo.com websocket overview). */
        bitvavo_ws: z.url().default('wss://ws.bitvavo.com/v2/'),
        /** Bitvavo's REST root (order book at `/{market}/book`). */
        bitvavo_rest: z.url().default('https://api.bitvavo.com/v2'),
        /** BTCTurk's websocket feed. */
        btcturk_ws: z.url().default('wss://ws-feed-pro.btcturk.com'),
        /** BTCTurk's REST root (order book at `/api/v2/orderbook`). */
        btcturk_rest: z.url().default('https://api.btcturk.com'),
      })
      .strict()
      .default({
        binance_rest: 'https://data-api.binance.vision',
        binance_archive: 'https://data.binance.vision',
        binance_archive_list: 'https://s3-ap-northeast-1.amazonaws.com/data.binance.vision',
        coingecko: 'https://api.coingecko.com/api/v3',
        coingecko_calls_per_minute: 30,
        binance_ws: 'wss://data-stream.binance.vision',
        gemini_ws: 'wss://api.gemini.com',
        bitvavo_ws: 'wss://ws.bitvavo.com/v2/',
        bitvavo_rest: 'https://api.bitvavo.com/v2',
        btcturk_ws: 'wss://ws-feed-pro.btcturk.com',
        btcturk_rest: 'https://api.btcturk.com',
      }),
    stream: z
      .object({
        /** Markets `up` and `tickerflow stream` stream live (none by default). */
        markets: z.array(marketRef).default([]),
        /** Event kinds to subscribe to where the exchange has them. */
        kinds: z.array(z.enum(MARKET_EVENT_KINDS)).min(1).default([...MARKET_EVENT_KINDS]),
        /** Length of the liquidity signal windows. */
        window_seconds: z.number().int().min(1).max(86_400).default(60),
        /** Folder of the Parquet lake of normalised events ("" writes none). */
        lake: z.string().default('./tickerflow-data/lake'),
        /** A lake buffer is written when it holds this many events… */
        lake_flush_events: z.number().int().min(1).max(10_000_000).default(50_000),
        /** …or its oldest event is this old. */
        lake_flush_seconds: z.number().int().min(1).max(3_600).default(60),
        /** Days of lake partitions to keep (0 keeps everything). */
        lake_retention_days: z.number().int().min(0).max(36_500).default(30),
        /** Seconds without a message on a channel before its connection is restarted. */
        stale_seconds: z.number().int().min(5).max(3_600).default(60),
      })
      .strict()
      .default({
        markets: [],
        kinds: [...MARKET_EVENT_KINDS],
        window_seconds: 60,
        lake: './tickerflow-data/lake',
        lake_flush_events: 50_000,
        lake_flush_seconds: 60,
        lake_retention_days: 30,
        stale_seconds: 60,
      }),
    schedule: z
      .object({
        sync_every_seconds: z.number().int().min(10).default(60),
        gaps_every_minutes: z.number().int().min(1).default(60),
        universe_every_hours: z.number().int().min(1).default(24),
      })
      .strict()
      .default({ sync_every_seconds: 60, gaps_every_minutes: 60, universe_every_hours: 24 }),
    api: z
      .object({
        /** Address `up` serves the API and dashboard on: loopback unless configured (the API has its own users and tokens, but nothing should be exposed by default). */
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8080),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    telegram: z
      .object({
        /**
         * The Bot API server: Telegram's, a self-hosted Bot API server, or the replay server's
         * local endpoint (`http://127.0.0.1:<port>`). The bot token comes only from TELEGRAM_BOT_TOKEN.
         */
        api_root: z.url().default('https://api.telegram.org'),
      })
      .strict()
      .default({ api_root: 'https://api.telegram.org' }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Formats zod issues as one line per problem, naming the key path. */
export function describeConfigIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
