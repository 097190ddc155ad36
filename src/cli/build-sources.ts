/**
 * Wires the real connectors behind the pipeline's source interfaces. One Binance REST client (and
 * so one rate governor) per process, shared by every job.
 */
import type { Logger } from 'pino';
import { ArchiveClient } from '../connectors/binance-archive/archive-client.js';
import { klinesPrefix, parseArchiveKey, toArchiveInterval } from '../connectors/binance-archive/archive-layout.js';
import { loadArchiveFile } from '../connectors/binance-archive/load-archive-file.js';
import { BinanceRestClient } from '../connectors/binance/binance-rest-client.js';
import { toInstrument } from '../connectors/binance/exchange-info.js';
import { createRateGovernor, defaultRateGovernor, type RateGovernor } from '../connectors/binance/rate-governor.js';
import { CoinGeckoClient } from '../connectors/coingecko/coingecko-client.js';
import type { Config } from '../core/config.js';
import type { Interval } from '../core/intervals.js';
import type { ArchiveFile, Sources } from '../pipeline/sources.js';
import type { ReplayServer } from '../replay/index.js';
import type { Secrets } from './load-config.js';

export interface SourceUrls {
  binanceRest: string;
  archiveData: string;
  archiveList: string;
  coingecko: string;
}

export interface BuiltSources extends Sources {
  governor: RateGovernor;
}

export function buildSources(
  config: Config,
  secrets: Secrets,
  logger: Logger,
  overrides: Partial<SourceUrls> = {},
  clock: () => number = Date.now,
  governor: RateGovernor = defaultRateGovernor,
): BuiltSources {
  const s = config.sources;
  const rest = new BinanceRestClient({ baseUrl: overrides.binanceRest ?? s.binance_rest, governor, now: clock });
  const archive = new ArchiveClient({ dataBaseUrl: overrides.archiveData ?? s.binance_archive, listBaseUrl: overrides.archiveList ?? s.binance_archive_list });
  const coingecko = new CoinGeckoClient({ baseUrl: overrides.coingecko ?? s.coingecko, apiKey: secrets.coingeckoApiKey, callsPerMinute: s.coingecko_calls_per_minute });
  const log = logger.child({ component: 'sources' });

  return {
    governor,
    marketCaps: { topByMarketCap: (n, vs) => coingecko.topByMarketCap(n, vs) },
    exchange: {
      exchange: 'binance',
      now: clock,
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
      load: (file, interval) => loadArchiveFile(archive, file.key, interval, 'spot', clock),
    },
  };
}

/**
 * The real connectors pointed at a replay server, on its simulated clock, with a governor of their
 * own (the replay's weight windows run on that clock too).
 */
export function buildReplaySources(config: Config, secrets: Secrets, logger: Logger, replay: ReplayServer): BuiltSources {
  const clock = (): number => replay.clock.now();
  const { binance, archiveData, archiveList, coingecko } = replay.urls;
  return buildSources(config, secrets, logger, { binanceRest: binance, archiveData, archiveList, coingecko }, clock, createRateGovernor({ now: clock }));
}
