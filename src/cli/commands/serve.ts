/**
 * `tickerflow serve`: the API and the dashboard, alert evaluation, the outbox worker and the
 * Telegram bot's command polling, with no pipeline job and no stream — the front of a scale-out
 * deployment whose bars are written by `worker` and `stream` processes (docs/SCALE-OUT.md).
 *
 * Run several on one PostgreSQL store: every one serves the API and works the outbox (rows are
 * claimed, so each is sent by one process), while the one getUpdates consumer per bot token and
 * the alert evaluation run only in the process holding their advisory lock (exclusive-role.ts);
 * a standby takes a lock over within LOCK_RETRY_MS (alert-roles.ts) of its holder's death. On a DuckDB file it is
 * the one process holding the file, like `up`.
 */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { LiveEvaluation } from '../../alerts/live-evaluation.js';
import { abortableSleep } from '../../pipeline/abortable.js';
import type { Store } from '../../store/store.js';
import { refuseWhileUp, withContext } from '../context.js';
import { setupDelivery } from '../delivery-setup.js';
import { evaluationLockName, roleLines, roleLock, roleOptions, runDelivery } from '../alert-roles.js';
import { runExclusiveRole, type RoleLock } from '../exclusive-role.js';
import { intArg, positiveNumberArg } from '../options.js';
import { serveApi } from '../serve-api.js';
import { StopSignals } from '../stop-signals.js';

interface ServeOptions {
  host?: string;
  port?: number;
  evaluateEvery: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the API and dashboard, evaluate alert rules on the bars other processes store, and deliver alerts (Telegram, webhooks); no pipeline jobs, no stream; run several on one PostgreSQL store (stop with Ctrl-C)')
    .option('--host <address>', 'address the API and dashboard listen on (default [api] host, 127.0.0.1)')
    .option('--port <n>', 'port of the API and dashboard (default [api] port, 8080; 0 picks a free one)', intArg('--port', 0, 65_535))
    .option('--evaluate-every <seconds>', 'how often the store is read for newly stored closed bars to evaluate (at most 3600)', positiveNumberArg('--evaluate-every', 3_600), 5)
    .action(async (opts: ServeOptions, cmd: Command) => {
      refuseWhileUp(cmd, 'it already serves the API and evaluates and delivers alerts from that store; stop it first to run serve');
      const abort = new StopSignals('tickerflow serve: stopping');
      try {
        await withContext(cmd, async (ctx) => {
          const c = ctx.config;
          const exchange = c.universe.exchange;
          const say = (line: string): void => void process.stdout.write(`tickerflow serve: ${line}\n`);
          const lockFor = (name: string): RoleLock => roleLock(ctx.store, c.store.db, name);
          const delivery = setupDelivery(ctx.store, c, ctx.secrets, ctx.logger);
          const api = await serveApi(ctx.store, c, ctx.logger, { host: opts.host ?? c.api.host, port: opts.port ?? c.api.port, delivery, command: 'serve' });
          say(`store ${ctx.store.kind} ${ctx.store.location}; Ctrl-C to stop`);
          say(`API and dashboard at ${api.url} (OpenAPI at ${api.url}/docs)`);
          const roles = { signal: abort.signal, logger: ctx.logger, say, announce: 'all' as const };
          // Keyed by the token's hash: one consumer per bot token, and two bots can share processes.
          const delivering = runDelivery(delivery, ctx.secrets.telegramBotToken, lockFor, roles);
          const evaluating = runExclusiveRole(lockFor(evaluationLockName(exchange)), (signal, stillHeld) => evaluateStoredBars(ctx.store, exchange, ctx.logger, { everyMs: opts.evaluateEvery * 1000, signal, stillHeld, say }), {
            ...roleOptions(roles),
            label: 'alert evaluation',
            ...roleLines(roles, 'this process evaluates the alert rules', 'stopped evaluating the alert rules', 'another process evaluates the alert rules; standing by to take over'),
          });
          try {
            await Promise.all([delivering, evaluating]);
          } finally {
            abort.abort();
            await api.stop();
          }
          say('stopped');
        });
      } finally {
        abort.release();
      }
    });
}

interface EvaluationLoop {
  everyMs: number;
  signal: AbortSignal;
  /** Whether this process still holds the evaluation lock (asked before each turn). */
  stillHeld(): Promise<boolean>;
  say(line: string): void;
}

/**
 * Polls the store every `everyMs` for closed bars stored since the last look and evaluates them
 * (LiveEvaluation.evaluateStored). A fresh engine per turn as holder: it loads the rules' stored
 * fire states and starts from the stored evaluation marks, so bars stored since the last holder's
 * last evaluation are evaluated now, once (docs/SCALE-OUT.md). Each turn first asks
 * whether the lock is still held, so a holder whose lock connection broke (another process may
 * evaluate already) records nothing more.
 */
async function evaluateStoredBars(store: Store, exchange: string, logger: Logger, o: EvaluationLoop): Promise<void> {
  const { signal, say } = o;
  const evaluation = new LiveEvaluation(store, exchange, logger.child({ component: 'alerts' }));
  let first = true;
  while (!signal.aborted) {
    if (!(await o.stillHeld())) return;
    try {
      const fired = await evaluation.evaluateStored(Date.now());
      if (first) say('alert rules loaded; evaluating bars as they are stored');
      first = false;
      if (fired.length > 0) logger.info({ firings: fired.map((f) => f.id) }, `${fired.length} alert firings stored`);
    } catch (err) {
      // Nothing was recorded: the same bars are evaluated again at the next turn.
      logger.error({ err }, `alert evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await abortableSleep(o.everyMs, signal);
  }
}
