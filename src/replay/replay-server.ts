/**
 * Starts the replay server: bundled real recorded data served through the exchanges' own
 * protocols (CoinGecko markets, Binance REST, the data.binance.vision archive and its S3
 * listing) on a simulated clock, with deterministic fault injection.
 */
import { fileURLToPath } from 'node:url';
import { isAbsolute, join } from 'node:path';
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import { parseTime } from '../core/time.js';
import { ConfigError } from '../core/errors.js';
import { SimClock } from './sim-clock.js';
import { WeightLimiter } from './weight-limiter.js';
import { KlineCatalog } from './kline-catalog.js';
import { ExchangeInfoDoc, REQUEST_WEIGHT_PER_MINUTE } from './exchange-info-doc.js';
import { binanceRoutes } from './binance-routes.js';
import { coingeckoRoutes, loadMarkets } from './coingecko-routes.js';
import { ArchiveCatalog, type AppliedArchiveFault } from './archive-catalog.js';
import { archiveRoutes } from './archive-routes.js';
import { telegramRoutes } from './telegram-routes.js';
import { TelegramBotDouble } from './telegram-bot-double.js';
import { DEFAULT_PUBLICATION_LAG_MS } from './publication.js';
import { seededRandom } from '../core/seeded-random.js';
import { DerivedSeries } from './scale/derived-series.js';
import { loadSourceMonths } from './scale/source-months.js';
import { ScaleArchive } from './scale/scale-archive.js';
import { derivedCoins, derivedSymbolEntries } from './scale/scale-listings.js';
import { ReplayWs, type ReplayWsOptions } from './ws/replay-ws.js';
import { wsRoutes } from './ws/ws-routes.js';
import { defaultScaleNow, scaleSymbol, seriesStart, type ScaleSpec } from './scale/scale-layout.js';

/** Fault injection; every fault is deterministic for a given `seed` and request order. */
export interface ReplayFaults {
  /** Force 429 on the next N Binance requests (true = 1); a client that keeps sending gets 418. */
  failRateLimit?: boolean | number;
  /** Fraction (0…1) of requests, on every route, answered 503 before any other handling. */
  fail5xx?: number;
  /** Real milliseconds added before every response. */
  latencyMs?: number;
  /** Archive zips whose key contains this are served cut in half (with a matching .CHECKSUM). */
  truncateZip?: string;
  /** Archive zips whose key contains this get a .CHECKSUM with a wrong hash. */
  badChecksum?: string;
  /** Archive zips whose key contains this are re-packed with one CSV row cut short (matching .CHECKSUM). */
  malformedCsv?: string;
}

export interface ReplayServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Simulated start time: epoch ms, ISO text or Date; default the real now. */
  now?: number | string | Date;
  /** Simulated seconds per real second; default 1, 0 freezes the clock. */
  speed?: number;
  /** Folder with the recorded data; default the repository's `fixtures/`. */
  fixturesDir?: string;
  /**
   * Recorded `/coins/markets` file per vs_currency (paths relative to `fixtures/coingecko/` or
   * absolute). Default: usd → the top-250 of 2023-07-28, eur → the top-30 of 2025-03-04.
   */
  coingeckoFiles?: Record<string, string>;
  /** Delay after the end of a file's period before it is published; default 10 minutes. */
  publicationLagMs?: number;
  /** REQUEST_WEIGHT per minute; default 6000. */
  weightLimit?: number;
  /** Seed of every random fault decision; default 1. */
  seed?: number;
  faults?: ReplayFaults;
  /**
   * Scale mode: also serve N derived symbols × M derived months (time-shifted real rows, see
   * `scale/`), generated into `cacheDir` before listening when missing. Without `now`, the
   * clock starts an hour after the last derived month is published.
   */
  scale?: ReplayScaleOptions;
  /** The local Telegram Bot API endpoint: `token`, when set, is the only bot token it accepts. */
  telegram?: { token?: string };
  /**
   * Binance, Gemini, Bitvavo and BTCTurk websocket endpoints replaying `fixtures/ws/` (on unless
   * `false`; the captures load on first use). Every capture's first message is due at the start
   * time `now`.
   */
  ws?: ReplayWsOptions | false;
}

export interface ReplayScaleOptions {
  spec: ScaleSpec;
  /** Folder for the derived zips; kept between runs, regenerated only when missing. */
  cacheDir: string;
  /** Progress of the generation: months ready of total, and whether this one was generated. */
  onMonth?: (done: number, total: number, generated: boolean) => void;
}

export interface ReplayStats {
  /** All HTTP requests received. */
  requests: number;
  /** Binance requests, weight charged, 429 and 418 answers. */
  binance: { requests: number; weight: number; rateLimited429: number; banned418: number };
  /** Weight used in the current 60 s window of the simulated clock. */
  usedWeight1m: number;
  /** Requests answered with an injected 5xx. */
  injected5xx: number;
  /** Archive objects damaged on purpose, with the broken row for malformed CSVs. */
  archiveFaults: AppliedArchiveFault[];
  /** Scale mode: derived symbols, months, zip bytes, and months generated at this start. */
  scale: { symbols: string[]; months: number; zipBytes: number; generatedMonths: number; seriesStart: number } | null;
}

export interface ReplayServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Base URLs to configure the connectors with. */
  urls: {
    coingecko: string;
    binance: string;
    archiveData: string;
    archiveList: string;
    telegram: string;
    /** Binance market streams: raw `…/ws` (`/ws/<stream>`); combined is `…/stream?streams=`. */
    binanceWs: string;
    /** Gemini REST (`/v1/symbols`) and websocket (`/v2/marketdata`) root, http and ws. */
    gemini: string;
    geminiWs: string;
    /** Bitvavo websocket API v2 (`…/bitvavo/v2/`) and REST root (`…/bitvavo/v2`, the book at `/{market}/book`). */
    bitvavoWs: string;
    bitvavo: string;
    /** BTCTurk websocket feed (`…/btcturk`) and REST root (`/api/v2/orderbook` under it). */
    btcturkWs: string;
    btcturk: string;
  };
  clock: SimClock;
  /** The websocket side: fault injection, stats and the log of derived frames; null when off. */
  ws: ReplayWs | null;
  /** The local Telegram endpoint's state: what the bot sent, the calls, injected updates and faults. */
  telegram: TelegramBotDouble;
  stats(): ReplayStats;
  close(): Promise<void>;
}

export const DEFAULT_COINGECKO_FILES: Readonly<Record<string, string>> = {
  usd: 'dashbrd_coins_markets_usd_2023-07-28_top250.json',
  eur: 'monkey_coins_markets_eur_2025-03-04_top30.json',
};

/** The repository's `fixtures/`, from both `src/replay/` and the compiled `dist/replay/`. */
export const BUNDLED_FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function startTime(now: ReplayServerOptions['now'], fallback: () => number): number {
  if (now === undefined) return fallback();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number') return now;
  return parseTime(now, '--now');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts the server and resolves once it is listening. */
export async function startReplayServer(opts: ReplayServerOptions = {}): Promise<ReplayServer> {
  const faults = opts.faults ?? {};
  const fail5xx = faults.fail5xx ?? 0;
  if (!(fail5xx >= 0 && fail5xx <= 1)) throw new ConfigError(`fail5xx ${fail5xx} must be a fraction between 0 and 1`);
  const latencyMs = faults.latencyMs ?? 0;
  if (!(latencyMs >= 0)) throw new ConfigError(`latency ${latencyMs} ms must be ≥ 0`);
  const seed = opts.seed ?? 1;
  const fixtures = opts.fixturesDir ?? BUNDLED_FIXTURES;

  const lagMs = opts.publicationLagMs ?? DEFAULT_PUBLICATION_LAG_MS;
  const start = startTime(opts.now, () => (opts.scale ? defaultScaleNow(lagMs) : Date.now()));
  const series = opts.scale ? new DerivedSeries(opts.scale.spec, loadSourceMonths(fixtures)) : undefined;
  const scaleArchive =
    opts.scale && series
      ? await ScaleArchive.prepare(series, { cacheDir: opts.scale.cacheDir, publicationLagMs: lagMs, ...(opts.scale.onMonth ? { onMonth: opts.scale.onMonth } : {}) })
      : undefined;
  const clock = new SimClock(start, opts.speed ?? 1);
  const forced = faults.failRateLimit === true ? 1 : typeof faults.failRateLimit === 'number' ? faults.failRateLimit : 0;
  const weightLimit = opts.weightLimit ?? REQUEST_WEIGHT_PER_MINUTE;
  const limiter = new WeightLimiter(weightLimit, forced);
  const klines = new KlineCatalog(fixtures);
  const exchangeInfo = new ExchangeInfoDoc(
    join(fixtures, 'binance-rest', 'binance_exchangeInfo_2021-10-12_full.json'),
    weightLimit,
    series ? (recorded) => derivedSymbolEntries(series, recorded) : undefined,
  );
  const markets = new Map(
    Object.entries(opts.coingeckoFiles ?? DEFAULT_COINGECKO_FILES).map(([vs, f]) => {
      const recorded = loadMarkets(isAbsolute(f) ? f : join(fixtures, 'coingecko', f));
      return [vs.toLowerCase(), series ? [...derivedCoins(series, recorded, start), ...recorded] : recorded];
    }),
  );
  const archive = new ArchiveCatalog(join(fixtures, 'binance-vision'), lagMs, {
    truncateZip: faults.truncateZip,
    badChecksum: faults.badChecksum,
    malformedCsv: faults.malformedCsv,
    seed,
  });

  const random = seededRandom(seed);
  let requests = 0;
  let injected5xx = 0;
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req, reply) => {
    requests++;
    if (latencyMs > 0) await sleep(latencyMs);
    // The Telegram endpoint has its own faults (`POST /_telegram/faults`), in Telegram's shape.
    const telegramPath = req.url.startsWith('/bot') || req.url.startsWith('/_telegram');
    if (fail5xx > 0 && !telegramPath && random() < fail5xx) {
      injected5xx++;
      if (req.url.startsWith('/binance')) {
        return reply.code(503).type('application/json').send('{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}');
      }
      if (req.url.startsWith('/coingecko')) return reply.code(503).type('application/json').send('{"error":"Service Unavailable"}');
      return reply
        .code(503)
        .type('application/xml')
        .send('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    }
  });
  // The server's own clock is the simulated one, so `Date` is too: clients that judge "is this
  // candle closed" by the response date see the replay's present, not the real one.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Date', new Date(clock.now()).toUTCString());
    return payload;
  });
  const ws = opts.ws === false ? null : new ReplayWs(clock, start, join(fixtures, 'ws'), opts.ws ?? {});
  if (ws) {
    if (opts.ws && opts.ws.preload) {
      ws.binanceData();
      ws.geminiData();
      ws.bitvavoData();
      ws.btcturkData();
    }
    await app.register(websocket);
    await app.register(wsRoutes(ws));
  }
  await app.register(binanceRoutes({ clock, limiter, klines, exchangeInfo, scale: series, ...(ws ? { depth: (symbol: string, limit: number) => ws.depth(symbol, limit), historicalTrades: (symbol: string, limit: number, fromId: number | undefined) => ws.historicalTrades(symbol, limit, fromId) } : {}) }), { prefix: '/binance' });
  await app.register(coingeckoRoutes(markets), { prefix: '/coingecko' });
  await app.register(archiveRoutes(clock, scaleArchive ? [archive, scaleArchive] : [archive]));
  const telegram = new TelegramBotDouble(clock);
  await app.register(telegramRoutes(telegram, { now: () => clock.now(), ...(opts.telegram?.token !== undefined ? { token: opts.telegram.token } : {}) }));

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  // Loading the fixtures took real time; start the simulated clock at `now` as the port opens.
  clock.setNow(start);
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new ConfigError('replay server did not get a TCP address');
  const host = opts.host ?? '127.0.0.1';
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const url = `http://${hostPort}`;
  return {
    url,
    port: address.port,
    urls: {
      coingecko: `${url}/coingecko/api/v3`,
      binance: `${url}/binance`,
      archiveData: `${url}/vision`,
      archiveList: `${url}/s3`,
      telegram: url,
      binanceWs: `ws://${hostPort}/binance/ws`,
      gemini: `${url}/gemini`,
      geminiWs: `ws://${hostPort}/gemini`,
      bitvavoWs: `ws://${hostPort}/bitvavo/v2/`,
      bitvavo: `${url}/bitvavo/v2`,
      btcturkWs: `ws://${hostPort}/btcturk`,
      btcturk: `${url}/btcturk`,
    },
    clock,
    ws,
    telegram,
    stats: () => ({
      requests,
      binance: { ...limiter.stats },
      usedWeight1m: limiter.usedAt(clock.now()),
      injected5xx,
      archiveFaults: [...archive.faults],
      scale:
        series && scaleArchive
          ? {
              symbols: Array.from({ length: series.spec.symbols }, (_, i) => scaleSymbol(i)),
              months: series.spec.months,
              zipBytes: scaleArchive.zipBytes(),
              generatedMonths: scaleArchive.generated,
              seriesStart: seriesStart(series.spec),
            }
          : null,
    }),
    close: async () => {
      ws?.close();
      await app.close();
    },
  };
}
