/** Reads tickerflow.toml and the environment once, into a typed Config plus secrets. */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { configSchema, describeConfigIssues, type Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';

export interface Secrets {
  /** CoinGecko demo API key (COINGECKO_API_KEY); never logged. */
  coingeckoApiKey: string | undefined;
  /** The Telegram bot's token (TELEGRAM_BOT_TOKEN); never logged. */
  telegramBotToken: string | undefined;
  /** The key every user's webhook signing secret derives from (TICKERFLOW_WEBHOOK_KEY); never logged. */
  webhookKey: string | undefined;
}

export interface LoadedConfig {
  config: Config;
  secrets: Secrets;
  /** The file read, or null when defaults were used. */
  path: string | null;
}

export const DEFAULT_CONFIG_PATH = 'tickerflow.toml';

export function loadConfig(opts: { config?: string; db?: string }, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const path = opts.config ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : null);
  let raw: unknown = {};
  if (path !== null) {
    if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist (run \`tickerflow init\` to write one)`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`config file ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      raw = tomlDatesAsText(parseToml(text));
    } catch (err) {
      const at = err instanceof TomlError ? `:${err.line}:${err.column}` : '';
      throw new ConfigError(`${path}${at}: not valid TOML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${path ?? 'config'}: ${describeConfigIssues(parsed.error)}`);
  const config = parsed.data;
  const db = opts.db ?? env.TICKERFLOW_DB;
  if (db !== undefined && db !== '') config.store.db = db;
  const secrets: Secrets = {
    coingeckoApiKey: env.COINGECKO_API_KEY || undefined,
    telegramBotToken: env.TELEGRAM_BOT_TOKEN || undefined,
    webhookKey: env.TICKERFLOW_WEBHOOK_KEY || undefined,
  };
  return { config, secrets, path };
}

/**
 * A bare TOML date or time (`since = 2024-01-01`) as its text, as if quoted: the settings take
 * times as ISO-8601 strings.
 */
function tomlDatesAsText(value: unknown): unknown {
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map(tomlDatesAsText);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tomlDatesAsText(v)]));
  return value;
}

export const CONFIG_TEMPLATE = `# tickerflow configuration. Every key is optional; shown with its default.

[store]
# A DuckDB file (embedded default) or a PostgreSQL URL, e.g. "postgres://user@host:5432/db".
# --db and TICKERFLOW_DB override it.
db = "./tickerflow-data/tickerflow.duckdb"
# DuckDB only: memory it may use (it spills to disk beyond that) and its worker threads.
duckdb_memory_limit = "512MB"
duckdb_threads = 2
# Days of finished job runs, their tasks and log lines to keep (older ones are pruned when a job starts).
keep_job_days = 30

[universe]
# The exchange whose connector is used; "binance" (spot) is the only one there is.
exchange = "binance"
# Follow the top N coins by market cap (CoinGecko), mapped to Binance spot pairs.
top = 20
vs_currency = "usd"
quote_preference = ["USDT", "FDUSD", "USDC", "BUSD", "BTC"]
# Symbols to follow whatever their rank.
symbols = []

[history]
# The interval backfill, sync, gaps and up store: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h or 1d.
interval = "1m"
# Earliest UTC day to keep; without it each symbol is backfilled from its listing.
# since = "2024-01-01"
# Archive files a backfill downloads, verifies and parses at once (also how many parsed files it holds in memory).
backfill_concurrency = 4

[sources]
binance_rest = "https://data-api.binance.vision"
binance_archive = "https://data.binance.vision"
binance_archive_list = "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision"
coingecko = "https://api.coingecko.com/api/v3"
coingecko_calls_per_minute = 30
# The CoinGecko API key, if you have one, comes from the environment: COINGECKO_API_KEY.
# Websocket hosts of the live feeds ([stream]).
binance_ws = "wss://data-stream.binance.vision"
gemini_ws = "wss://api.gemini.com"
bitvavo_ws = "wss://ws.bitvavo.com/v2/"
bitvavo_rest = "https://api.bitvavo.com/v2"
btcturk_ws = "wss://ws-feed-pro.btcturk.com"
btcturk_rest = "https://api.btcturk.com"

[stream]
# Markets to stream live, as <exchange>:<symbol> (binance, gemini, bitvavo, btcturk), e.g. ["binance:BTCUSDT", "gemini:BTCUSD", "bitvavo:BTC-EUR", "btcturk:BTCTRY"].
markets = []
# Event kinds to subscribe to where the exchange has them.
kinds = ["trade", "book_snapshot", "book_delta", "candle"]
# Length of the liquidity signal windows.
window_seconds = 60
# Folder of the Parquet lake of normalised events ("" writes none), when a buffer is written, and the days of partitions kept (0 keeps all; applied at start and hourly).
lake = "./tickerflow-data/lake"
lake_flush_events = 50000
lake_flush_seconds = 60
lake_retention_days = 30
# Seconds without a message on a channel before its connection is restarted.
stale_seconds = 60

[schedule]
sync_every_seconds = 60
gaps_every_minutes = 60
universe_every_hours = 24

[api]
# Where \`up\` serves the API and the dashboard (--host and --port override). Keep it on loopback
# unless a reverse proxy with TLS is in front of it.
host = "127.0.0.1"
port = 8080

[telegram]
# The Bot API server alerts are sent through; the replay server's local endpoint for offline runs.
# The bot token comes only from the environment: TELEGRAM_BOT_TOKEN (never logged).
api_root = "https://api.telegram.org"
`;
