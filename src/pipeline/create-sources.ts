/**
 * Wires the real connectors behind the pipeline's source interfaces, from a `Config`. One Binance
 * REST client (and so one rate governor and one server clock) per call, shared by every job; with
 * a weight ledger (PostgreSQL store) that governor also spends one budget with other processes.
 * Reads no environment: cli/ passes the secrets it read; a script passes its own.
 */
import { pino } from 'pino';
import { ArchiveClient } from '../connectors/binance-archive/archive-client.js';
import { klinesPrefix, parseArchiveKey, toArchiveInterval } from '../connectors/binance-archive/archive-layout.js';
import { ArchiveDecodePool } from '../connectors/binance-archive/archive-decode-pool.js';
import { loadArchiveFile } from '../connectors/binance-archive/load-archive-file.js';
import { BinanceRestClient } from '../connectors/binance/binance-rest-client.js';
import { toInstrument } from '../connectors/binance/exchange-info.js';
import { createRateGovernor, defaultRateGovernor, type WeightGovernor } from '../connectors/binance/rate-governor.js';
import { SharedRateGovernor } from '../connectors/binance/shared-rate-governor.js';
import { CoinGeckoClient } from '../connectors/coingecko/coingecko-client.js';
import { ServerClock } from '../connectors/http/server-clock.js';
import type { Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Interval } from '../core/intervals.js';
import type { ReplayServer } from '../replay/index.js';
import type { CreateSourcesOptions } from './create-sources-options.js';
import type { ArchiveFile, Sources } from './sources.js';

export interface SourceUrls {
  binanceRest: string;
  archiveData: string;
  archiveList: string;
  coingecko: string;
}

export interface BuiltSources extends Sources {
  /** The in-process governor, or with a weight ledger the one shared across processes. */
  governor: WeightGovernor;
  /** The exchange's clock as learned from its responses; `exchange.now()` reads it. */
  serverClock: ServerClock;
  /** Asks the exchange for its time (weight 1), so `exchange.now()` is right before any other response. */
  syncClock(): Promise<void>;
}

const silent = pino({ level: 'silent' });

/**
 * The sources for `config`. `config.universe.exchange` selects the exchange connector; Binance
 * (spot) is the only one there is.
 */
export function createSources(config: Config, options: CreateSourcesOptions = {}): BuiltSources {
  const exchange = config.universe.exchange;
  // The schema admits only 'binance'; a config built by hand past the schema gets a clear reason.
  if (exchange !== 'binance') throw new ConfigError(`universe.exchange: "${String(exchange)}" is not supported (only "binance")`);
  return createBinanceSources(config, options);
}

function createBinanceSources(config: Config, options: CreateSourcesOptions): BuiltSources {
  const { urls: overrides = {}, clock = Date.now, governor: local = defaultRateGovernor, weightLedger, secrets = {}, logger = silent } = options;
  const s = config.sources;
  const serverClock = new ServerClock(clock);
  const log = logger.child({ component: 'sources' });
  // Binance counts weight per UTC minute of its own clock, so the shared minutes are on the exchange's clock.
  const governor: WeightGovernor = weightLedger === undefined || weightLedger === null
    ? local
    : new SharedRateGovernor({ ledger: weightLedger, local, now: () => serverClock.now(), log: { warn: (m) => log.warn(m), info: (m) => log.info(m) } });
  const rest = new BinanceRestClient({ baseUrl: overrides.binanceRest ?? s.binance_rest, governor, serverClock, onRateLimit: (line) => log.warn(line) });
  const archive = new ArchiveClient({ dataBaseUrl: overrides.archiveData ?? s.binance_archive, listBaseUrl: overrides.archiveList ?? s.binance_archive_list });
  const coingecko = new CoinGeckoClient({ baseUrl: overrides.coingecko ?? s.coingecko, apiKey: secrets.coingeckoApiKey, callsPerMinute: s.coingecko_calls_per_minute });
  // Workers start at the first archive file; an idle one does not keep the process alive.
  const decoder = new ArchiveDecodePool();

  return {
    governor,
    serverClock,
    syncClock: async () => void (await rest.serverTime()),
    marketCaps: { topByMarketCap: (n, vs) => coingecko.topByMarketCap(n, vs) },
    exchange: {
      exchange: 'binance',
      now: () => serverClock.now(),
      async instruments() {
        const info = await rest.exchangeInfo();
        return info.symbols.filter((x) => x.spot !== false).map(toInstrument);
      },
      async firstCandleTime(symbol: string, interval: Interval) {
        const first = await rest.klines({ symbol, interval, startTime: 0, limit: 1 });
        return first.length === 0 ? null : (first.openTime[0] as number);
      },
      klines: (symbol, interval, from, to) => rest.klinesRange(symbol, interval, from, to),
    },
    archive: {
      async listFiles(symbol: string, interval: Interval): Promise<ArchiveFile[]> {
        const files: ArchiveFile[] = [];
        const ai = toArchiveInterval(interval);
        for (const period of ['monthly', 'daily'] as const) {
          for await (const obj of archive.list(klinesPrefix('spot', period, symbol, ai))) {
            if (!obj.key.endsWith('.zip')) continue;
            try {
              const k = parseArchiveKey(obj.key);
              files.push({ key: obj.key, period: k.period, start: k.start, end: k.end, size: obj.size, lastModified: obj.lastModified });
            } catch (err) {
              log.warn({ key: obj.key }, `ignoring listed object: ${(err as Error).message}`);
            }
          }
        }
        return files.sort((a, b) => a.start - b.start);
      },
      // The manifest's ingestedAt is a local receive time (two timestamps: never corrected).
      // Parsed on a worker thread, beside the store writes the main thread drives.
      load: (file, interval, signal) =>
        loadArchiveFile(archive, file.key, interval, 'spot', clock, signal, (zip, sum, key, i, market, at) => decoder.decode(zip, sum, key, i, market, at)),
      release: (candles) => decoder.release(candles),
    },
  };
}

/**
 * The real connectors pointed at a replay server, on its simulated clock, with a governor of their
 * own (the replay's weight windows run on that clock too), never the shared ledger: the replay's
 * weight is not the real exchange's. Pass `clock` to simulate a local clock that is off.
 */
export function createReplaySources(config: Config, replay: ReplayServer, options: Omit<CreateSourcesOptions, 'urls' | 'weightLedger'> = {}): BuiltSources {
  const clock = options.clock ?? ((): number => replay.clock.now());
  const { binance, archiveData, archiveList, coingecko } = replay.urls;
  return createSources(config, {
    governor: createRateGovernor({ now: () => replay.clock.now() }),
    ...options,
    clock,
    urls: { binanceRest: binance, archiveData, archiveList, coingecko },
  });
}
