/**
 * The wiring every command shares: global options → config → logger, store and sources.
 * This is the only place (with load-config.ts) that reads the environment.
 */
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import type { Config } from '../core/config.js';
import { isInterval, type Interval } from '../core/intervals.js';
import { ConfigError } from '../core/errors.js';
import type { Sources } from '../pipeline/sources.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { buildSources } from './build-sources.js';
import { loadConfig, type Secrets } from './load-config.js';

export interface GlobalOptions {
  config?: string;
  db?: string;
  logLevel: string;
}

export interface CliContext {
  config: Config;
  secrets: Secrets;
  logger: Logger;
  store: Store;
  interval: Interval;
  /** Real connectors pointed at the configured base URLs. */
  sources(): Sources;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export function createLogger(level: string): Logger {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(level)) throw new ConfigError(`--log-level must be one of ${levels.join(', ')}, not "${level}"`);
  // Logs go to stderr so that stdout stays clean for data (candles --format csv | …).
  return pino({ level, base: undefined, redact: ['secrets', '*.apiKey', '*.token'] }, pino.destination(2));
}

/** Opens the store and runs `fn`, closing the store afterwards whatever happens. */
export async function withContext<T>(cmd: Command, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  const { config, secrets } = loadConfig(opts);
  const logger = createLogger(opts.logLevel);
  if (!isInterval(config.history.interval)) throw new ConfigError(`history.interval: ${config.history.interval} is not supported`);
  const interval = config.history.interval;
  const store = await openStore(config.store.db, { duckdbMemoryLimit: config.store.duckdb_memory_limit, duckdbThreads: config.store.duckdb_threads });
  try {
    return await fn({
      config,
      secrets,
      logger,
      store,
      interval,
      sources: () => buildSources(config, secrets, logger),
    });
  } finally {
    await store.close();
  }
}
