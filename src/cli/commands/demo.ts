/**
 * `tickerflow demo`: the real pipeline (universe → backfill → sync → gaps) against the replay
 * server started in this process on a free port, serving the bundled recorded data. No network.
 *
 * By default it then keeps going like `up` on the replay clock: the 10 coins with 14 continuous
 * recorded months of real 1h klines, its present inside that range and an hour closing every few
 * seconds, synced by `up`'s scheduler as each hour closes. `--no-serve` is the one-shot run of the
 * BTCUSDT 1m days of 2020 instead.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Config } from '../../core/config.js';
import type { Interval } from '../../core/intervals.js';
import { isoMinute, parseTime } from '../../core/time.js';
import { abortableSleep } from '../../pipeline/abortable.js';
import { LiveEvaluation } from '../../alerts/live-evaluation.js';
import { parseRuleDraft } from '../../alerts/rule-draft.js';
import { hashPassword } from '../../api/auth/password-hash.js';
import { createReplaySources } from '../../pipeline/create-sources.js';
import { runScheduler } from '../../pipeline/scheduler.js';
import { startReplayServer, type ReplayServer } from '../../replay/index.js';
import type { Store } from '../../store/store.js';
import type { LiveStream, LiveStreamStatus } from '../../stream/live-stream.js';
import { withContext } from '../context.js';
import { setupDelivery } from '../delivery-setup.js';
import { intArg, nonNegativeIntArg, positiveNumberArg, timeArg } from '../options.js';
import { serveApi } from '../serve-api.js';
import { loadHistory, out } from './demo-history.js';
import { runStream, streamingFromReplay } from './stream.js';
import { StopSignals } from '../stop-signals.js';

/**
 * `--no-serve`: just after midnight of 2020-01-04: the three bundled BTCUSDT daily archive files
 * of 2020-01-01..03 are all published (the demo uses no publication lag), and no 2020-01-04
 * candle is closed yet.
 */
const DEMO_NOW = '2020-01-04T00:00:30Z';

/**
 * The one-shot demo's own store (`--db` overrides it). Never the default store: the demo's
 * recorded 2020 listing time and universe snapshot would otherwise steer a later real run (a
 * backfill of BTCUSDT starting at 2020-01-01 and skipping 2017–2019).
 */
export const DEMO_DB = './tickerflow-data/demo.duckdb';

/**
 * The serving demo's own store: 1h candles of 2023, kept apart from the one-shot demo's 2020
 * minutes so neither run's universe snapshots or series steer the other's.
 */
export const DEMO_LIVE_DB = './tickerflow-data/demo-live.duckdb';

/**
 * The coins with real 1h klines recorded continuously from 2023-01-01 00:00 to 2024-02-29 23:00
 * UTC (fixtures/SOURCES.md, finom/static-klines). Named by hand: the recorded CoinGecko lists of
 * that time rank stablecoins among them, which have no data here.
 */
export const DEMO_COINS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'SOLUSDT', 'DOTUSDT', 'AVAXUSDT', 'LINKUSDT'] as const;

/** History the serving demo backfills: the first recorded hour. */
const LIVE_SINCE = '2023-01-01T00:00:00Z';
/** The serving demo's present: 10 weeks of history behind, the real 2023-03-24 trading halt 4½ days ahead. */
const LIVE_NOW = '2023-03-20T00:00:30Z';
/** After the last recorded hour nothing more closes. */
const LIVE_END = parseTime('2024-03-01T00:00:00Z');
/** Simulated seconds per real second: an hour closes every 3 s. */
const LIVE_SPEED = 1200;
/** How often (simulated) the serving demo syncs: four times an hour, so a closed hour is stored within ¼ of its real 3 s. */
const LIVE_SYNC_EVERY_MS = 15 * 60_000;

/** Gap checks and archive re-checks (none of these months is archived): once a simulated day. */
const LIVE_HOUSEKEEPING_EVERY_MS = 24 * 3_600_000;

/** The demo's own user in its own store; a new password is printed at each start. */
const DEMO_USER = 'demo';
/** The local Telegram endpoint's chat the sample alert goes to (linked to the demo user). */
const DEMO_CHAT_ID = '700000001';
/**
 * The sample alert. On the recorded BTCUSDT 1h closes it first fires on the 2023-03-20 06:00 bar
 * (close 27,628.50 over its EMA 20 of 27,592.6 after 27,519.97 under 27,588.8), which closes 7
 * simulated hours (about 21 s at 1200x) after the demo's start, and again at 14:00, 18:00, 20:00.
 */
const SAMPLE_RULE = { name: 'BTCUSDT closes above its EMA 20 (demo)', expression: 'close crosses_above ema:20', scope: { symbol: 'BTCUSDT' }, interval: '1h', frequency: 'once_per_bar_close' };

interface DemoOptions {
  serve: boolean;
  host?: string;
  port?: number;
  now?: number;
  top: number;
  speed: number;
  stream: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      `run the real pipeline offline against the bundled replay server (recorded Binance and CoinGecko data), then keep syncing the 10 recorded coins at 1h as the replay clock runs (Ctrl-C to stop), into its own store ${DEMO_LIVE_DB} unless --db is given; ` +
        `--no-serve: one run over the recorded BTCUSDT minutes of 2020 into ${DEMO_DB}`,
    )
    .option('--no-serve', `one run over the recorded BTCUSDT minutes of 2020-01-01..03, then exit (store ${DEMO_DB})`)
    .option('--now <time>', `simulated present (default ${LIVE_NOW}, or just after the hours a previous run stored; --no-serve: ${DEMO_NOW})`, timeArg)
    .option('--top <n>', 'with --no-serve: coins by market cap in the universe', nonNegativeIntArg, 5)
    .option('--host <address>', 'address the API and dashboard listen on (default [api] host, 127.0.0.1)')
    .option('--port <n>', 'port of the API and dashboard (default [api] port, 8080; 0 picks a free one)', intArg('--port', 0, 65_535))
    .option('--no-stream', 'serve without the live Binance, Gemini, Bitvavo and BTCTurk streams')
    .option('--speed <x>', `simulated seconds per real second once the history is loaded (default ${LIVE_SPEED}: an hour closes every ${3600 / LIVE_SPEED} s)`, positiveNumberArg('--speed'), LIVE_SPEED)
    .action(async (opts: DemoOptions, cmd: Command) => {
      if (opts.serve) await serveDemo(opts, cmd);
      else await oneShotDemo(opts, cmd);
    });
}

/** Today's one-shot run: the BTCUSDT minutes of 2020-01-01..03 and the top coins of the recorded CoinGecko list. */
async function oneShotDemo(opts: DemoOptions, cmd: Command): Promise<void> {
  const started = Date.now();
  const replay = await startReplayServer({ now: opts.now ?? parseTime(DEMO_NOW), speed: 1, publicationLagMs: 0 });
  try {
    await withContext(cmd, async (ctx) => {
      const sources = createReplaySources(ctx.config, replay, { secrets: ctx.secrets, logger: ctx.logger });
      const manual = [...new Set(['BTCUSDT', ...ctx.config.universe.symbols])];
      await loadHistory(ctx, replay, sources, { top: opts.top, manual, interval: '1m', started });
      const db = ctx.store.kind === 'duckdb' ? ctx.config.store.db : '<your --db URL>';
      out(`the demo's data is in its own store ${ctx.store.location}; your default store is untouched`);
      out(`try: tickerflow --db ${db} candles BTCUSDT --interval 1h --from 2020-01-01 --to 2020-01-04`);
    }, { defaultDb: DEMO_DB });
  } finally {
    await replay.close();
  }
}

/**
 * The serving demo: the 10 coins' history at 1h up to its present, then `up`'s scheduler on a
 * fast replay clock until Ctrl-C, printing each hour as it closes.
 */
async function serveDemo(opts: DemoOptions, cmd: Command): Promise<void> {
  const started = Date.now();
  const abort = new StopSignals('tickerflow demo: stopping');
  let replay: ReplayServer | undefined;
  try {
    await withContext(cmd, async (ctx) => {
      const interval: Interval = '1h';
      const exchange = 'binance';
      // A second run goes on from the hours the first one stored, not back in time before them.
      const resumeAt = opts.now ?? Math.max(parseTime(LIVE_NOW), (await lastStoredOpen(ctx.store, exchange, interval)) + 3_600_000 + 30_000);
      // Real speed while the history loads: its requests see a present that stays put.
      replay = await startReplayServer({ now: resumeAt, speed: 1, publicationLagMs: 0 });
      const sources = createReplaySources(ctx.config, replay, { secrets: ctx.secrets, logger: ctx.logger });
      const since = parseTime(LIVE_SINCE);
      await loadHistory(ctx, replay, sources, { top: 0, manual: [...DEMO_COINS], interval, since, started });
      if (abort.signal.aborted) return;

      const speed = opts.speed;
      const c = ctx.config;
      const now = (): number => sources.exchange.now();
      const login = await demoLogin(ctx.store, now());
      const delivery = setupDelivery(ctx.store, c, ctx.secrets, ctx.logger, { replayTelegramUrl: replay.urls.telegram, now });
      // With the delivery, the dashboard's live firing feed and "send a test message" work too.
      // The dashboard's Live view reads the stream's books through the API once it has started.
      let live: LiveStream | null = null;
      const api = await serveApi(ctx.store, c, ctx.logger, { host: opts.host ?? c.api.host, port: opts.port ?? c.api.port, now, delivery, stream: { status: () => live?.status() ?? null } });
      const delivering = delivery.run(abort.signal);
      const evaluation = new LiveEvaluation(ctx.store, exchange, ctx.logger.child({ component: 'alerts' }));
      const telegram = replay.telegram;
      let printedMessages = telegram.sent.length;
      replay.clock.setSpeed(speed);
      const db = ctx.store.kind === 'duckdb' ? ctx.config.store.db : '<your --db URL>';
      out(`the demo's data is in its own store ${ctx.store.location}; your default store is untouched`);
      out(`dashboard and API: ${api.url}  (OpenAPI at ${api.url}/docs)`);
      out(`login: ${DEMO_USER} / ${login.password}  (a new password at each start)`);
      out(`sample alert: "${SAMPLE_RULE.expression}" on BTCUSDT 1h → Telegram chat ${DEMO_CHAT_ID} of the local endpoint ${replay.urls.telegram}/_telegram/messages`);
      out(`the CLI reaches it through the API while it runs:`);
      out(`  tickerflow --db ${db} candles BTCUSDT --interval 1h --from 2023-03-19`);
      out(`  tickerflow --db ${db} jobs`);
      out(`  tickerflow --db ${db} gaps --list -i 1h --since ${LIVE_SINCE}   (the 2023-03-24 halt shows as an exchange outage once the replay clock passes it)`);
      out(`replay clock: ${isoMinute(replay.clock.now())} UTC at ${speed}x, an hour closes every ${fmtSeconds(3_600_000 / speed)} s (the recorded hours end ${isoMinute(LIVE_END)}); Ctrl-C to stop`);

      // Live streams beside the history: Binance, Gemini, Bitvavo and BTCTurk from a second replay
      // server that replays the recorded websocket captures at their own pace (the history clock runs 1200x).
      const streaming = opts.stream ? startDemoStream(c, ctx.store, abort.signal, (s) => (live = s)) : Promise.resolve(null);

      const btcKey = { exchange, symbol: 'BTCUSDT', interval };
      let reported = await ctx.store.lastOpenTime(btcKey);
      try {
        await runScheduler(ctx.store, sources, ctx.logger.child({ component: 'demo' }), {
          interval,
          since,
          universe: { top: 0, vsCurrency: c.universe.vs_currency, quotePreference: c.universe.quote_preference, manualSymbols: [...DEMO_COINS] },
          syncEveryMs: LIVE_SYNC_EVERY_MS,
          // Daily, not `up`'s hourly: at 1200x an hour is 3 s, and the gap ledger needs no more.
          gapsEveryMs: LIVE_HOUSEKEEPING_EVERY_MS,
          reconcileEveryMs: LIVE_HOUSEKEEPING_EVERY_MS,
          universeEveryMs: c.schedule.universe_every_hours * 3_600_000,
          backfillConcurrency: c.history.backfill_concurrency,
          sleep: (ms, signal) => abortableSleep(ms / speed, signal),
          afterSync: async (cycleNow, sync) => {
            const firings = await evaluation.afterSync(cycleNow, sync.rows);
            // One line per hour that closed and was stored, with BTCUSDT's close as a sign of life.
            const last = await ctx.store.lastOpenTime(btcKey);
            if (sync.rows > 0 && last !== null && last !== reported) {
              reported = last;
              const bar = await ctx.store.readCandles(btcKey, last, last + 1);
              out(`${isoMinute(last)} hour closed: ${sync.rows} bars stored, BTCUSDT close ${bar.close[0] ?? '?'}`);
            }
            for (const f of firings) out(`  alert fired: rule ${f.ruleId} ${f.symbol} ${f.interval} bar ${isoMinute(f.barOpenTime)}${f.incomplete ? ' (incomplete bar)' : ''}`);
            for (; printedMessages < telegram.sent.length; printedMessages++) {
              const m = telegram.sent[printedMessages];
              if (m) out(`  telegram → chat ${m.chat_id}: ${m.plain.replace(/\s+/g, ' ')}`);
            }
          },
        }, abort.signal);
      } finally {
        abort.abort();
        await delivering;
        await api.stop();
        const streamed = await streaming.catch((err: unknown) => {
          out(`live streams stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        });
        if (streamed) out(`live streams: ${streamed.events} events, ${streamed.processors.bars} bars, ${streamed.processors.windows} liquidity windows, ${streamed.lakeFiles} lake files`);
      }
      out('tickerflow demo: stopped');
    }, { defaultDb: DEMO_LIVE_DB });
  } finally {
    abort.release();
    await (replay as ReplayServer | undefined)?.close();
  }
}

/** The demo's lake, beside its own store: a real run's lake is never written. */
const DEMO_LAKE = './tickerflow-data/demo-lake';
/**
 * One or two markets of each exchange the replay serves websockets of. Bitvavo's BTC-EUR has the
 * recorded book and the documentation's trade example; BTCTurk's ETHUSDT is the pair with
 * recorded diffs (none was recorded for BTCTRY), so it has book flows but no trades, hence no bars.
 */
const DEMO_MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR', 'bitvavo:BTC-EUR', 'btcturk:ETHUSDT'];

/** Streams the demo markets from their own replay server (recorded captures, looped) until `signal`. */
async function startDemoStream(config: Config, store: Store, signal: AbortSignal, onStart: (stream: LiveStream) => void): Promise<LiveStreamStatus> {
  const server = await startReplayServer({ speed: 1, ws: { preload: true } });
  try {
    const c: Config = { ...streamingFromReplay(config, server.urls), stream: { ...config.stream, markets: DEMO_MARKETS, lake: DEMO_LAKE } };
    out(`live streams: ${DEMO_MARKETS.join(', ')} from the recorded websockets of a second replay server (${server.url}), into 1m bars and liquidity windows in the demo store and events into the lake ${DEMO_LAKE}; \`tickerflow stream status --lake ${DEMO_LAKE}\` shows the books`);
    return await runStream(c, store, out, signal, undefined, onStart);
  } finally {
    await server.close();
  }
}

/**
 * The demo user (created at the first start, a new random password each start), its linked chat
 * of the local Telegram endpoint, and the sample alert, created once.
 */
async function demoLogin(store: Store, now: number): Promise<{ password: string }> {
  const password = randomBytes(9).toString('base64url');
  const hash = await hashPassword(password);
  const existing = await store.getUserByName(DEMO_USER);
  const user = existing ?? (await store.createUser(DEMO_USER, 'admin', 'UTC', hash, now));
  if (existing) await store.setPasswordHash(existing.id, hash);
  await store.linkChat(user.id, DEMO_CHAT_ID, 'tickerflow demo', now);
  if (!(await store.listRules(user.id)).some((r) => r.name === SAMPLE_RULE.name)) {
    const definition = parseRuleDraft({ ...SAMPLE_RULE, channels: [`telegram:${DEMO_CHAT_ID}`, 'dashboard'] });
    await store.createRule(user.id, SAMPLE_RULE.name, definition, now);
  }
  return { password };
}

function fmtSeconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

/** Open time of the latest stored candle of the demo coins at `interval`; -Infinity if none. */
async function lastStoredOpen(store: Store, exchange: string, interval: Interval): Promise<number> {
  let last = -Infinity;
  for (const symbol of DEMO_COINS) {
    const s = await store.seriesStats({ exchange, symbol, interval });
    if (s !== null) last = Math.max(last, s.last);
  }
  return last;
}
