/**
 * The wiring every command shares: global options → config → logger, store and sources.
 * This is the only place (with load-config.ts) that reads the environment.
 */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { Config } from '../core/config.js';
import { isInterval, type Interval } from '../core/intervals.js';
import { ConfigError } from '../core/errors.js';
import { createSources, type BuiltSources } from '../pipeline/create-sources.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { loadConfig, type Secrets } from './load-config.js';
import { pauseBeforeCommitFromEnv } from './test-pause.js';
import { createLogger } from './logger.js';
import { RemoteApi } from './remote-api.js';
import { readUpAddress, upAddressPath } from './up-address.js';

export { createLogger };

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
  sources(): BuiltSources;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/**
 * Opens the store and runs `fn`, closing the store afterwards whatever happens. `defaultDb`, when
 * given, replaces the config's and the environment's store (only `--db` overrides it): the demo
 * writes its recorded 2020 data to a store of its own, never to the one a real run uses.
 */
export async function withContext<T>(cmd: Command, fn: (ctx: CliContext) => Promise<T>, defaults: { defaultDb?: string } = {}): Promise<T> {
  const opts = globalOptions(cmd);
  const { config, secrets } = loadConfig(opts);
  if (defaults.defaultDb !== undefined) config.store.db = opts.db ?? defaults.defaultDb;
  const logger = createLogger(opts.logLevel);
  if (!isInterval(config.history.interval)) throw new ConfigError(`history.interval: ${config.history.interval} is not supported`);
  const interval = config.history.interval;
  const store = await openStore(config.store.db, {
    beforeCommit: pauseBeforeCommitFromEnv(process.env),
    keepJobsMs: config.store.keep_job_days * 86_400_000,
    duckdbMemoryLimit: config.store.duckdb_memory_limit,
    duckdbThreads: config.store.duckdb_threads,
  });
  try {
    return await fn({
      config,
      secrets,
      logger,
      store,
      interval,
      // On PostgreSQL every process's Binance calls spend one weight budget (the limit is per IP).
      sources: () => createSources(config, { secrets, logger, weightLedger: store.weightLedger() }),
    });
  } finally {
    await store.close();
  }
}

/**
 * The API of the `up` that holds this command's DuckDB file, or null when none runs (the command
 * then opens the store itself). Read commands call it first, so they work beside `up`.
 */
export function runningUp(cmd: Command): RemoteApi | null {
  const { config } = loadConfig(globalOptions(cmd));
  const path = upAddressPath(config.store.db);
  const address = path === null ? null : readUpAddress(path);
  return address === null ? null : new RemoteApi(address);
}

/**
 * Refuses a command that only a holder of the store can run (it writes the store or runs a job)
 * while `up` holds its DuckDB file, before anything is done: the message says why and what to do
 * (`instead`), not DuckDB's "file in use".
 */
export function refuseWhileUp(cmd: Command, instead: string): void {
  const { config } = loadConfig(globalOptions(cmd));
  const path = upAddressPath(config.store.db);
  const address = path === null ? null : readUpAddress(path);
  if (address === null) return;
  throw new ConfigError(`tickerflow ${address.command ?? 'up'} (pid ${address.pid}, API at ${address.url}) holds ${config.store.db}: ${instead}`);
}

/** Reads through the running `up`'s API when `remote` is given, else from the store; then prints. */
export async function withStoreOr<T>(cmd: Command, remote: (() => Promise<T>) | undefined, local: (ctx: CliContext) => Promise<T>, print: (value: T) => void): Promise<void> {
  if (remote !== undefined) print(await remote());
  else await withContext(cmd, async (ctx) => print(await local(ctx)));
}
