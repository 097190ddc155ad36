// tickerflow as a library: the store, the data sources, the pipeline jobs, the indicators, the config, the replay server and alert delivery, for scripts; importing it runs nothing and reads no environment (loadConfig does, when called).
/**
 * `import { openStore, createSources, runBackfillJob, … } from 'tickerflow'`. A script works on a
 * PostgreSQL store or on a DuckDB file that no `tickerflow up` holds (DuckDB allows one process
 * per file).
 *
 * @example
 * const config = configSchema.parse({});            // or loadConfig({}).config
 * const store = await openStore('./analysis.duckdb');
 * const sources = createSources(config, { weightLedger: store.weightLedger() }); // PostgreSQL: one Binance budget with other processes
 * await sources.syncClock();
 * await runBackfillJob(store, sources, createLogger('warn'), { symbols: ['BTCUSDT'], interval: '1h' });
 */
export * from './core/index.js';
export { configSchema, describeConfigIssues, type Config } from './core/config.js';
export { loadConfig, CONFIG_TEMPLATE, DEFAULT_CONFIG_PATH, type LoadedConfig, type Secrets } from './cli/load-config.js';
export { createLogger } from './cli/logger.js';
export * from './store/index.js';
export * from './pipeline/index.js';
export * from './indicators/index.js';
export * from './alerts/index.js';
export { startReplayServer, BUNDLED_FIXTURES, DEFAULT_COINGECKO_FILES, SimClock, type ReplayServer, type ReplayServerOptions, type ReplayFaults, type ReplayStats } from './replay/index.js';
export { createDelivery, OutboxWorker, WebhookChannel, DashboardChannel, createTelegramBot, sendTestMessages, webhookSecret, signBody, verifySignature, parseChannel, type Delivery, type DeliveryOptions, type DeliveryChannel, type Notice, type TestResult } from './alerts/delivery/index.js';
