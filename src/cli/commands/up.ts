/**
 * `tickerflow up`: everything in one process — universe daily, backfill of symbols that enter,
 * sync every minute, gap repair hourly, and the API with the dashboard (serve-api.ts) — until
 * SIGINT/SIGTERM. With --replay it runs against the bundled replay server instead of the real
 * exchange (offline). With --bus nats://… (and --db postgres://…) the scheduler hands its work to
 * `tickerflow worker`s through a JetStream work queue instead of doing it in this process.
 */
import type { Command } from 'commander';
import { parseTime } from '../../core/time.js';
import { abortableSleep } from '../../pipeline/abortable.js';
import { LiveEvaluation } from '../../alerts/live-evaluation.js';
import { runScheduler, type SchedulerOptions } from '../../pipeline/scheduler.js';
import type { NatsWorkQueue } from '../../bus/nats/nats-work-queue.js';
import { startReplayServer, type ReplayServer } from '../../replay/index.js';
import { createReplaySources } from '../../pipeline/create-sources.js';
import { withContext } from '../context.js';
import { intArg, positiveNumberArg, timeArg } from '../options.js';
import { serveApi } from '../serve-api.js';
import { runStream, streamingFromReplay } from './stream.js';
import type { LiveStream } from '../../stream/live-stream.js';
import { setupDelivery, telegramToken } from '../delivery-setup.js';
import { evaluationLockName, roleLines, roleLock, roleOptions, runDelivery } from '../alert-roles.js';
import { runExclusiveRole, type RoleLock } from '../exclusive-role.js';
import { QueuedFileLoader } from '../../pipeline/queued-file-loader.js';
import { QueuedSeriesJobs } from '../../pipeline/queued-series-jobs.js';
import { addWorkQueueOptions, openWorkQueue, requireSharedStore, type WorkQueueOptions } from '../work-queue-options.js';
import { StopSignals } from '../stop-signals.js';

interface UpOptions extends WorkQueueOptions {
  replay?: boolean;
  now?: number;
  speed: number;
  host?: string;
  port?: number;
}

export function registerUpCommand(program: Command): void {
  const up = program
    .command('up')
    .description('run the whole pipeline continuously in this process (holds the DuckDB file; stop with Ctrl-C); with --bus, workers do its backfills, syncs, gap repairs and reconciles')
    .option('--replay', 'run offline against the bundled replay server instead of the real exchange')
    .option('--now <time>', 'with --replay: simulated start time (default 2020-01-03T12:00:00Z)', timeArg)
    .option('--speed <x>', 'with --replay: simulated seconds per real second', positiveNumberArg('--speed'), 1)
    .option('--host <address>', 'address the API and dashboard listen on (default [api] host, 127.0.0.1)')
    .option('--port <n>', 'port of the API and dashboard (default [api] port, 8080; 0 picks a free one)', intArg('--port', 0, 65_535));
  addWorkQueueOptions(up, 'hand the backfills\' archive files, the syncs, gap repairs and reconciles to `tickerflow worker`s on this NATS JetStream (nats://host[:port]) instead of doing them here; needs --db postgres://…')
    .action(async (opts: UpOptions, cmd: Command) => {
      if (opts.bus !== undefined) requireSharedStore(cmd, 'up --bus');
      let replay: ReplayServer | undefined;
      if (opts.replay === true) replay = await startReplayServer({ now: opts.now ?? parseTime('2020-01-03T12:00:00Z'), speed: opts.speed, publicationLagMs: 0 });
      const abort = new StopSignals('tickerflow up: stopping (a running backfill stops after the file it is writing)');
      try {
        await withContext(cmd, async (ctx) => {
          const sources = replay === undefined ? ctx.sources() : createReplaySources(ctx.config, replay, { secrets: ctx.secrets, logger: ctx.logger });
          const c = ctx.config;
          const speed = replay === undefined ? 1 : opts.speed;
          // The first cycle's "now" (which minutes are closed) is the exchange's, not this machine's.
          // An unreachable exchange is no reason to stop: every response's Date header teaches it too.
          await sources.syncClock().catch((err: unknown) => ctx.logger.warn({ err }, `could not read the exchange's time yet: ${(err as Error).message}`));
          const now = (): number => sources.exchange.now();
          // The work queue first: a bad or unreachable --bus is a one-line error before anything is
          // served or any lock is taken (it hung, holding the evaluation lock).
          const bus: NatsWorkQueue | undefined = opts.bus === undefined ? undefined : await openWorkQueue(opts.bus, opts);
          // Alerts already stored are delivered from the first moment, beside the pipeline: the
          // dashboard feed, Telegram (TELEGRAM_BOT_TOKEN, or the replay's endpoint) and webhooks.
          const delivery = setupDelivery(ctx.store, c, ctx.secrets, ctx.logger, { now, ...(replay ? { replayTelegramUrl: replay.urls.telegram } : {}) });
          let live: LiveStream | null = null;
          const api = await serveApi(ctx.store, c, ctx.logger, { host: opts.host ?? c.api.host, port: opts.port ?? c.api.port, now, delivery, stream: { status: () => live?.status() ?? null } })
            .catch(async (err: unknown) => {
              await bus?.close(); // an open NATS connection would keep the process alive
              throw err;
            });
          // On a PostgreSQL store shared with `serve` processes, the bot's getUpdates consumer and
          // the evaluation run only while this process holds their locks (alert-roles.ts).
          const say = (line: string): void => void process.stdout.write(`tickerflow up: ${line}\n`);
          const roles = { signal: abort.signal, logger: ctx.logger, say, announce: 'standby' as const };
          const lockFor = (name: string): RoleLock => roleLock(ctx.store, c.store.db, name);
          const delivering = runDelivery(delivery, telegramToken(ctx.secrets, replay?.urls.telegram), lockFor, roles);
          process.stdout.write(`tickerflow up: store ${ctx.store.kind} ${ctx.store.location}${replay ? `, replay ${replay.url} at ${speed}x` : ''}; Ctrl-C to stop\n`);
          process.stdout.write(`tickerflow up: API and dashboard at ${api.url} (OpenAPI at ${api.url}/docs)\n`);
          let evaluation: { live: LiveEvaluation; stillHeld: () => Promise<boolean> } | null = null;
          const evaluating = runExclusiveRole(lockFor(evaluationLockName(sources.exchange.exchange)), async (signal, stillHeld) => {
            evaluation = { live: new LiveEvaluation(ctx.store, sources.exchange.exchange, ctx.logger.child({ component: 'alerts' })), stillHeld };
            await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
            evaluation = null;
          }, { ...roleOptions(roles), label: 'alert evaluation', ...roleLines(roles, '', '', 'another process evaluates the alert rules; standing by to take over') });
          // [stream] markets stream live beside the history (from the replay server's websockets with --replay).
          const streamConfig = replay ? streamingFromReplay(c, replay.urls) : c;
          const streaming = c.stream.markets.length > 0
            ? runStream(streamConfig, ctx.store, (l) => process.stderr.write(`${l}\n`), abort.signal, undefined, (s) => (live = s), { binanceGovernor: sources.governor }).catch((err: unknown) => {
              ctx.logger.error({ err }, `live stream stopped: ${(err as Error).message}`);
            })
            : Promise.resolve();
          if (c.stream.markets.length > 0) process.stdout.write(`tickerflow up: streaming ${c.stream.markets.join(', ')} (tickerflow stream status)\n`);
          let queue: SchedulerOptions['queue'];
          try {
            if (bus !== undefined) {
              queue = {
                files: new QueuedFileLoader(bus, ctx.store, ctx.logger),
                // A cycle waits for its syncs at most one sync period (real time), then goes on without them.
                series: new QueuedSeriesJobs(bus, ctx.store, ctx.logger, c.schedule.sync_every_seconds * 1000),
              };
              process.stdout.write(`tickerflow up: backfill files, syncs, gap repairs and reconciles go to the workers on queue "${opts.queue}" (tickerflow worker --bus …)\n`);
            }
            await runScheduler(ctx.store, sources, ctx.logger.child({ component: 'up' }), {
              interval: ctx.interval,
              since: c.history.since === undefined ? undefined : parseTime(c.history.since),
              universe: { top: c.universe.top, vsCurrency: c.universe.vs_currency, quotePreference: c.universe.quote_preference, manualSymbols: c.universe.symbols },
              syncEveryMs: c.schedule.sync_every_seconds * 1000,
              gapsEveryMs: c.schedule.gaps_every_minutes * 60_000,
              universeEveryMs: c.schedule.universe_every_hours * 3_600_000,
              backfillConcurrency: c.history.backfill_concurrency,
              sleep: (ms, signal) => abortableSleep(ms / speed, signal),
              // Rules are evaluated as the sync stores their bars; firings go out through `delivery`.
              afterSync: async (now, sync) => {
                const holder = evaluation;
                if (holder !== null && (await holder.stillHeld())) await holder.live.afterSync(now, sync.rows);
              },
              queue,
            }, abort.signal);
          } finally {
            abort.abort();
            queue?.files.stop();
            queue?.series.stop();
            await bus?.close();
            await api.stop();
            await delivering;
            await evaluating;
            await streaming;
          }
          process.stdout.write('tickerflow up: stopped\n');
        });
      } finally {
        abort.release();
        await replay?.close();
      }
    });
}
