/**
 * REST catch-up benchmark (issue 3, "Speed"): the real sync and backfill jobs, through the real
 * Binance REST client and its rate governor, against the replay server at a simulated now. It
 * counts requests and weight (as the governor spent them and as the server charged them) against
 * the minimum — ceil(missing candles / 1000) requests per contiguous missing range — and the 429s.
 *
 * The simulated clock stands still (speed 0) except when the governor waits: its sleep advances
 * the clock instead of the wall, so a wait for the next weight window costs no real time and the
 * report can state exactly how long a real run would have waited.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createRateGovernor } from '../../src/connectors/binance/rate-governor.js';
import { configSchema } from '../../src/core/config.js';
import { floorToInterval, intervalMs, type Interval } from '../../src/core/intervals.js';
import type { SeriesKey } from '../../src/core/instrument.js';
import { parseTime } from '../../src/core/time.js';
import { runBackfillJob } from '../../src/pipeline/backfill-job.js';
import { createSources } from '../../src/pipeline/create-sources.js';
import { runSyncJob } from '../../src/pipeline/sync-job.js';
import { startReplayServer } from '../../src/replay/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ingestArchiveFile } from './ingest.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/binance-vision/', import.meta.url));
const silent = pino({ level: 'silent' });

export interface CatchupScenario {
  name: string;
  /** Simulated now, ISO. */
  now: string;
  interval: Interval;
  symbols: string[];
  /** What the store holds before the run, in words. */
  startState: string;
  /** Spot daily archive days (YYYY-MM-DD) ingested from fixtures/ before the run, besides the listing. */
  archiveDays: string[];
  /** Which real job runs, and how many of them concurrently (sharing one governor). */
  job: 'sync' | 'backfill';
  concurrentJobs: number;
  /** The replay server's REQUEST_WEIGHT per minute (default 6000, Binance's). */
  weightLimit: number;
  /** Ask exchangeInfo first, as `up` and the universe job do, so that the governor learns the limit. */
  exchangeInfoFirst: boolean;
}

export interface CatchupCounters {
  requests: number;
  weight: number;
  rateLimited429: number;
  banned418: number;
}

export interface CatchupResult {
  scenario: CatchupScenario;
  /** Candles fetched over REST (all were missing before the run), per symbol summed. */
  restCandles: number;
  /** Σ over symbols of ceil(REST candles / 1000): each symbol's REST part is one contiguous range. */
  minRequests: number;
  minWeight: number;
  /** klines calls only (governor's count minus the exchangeInfo call, if any). */
  klinesRequests: number;
  governor: CatchupCounters & { waits: number; waitedMs: number };
  server: CatchupCounters;
  /** Simulated minutes the run took (the governor's waits). */
  simulatedMs: number;
  /** Series still missing candles in their window after the run (should be none). */
  incomplete: string[];
  wallMs: number;
}

const KLINES_WEIGHT = 2;
const TOP10_1H = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'SOLUSDT', 'DOTUSDT', 'AVAXUSDT', 'LINKUSDT'];

/** The scenarios of the report: the recorded data decide which (date, interval, symbols) are possible. */
export const CATCHUP_SCENARIOS: readonly CatchupScenario[] = [
  {
    name: 'BTCUSDT 1m sync of 2020-01-03',
    now: '2020-01-03T23:59:30Z', interval: '1m', symbols: ['BTCUSDT'], job: 'sync', concurrentJobs: 1,
    startState: '2020-01-01 and 2020-01-02 ingested from the archive zips', archiveDays: ['2020-01-01', '2020-01-02'],
    weightLimit: 6000, exchangeInfoFirst: false,
  },
  {
    name: 'BTCUSDT 1m backfill from the listing',
    now: '2020-01-03T23:59:30Z', interval: '1m', symbols: ['BTCUSDT'], job: 'backfill', concurrentJobs: 1,
    startState: 'only the listing (2020-01-01); the archive has published 01 and 02, not 03', archiveDays: [],
    weightLimit: 6000, exchangeInfoFirst: false,
  },
  {
    name: '10 symbols 1h backfill of 2023-01',
    now: '2023-01-31T23:59:30Z', interval: '1h', symbols: TOP10_1H, job: 'backfill', concurrentJobs: 1,
    startState: 'only the listings (2023-01-01); no archive files for these', archiveDays: [],
    weightLimit: 6000, exchangeInfoFirst: false,
  },
  {
    name: '10 symbols 1h, weight limit 20, two concurrent jobs',
    now: '2023-01-31T23:59:30Z', interval: '1h', symbols: TOP10_1H, job: 'backfill', concurrentJobs: 2,
    startState: 'only the listings (2023-01-01); server limit 20 weight/min, learnt from exchangeInfo', archiveDays: [],
    weightLimit: 20, exchangeInfoFirst: true,
  },
];

async function seed(store: Store, s: CatchupScenario, listedAt: number): Promise<void> {
  await store.upsertInstruments(s.symbols.map((symbol) => ({
    exchange: 'binance', symbol, base: symbol.replace(/USDT$/, ''), quote: 'USDT', status: 'TRADING' as const, listedAt,
  })));
  for (const symbol of s.symbols) {
    const series: SeriesKey = { exchange: 'binance', symbol, interval: s.interval };
    for (const day of s.archiveDays) {
      const key = `data/spot/daily/klines/${symbol}/${s.interval}/${symbol}-${s.interval}-${day}.zip`;
      const zipPath = join(FIXTURES, key);
      await ingestArchiveFile(store, series, { key, zipPath, checksumPath: `${zipPath}.CHECKSUM`, csvPath: '', rows: 0 }, 'spot');
    }
  }
}

function listingOf(s: CatchupScenario): number {
  return parseTime(s.now.slice(0, 8) + '01');
}

/** Runs one scenario on a fresh in-memory DuckDB store and a fresh replay server. */
export async function runCatchupScenario(s: CatchupScenario): Promise<CatchupResult> {
  const wall = performance.now();
  const replay = await startReplayServer({ now: s.now, speed: 0, weightLimit: s.weightLimit });
  const store = await openStore(':memory:');
  try {
    const clock = (): number => replay.clock.now();
    const governor = createRateGovernor({ now: clock, sleep: async (ms) => replay.clock.advance(ms) });
    const sources = createSources(configSchema.parse({}), {
      urls: { binanceRest: replay.urls.binance, archiveData: replay.urls.archiveData, archiveList: replay.urls.archiveList, coingecko: replay.urls.coingecko },
      clock,
      governor,
    });
    const listedAt = listingOf(s);
    await seed(store, s, listedAt);
    const start = clock();
    if (s.exchangeInfoFirst) await sources.exchange.instruments();

    const end = floorToInterval(start, s.interval);
    const shares = Array.from({ length: s.concurrentJobs }, (_, j) => s.symbols.filter((_, i) => i % s.concurrentJobs === j));
    const opts = (symbols: string[]): { symbols: string[]; interval: Interval } => ({ symbols, interval: s.interval });
    const jobIds = await Promise.all(shares.map(async (symbols) =>
      s.job === 'sync' ? (await runSyncJob(store, sources, silent, opts(symbols))).jobId : (await runBackfillJob(store, sources, silent, opts(symbols))).jobId,
    ));
    for (const id of jobIds) {
      const failed = (await store.getJob(id))?.tasks.filter((t) => t.status === 'failed') ?? [];
      if (failed.length > 0) throw new Error(`${s.name}: task ${failed[0]?.name} failed: ${failed[0]?.error}`);
    }

    let restCandles = 0;
    let minRequests = 0;
    const incomplete: string[] = [];
    for (const symbol of s.symbols) {
      const series: SeriesKey = { exchange: 'binance', symbol, interval: s.interval };
      const rest = (await store.countBySource(series, listedAt, end)).rest;
      restCandles += rest;
      minRequests += Math.ceil(rest / 1000);
      const missing = await store.missingRanges(series, listedAt, end);
      if (missing.length > 0) incomplete.push(`${symbol}: ${missing.reduce((n, m) => n + m.count, 0)} of ${(end - listedAt) / intervalMs(s.interval)} missing`);
    }
    const g = governor.stats();
    const sv = replay.stats().binance;
    return {
      scenario: s,
      restCandles,
      minRequests,
      minWeight: minRequests * KLINES_WEIGHT,
      klinesRequests: g.requests - (s.exchangeInfoFirst ? 1 : 0),
      governor: { requests: g.requests, weight: g.weight, rateLimited429: g.rateLimited429, banned418: g.banned418, waits: g.waits, waitedMs: g.waitedMs },
      server: { requests: sv.requests, weight: sv.weight, rateLimited429: sv.rateLimited429, banned418: sv.banned418 },
      simulatedMs: clock() - start,
      incomplete,
      wallMs: performance.now() - wall,
    };
  } finally {
    await store.close();
    await replay.close();
  }
}

/** Every scenario of {@link CATCHUP_SCENARIOS}, one after the other. */
export async function runRestCatchupBench(log?: (line: string) => void): Promise<CatchupResult[]> {
  const out: CatchupResult[] = [];
  for (const s of CATCHUP_SCENARIOS) {
    const r = await runCatchupScenario(s);
    log?.(`rest catch-up: ${s.name}: ${r.governor.requests} requests (min ${r.minRequests}${s.exchangeInfoFirst ? ' + exchangeInfo' : ''}), weight ${r.governor.weight}, 429s ${r.server.rateLimited429}`);
    out.push(r);
  }
  return out;
}
